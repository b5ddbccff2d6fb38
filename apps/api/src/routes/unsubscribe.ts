import { Hono, type Context } from 'hono';
import {
  findLinkContact,
  getEmailTopic,
  getMessage,
  hostedText,
  isTestLink,
  languageFromAcceptLanguage,
  pageLanguageFor,
  renderInvalidLinkPage,
  renderNoticePage,
  renderTestLinkPage,
  renderUnsubscribedPage,
  renderUnsubscribePage,
  senderName,
  unsubscribeContact,
  type UnsubscribePayload,
} from '@relance/email';
import { clientIp, emailServices } from '../email/services';
import type { AppDeps, AppEnv } from '../env';
import { NO_STORE } from './tracking';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The language of a recipient's page: the contact's, else the workspace's, else the browser's
 * (`contactId` null: no contact to ask, as on a test email's link or for one deleted since).
 */
export const recipientLanguage = (
  deps: AppDeps,
  c: Context<AppEnv>,
  workspaceId: string,
  contactId: string | null,
) =>
  pageLanguageFor(deps.sql, {
    workspaceId,
    contactId,
    acceptLanguage: c.req.header('accept-language'),
  });

/** A link whose signature does not check out names no workspace: the browser's language says. */
export const invalidRecipientLink = (c: Context<AppEnv>) =>
  c.html(
    renderInvalidLinkPage(languageFromAcceptLanguage(c.req.header('accept-language')) ?? 'en'),
    403,
    NO_STORE,
  );

/**
 * `/u/:token`: unsubscribe. GET shows what the link would stop and changes nothing (mail
 * scanners follow links); POST applies at once — either RFC 8058 one-click from the mail client
 * (`List-Unsubscribe=One-Click`: the email's topic) or the page's buttons (the topic or all).
 * Pages speak the contact's language (see recipientLanguage).
 */
export const unsubscribeRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  const topicName = async (payload: UnsubscribePayload) =>
    payload.topic
      ? ((await getEmailTopic(deps.sql, payload.workspaceId, payload.topic))?.name ?? payload.topic)
      : null;
  const preferencesUrl = (payload: UnsubscribePayload, contactId: string) =>
    email.tracking.preferencesUrl({ workspaceId: payload.workspaceId, contactId });
  const gone = async (c: Context<AppEnv>, payload: UnsubscribePayload) => {
    const language = await recipientLanguage(deps, c, payload.workspaceId, null);
    const page = renderNoticePage({ ...hostedText(language).goneUnsubscribe, language });
    return c.html(page, 200, NO_STORE);
  };
  const testLink = async (c: Context<AppEnv>, payload: UnsubscribePayload) => {
    const language = await recipientLanguage(deps, c, payload.workspaceId, null);
    return c.html(renderTestLinkPage('unsubscribe', language), 200, NO_STORE);
  };

  // Unsubscribe events name the template they came from, like every email event.
  const templateOf = async (messageId: string | null) =>
    messageId && UUID.test(messageId)
      ? ((await getMessage(deps.sql, messageId))?.templateId ?? null)
      : null;

  return new Hono<AppEnv>()
    .get('/:token', async (c) => {
      const token = c.req.param('token');
      const payload = email.tracking.verifyUnsubscribe(token);
      if (!payload) return invalidRecipientLink(c);
      if (isTestLink(payload)) return testLink(c, payload);
      const contact = await findLinkContact(deps.sql, payload.workspaceId, payload.contactId);
      if (!contact) return gone(c, payload);
      const page = renderUnsubscribePage({
        email: contact.email,
        topicName: await topicName(payload),
        sender: await senderName(deps.sql, payload.workspaceId),
        actionUrl: `${deps.publicUrl}/u/${token}`,
        preferencesUrl: preferencesUrl(payload, contact.id),
        language: await recipientLanguage(deps, c, payload.workspaceId, contact.id),
      });
      return c.html(page, 200, NO_STORE);
    })
    .post('/:token', async (c) => {
      const payload = email.tracking.verifyUnsubscribe(c.req.param('token'));
      if (!payload) return invalidRecipientLink(c);
      if (isTestLink(payload)) return testLink(c, payload);
      const body = await c.req.parseBody();
      const oneClick = body['List-Unsubscribe'] === 'One-Click';
      // The page's "all" button; one-click and the topic button stop the email's topic.
      const topic = !oneClick && body.scope === 'all' ? null : payload.topic;
      const contact = await findLinkContact(deps.sql, payload.workspaceId, payload.contactId);
      if (!contact) return gone(c, payload);
      const events = await unsubscribeContact(deps.sql, {
        workspaceId: payload.workspaceId,
        contact,
        topic,
        messageId: payload.messageId,
        source: oneClick ? 'one_click' : 'unsubscribe_page',
        ip: clientIp(c),
      });
      const templateId = await templateOf(payload.messageId);
      await email.record(
        payload.workspaceId,
        events.map((event) => ({ ...event, properties: { ...event.properties, templateId } })),
      );
      const page = renderUnsubscribedPage({
        email: contact.email,
        topicName: topic === null ? null : await topicName(payload),
        sender: await senderName(deps.sql, payload.workspaceId),
        preferencesUrl: preferencesUrl(payload, contact.id),
        language: await recipientLanguage(deps, c, payload.workspaceId, contact.id),
      });
      return c.html(page, 200, NO_STORE);
    });
};
