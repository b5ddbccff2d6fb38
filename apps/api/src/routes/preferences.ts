import { Hono, type Context } from 'hono';
import {
  confirmSubscription,
  findLinkContact,
  getActiveForm,
  hostedText,
  isTestLink,
  loadPreferences,
  renderConfirmPage,
  renderNoticePage,
  renderPreferencesPage,
  renderTestLinkPage,
  savePreferences,
  senderName,
  type FrequencyPreference,
} from '@relance/email';
import { changeStaticMembership, dispatchFromOutbox } from '@relance/db';
import { clientIp, emailServices } from '../email/services';
import type { AppDeps, AppEnv } from '../env';
import { NO_STORE } from './tracking';
import { invalidRecipientLink, recipientLanguage } from './unsubscribe';

const FREQUENCIES: readonly FrequencyPreference[] = ['every', 'monthly', 'important'];

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (item): item is string => typeof item === 'string',
  );

/**
 * `/p/:token`: the hosted preference page — per-topic opt-in/out, how often (every issue,
 * monthly digest, important only) and unsubscribe from all. POST applies at once, records one
 * event per change, then shows the page again (303, so a reload does not post twice). Pages
 * speak the contact's language (see recipientLanguage).
 */
export const preferenceRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  const gone = async (c: Context<AppEnv>, workspaceId: string) => {
    const language = await recipientLanguage(deps, c, workspaceId, null);
    const page = renderNoticePage({ ...hostedText(language).gonePreferences, language });
    return c.html(page, 200, NO_STORE);
  };
  const testLink = async (c: Context<AppEnv>, workspaceId: string) => {
    const language = await recipientLanguage(deps, c, workspaceId, null);
    return c.html(renderTestLinkPage('preferences', language), 200, NO_STORE);
  };
  return new Hono<AppEnv>()
    .get('/:token', async (c) => {
      const token = c.req.param('token');
      const payload = email.tracking.verifyPreferences(token);
      if (!payload) return invalidRecipientLink(c);
      if (isTestLink(payload)) return testLink(c, payload.workspaceId);
      const contact = await findLinkContact(deps.sql, payload.workspaceId, payload.contactId);
      if (!contact) return gone(c, payload.workspaceId);
      const state = await loadPreferences(deps.sql, payload.workspaceId, contact);
      const page = renderPreferencesPage({
        state,
        sender: await senderName(deps.sql, payload.workspaceId),
        actionUrl: `${deps.publicUrl}/p/${token}`,
        saved: c.req.query('saved') === '1',
        language: await recipientLanguage(deps, c, payload.workspaceId, contact.id),
      });
      return c.html(page, 200, NO_STORE);
    })
    .post('/:token', async (c) => {
      const token = c.req.param('token');
      const payload = email.tracking.verifyPreferences(token);
      if (!payload) return invalidRecipientLink(c);
      if (isTestLink(payload)) return testLink(c, payload.workspaceId);
      const body = await c.req.parseBody({ all: true });
      const unsubscribeAll = list(body.unsubscribe_all).length > 0;
      const frequency = list(body.frequency)[0] ?? 'every';
      const contact = await findLinkContact(deps.sql, payload.workspaceId, payload.contactId);
      if (!unsubscribeAll && !FREQUENCIES.includes(frequency as FrequencyPreference)) {
        const language = await recipientLanguage(deps, c, payload.workspaceId, contact?.id ?? null);
        const text = hostedText(language).preferences;
        const page = renderNoticePage({
          ...text.badFrequency(frequency),
          tone: 'problem',
          link: { href: `${deps.publicUrl}/p/${token}`, label: text.back },
          language,
        });
        return c.html(page, 400, NO_STORE);
      }
      if (!contact) return gone(c, payload.workspaceId);
      const events = await savePreferences(deps.sql, {
        workspaceId: payload.workspaceId,
        contact,
        subscribedTopics: list(body.topic),
        frequency: frequency as FrequencyPreference,
        unsubscribeAll,
        source: 'preference_page',
        ip: clientIp(c),
      });
      await email.record(payload.workspaceId, events);
      return c.redirect(`${deps.publicUrl}/p/${token}?saved=1`, 303);
    });
};

/**
 * `/s/:token`: the double opt-in link. GET shows a confirm button and changes nothing (mail
 * scanners follow links: they must not confirm someone else's sign-up); POST confirms the topics
 * the form asked for, adds the contact to the form's segment, records `form.confirmed` (once,
 * however often it is pressed).
 */
export const confirmRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  const gone = async (c: Context<AppEnv>, workspaceId: string) => {
    const language = await recipientLanguage(deps, c, workspaceId, null);
    const page = renderNoticePage({
      ...hostedText(language).signUpGone,
      tone: 'problem',
      language,
    });
    return c.html(page, 404, NO_STORE);
  };
  return new Hono<AppEnv>()
    .get('/:token', async (c) => {
      const token = c.req.param('token');
      const payload = email.tracking.verifyConfirm(token);
      if (!payload) return invalidRecipientLink(c);
      const contact = await findLinkContact(deps.sql, payload.workspaceId, payload.contactId);
      if (!contact) return gone(c, payload.workspaceId);
      const page = renderConfirmPage({
        email: contact.email,
        actionUrl: `${deps.publicUrl}/s/${token}`,
        language: await recipientLanguage(deps, c, payload.workspaceId, contact.id),
      });
      return c.html(page, 200, NO_STORE);
    })
    .post('/:token', async (c) => {
      const payload = email.tracking.verifyConfirm(c.req.param('token'));
      if (!payload) return invalidRecipientLink(c);
      const result = await confirmSubscription(deps.sql, payload, {
        source: `confirm:${payload.formId}`,
        ip: clientIp(c),
      });
      if (!result) return gone(c, payload.workspaceId);
      await email.record(payload.workspaceId, result.events);
      const form = await getActiveForm(deps.sql, payload.formId);
      const segmentId = form?.definition.targetSegmentId;
      if (segmentId) {
        const { changeIds, outboxIds } = await changeStaticMembership(deps.sql, {
          workspaceId: payload.workspaceId,
          contactId: result.contact.id,
          add: [segmentId],
          remove: [],
          cause: `form:${payload.formId}`,
          now: email.now(),
          outbox: true,
        });
        await dispatchFromOutbox(
          deps.sql,
          deps.dispatcher,
          payload.workspaceId,
          { changeIds, outboxIds },
          email.log,
        );
      }
      const language = await recipientLanguage(deps, c, payload.workspaceId, result.contact.id);
      const text = hostedText(language).subscribed;
      const page = renderNoticePage({
        title: text.title,
        // The form's own message is the marketer's words: shown as written.
        message: form?.definition.successMessage ?? text.message,
        tone: 'ok',
        link: {
          href: email.tracking.preferencesUrl({
            workspaceId: payload.workspaceId,
            contactId: result.contact.id,
          }),
          label: text.link,
        },
        language,
      });
      return c.html(page, 200, NO_STORE);
    });
};
