import { Hono } from 'hono';
import {
  findLinkContact,
  getEmailTopic,
  getMessage,
  isTestLink,
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
import { invalidLink, NO_STORE } from './tracking';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const GONE = {
  title: 'Nothing to unsubscribe',
  message: 'This address is not on our list any more: you will not receive emails from us.',
};

/**
 * `/u/:token`: unsubscribe. GET shows what the link would stop and changes nothing (mail
 * scanners follow links); POST applies at once — either RFC 8058 one-click from the mail client
 * (`List-Unsubscribe=One-Click`: the email's topic) or the page's buttons (the topic or all).
 */
export const unsubscribeRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  const topicName = async (payload: UnsubscribePayload) =>
    payload.topic
      ? ((await getEmailTopic(deps.sql, payload.workspaceId, payload.topic))?.name ?? payload.topic)
      : null;
  const preferencesUrl = (payload: UnsubscribePayload, contactId: string) =>
    email.tracking.preferencesUrl({ workspaceId: payload.workspaceId, contactId });

  // Unsubscribe events name the template they came from, like every email event.
  const templateOf = async (messageId: string | null) =>
    messageId && UUID.test(messageId)
      ? ((await getMessage(deps.sql, messageId))?.templateId ?? null)
      : null;

  return new Hono<AppEnv>()
    .get('/:token', async (c) => {
      const token = c.req.param('token');
      const payload = email.tracking.verifyUnsubscribe(token);
      if (!payload) return invalidLink(c);
      if (isTestLink(payload)) return c.html(renderTestLinkPage('unsubscribe'), 200, NO_STORE);
      const contact = await findLinkContact(deps.sql, payload.workspaceId, payload.contactId);
      if (!contact) return c.html(renderNoticePage(GONE), 200, NO_STORE);
      const page = renderUnsubscribePage({
        email: contact.email,
        topicName: await topicName(payload),
        sender: await senderName(deps.sql, payload.workspaceId),
        actionUrl: `${deps.publicUrl}/u/${token}`,
        preferencesUrl: preferencesUrl(payload, contact.id),
      });
      return c.html(page, 200, NO_STORE);
    })
    .post('/:token', async (c) => {
      const payload = email.tracking.verifyUnsubscribe(c.req.param('token'));
      if (!payload) return invalidLink(c);
      if (isTestLink(payload)) return c.html(renderTestLinkPage('unsubscribe'), 200, NO_STORE);
      const body = await c.req.parseBody();
      const oneClick = body['List-Unsubscribe'] === 'One-Click';
      // The page's "all" button; one-click and the topic button stop the email's topic.
      const topic = !oneClick && body.scope === 'all' ? null : payload.topic;
      const contact = await findLinkContact(deps.sql, payload.workspaceId, payload.contactId);
      if (!contact) return c.html(renderNoticePage(GONE), 200, NO_STORE);
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
      });
      return c.html(page, 200, NO_STORE);
    });
};
