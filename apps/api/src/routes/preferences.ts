import { Hono } from 'hono';
import {
  confirmSubscription,
  findLinkContact,
  getActiveForm,
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
import { changeStaticMembership, dispatchCommitted } from '@relance/db';
import { clientIp, emailServices } from '../email/services';
import type { AppDeps, AppEnv } from '../env';
import { invalidLink, NO_STORE } from './tracking';

const FREQUENCIES: readonly FrequencyPreference[] = ['every', 'monthly', 'important'];
const GONE = {
  title: 'Nothing to manage',
  message: 'This address is not on our list any more: you will not receive emails from us.',
};

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (item): item is string => typeof item === 'string',
  );

/**
 * `/p/:token`: the hosted preference page — per-topic opt-in/out, how often (every issue,
 * monthly digest, important only) and unsubscribe from all. POST applies at once, records one
 * event per change, then shows the page again (303, so a reload does not post twice).
 */
export const preferenceRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  return new Hono<AppEnv>()
    .get('/:token', async (c) => {
      const token = c.req.param('token');
      const payload = email.tracking.verifyPreferences(token);
      if (!payload) return invalidLink(c);
      if (isTestLink(payload)) return c.html(renderTestLinkPage('preferences'), 200, NO_STORE);
      const contact = await findLinkContact(deps.sql, payload.workspaceId, payload.contactId);
      if (!contact) return c.html(renderNoticePage(GONE), 200, NO_STORE);
      const state = await loadPreferences(deps.sql, payload.workspaceId, contact);
      const page = renderPreferencesPage({
        state,
        sender: await senderName(deps.sql, payload.workspaceId),
        actionUrl: `${deps.publicUrl}/p/${token}`,
        saved: c.req.query('saved') === '1',
      });
      return c.html(page, 200, NO_STORE);
    })
    .post('/:token', async (c) => {
      const token = c.req.param('token');
      const payload = email.tracking.verifyPreferences(token);
      if (!payload) return invalidLink(c);
      if (isTestLink(payload)) return c.html(renderTestLinkPage('preferences'), 200, NO_STORE);
      const body = await c.req.parseBody({ all: true });
      const unsubscribeAll = list(body.unsubscribe_all).length > 0;
      const frequency = list(body.frequency)[0] ?? 'every';
      if (!unsubscribeAll && !FREQUENCIES.includes(frequency as FrequencyPreference)) {
        const page = renderNoticePage({
          title: 'That choice is not available',
          message: `frequency: choose every issue, monthly digest or important announcements only (got “${frequency}”).`,
          tone: 'problem',
          link: { href: `${deps.publicUrl}/p/${token}`, label: 'Back to your preferences' },
        });
        return c.html(page, 400, NO_STORE);
      }
      const contact = await findLinkContact(deps.sql, payload.workspaceId, payload.contactId);
      if (!contact) return c.html(renderNoticePage(GONE), 200, NO_STORE);
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

const SIGN_UP_GONE = {
  title: 'This sign-up is no longer available',
  message: 'Please sign up again from the form.',
  tone: 'problem',
} as const;

/**
 * `/s/:token`: the double opt-in link. GET shows a confirm button and changes nothing (mail
 * scanners follow links: they must not confirm someone else's sign-up); POST confirms the topics
 * the form asked for, adds the contact to the form's segment, records `form.confirmed` (once,
 * however often it is pressed).
 */
export const confirmRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  return new Hono<AppEnv>()
    .get('/:token', async (c) => {
      const token = c.req.param('token');
      const payload = email.tracking.verifyConfirm(token);
      if (!payload) return invalidLink(c);
      const contact = await findLinkContact(deps.sql, payload.workspaceId, payload.contactId);
      if (!contact) return c.html(renderNoticePage(SIGN_UP_GONE), 404, NO_STORE);
      const page = renderConfirmPage({
        email: contact.email,
        actionUrl: `${deps.publicUrl}/s/${token}`,
      });
      return c.html(page, 200, NO_STORE);
    })
    .post('/:token', async (c) => {
      const payload = email.tracking.verifyConfirm(c.req.param('token'));
      if (!payload) return invalidLink(c);
      const result = await confirmSubscription(deps.sql, payload, {
        source: `confirm:${payload.formId}`,
        ip: clientIp(c),
      });
      if (!result) return c.html(renderNoticePage(SIGN_UP_GONE), 404, NO_STORE);
      await email.record(payload.workspaceId, result.events);
      const form = await getActiveForm(deps.sql, payload.formId);
      const segmentId = form?.definition.targetSegmentId;
      if (segmentId) {
        const { changeIds } = await changeStaticMembership(deps.sql, {
          workspaceId: payload.workspaceId,
          contactId: result.contact.id,
          add: [segmentId],
          remove: [],
          cause: `form:${payload.formId}`,
          now: email.now(),
        });
        await dispatchCommitted(deps.dispatcher, payload.workspaceId, { changeIds }, email.log);
      }
      const page = renderNoticePage({
        title: 'You are subscribed',
        message: form?.definition.successMessage ?? 'Thanks for confirming your address.',
        tone: 'ok',
        link: {
          href: email.tracking.preferencesUrl({
            workspaceId: payload.workspaceId,
            contactId: result.contact.id,
          }),
          label: 'Choose what you receive',
        },
      });
      return c.html(page, 200, NO_STORE);
    });
};
