import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import {
  applyFeedback,
  feedbackSecretCreatedAt,
  FeedbackWebhook,
  findLinkContact,
  mailtoUnsubscribeToken,
  parseMailReport,
  rotateFeedbackSecret,
  unsubscribeContact,
  workspaceOfFeedbackSecret,
  type MailFeedback,
} from '@relance/email';
import { emailServices, type EmailEvent } from '../email/services';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, type Issue } from '../errors';
import { replaceUnstorable, whyUnstorable } from '../storable-text';
import { toIssues } from '../validation';

function secretOf(header: string | undefined, alternative: string | undefined): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (bearer) return bearer;
  // Some providers can only send Basic credentials: the secret is the user name.
  const basic = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (basic) return Buffer.from(basic, 'base64').toString('utf8').split(':')[0] || null;
  return alternative?.trim() || null;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const eventOf = (feedback: MailFeedback): string => {
  switch (feedback.kind) {
    case 'bounce':
      return 'email.bounced';
    case 'complaint':
      return 'email.complained';
    case 'delivery':
      return 'email.delivered';
    default:
      return feedback satisfies never;
  }
};

/**
 * Feedback as PostgreSQL can store it. A provider retries whatever it is refused (or answered
 * 5xx), so a report holding a null character or half a character is applied, not refused: the
 * free text (`detail`) keeps the rest with those characters replaced by �; a message id holding
 * one cannot be ours, so it is ignored and the address alone is used; a report whose address
 * holds one cannot be about anyone we mailed, so it is skipped. Each is named in `warnings`.
 */
function storableFeedback(
  feedbacks: readonly MailFeedback[],
  fieldOf: (index: number, key: string) => string,
): { feedbacks: MailFeedback[]; warnings: Issue[] } {
  const warnings: Issue[] = [];
  const kept: MailFeedback[] = [];
  feedbacks.forEach((feedback, index) => {
    if (whyUnstorable(feedback.recipient)) {
      warnings.push({
        field: fieldOf(index, 'recipient'),
        message:
          'The address holds a null character or half a character, so it is no address we mail: this report was skipped',
      });
      return;
    }
    const ids: Pick<MailFeedback, 'messageId' | 'internetMessageId'> = {
      messageId: feedback.messageId,
      internetMessageId: feedback.internetMessageId,
    };
    for (const key of ['messageId', 'internetMessageId'] as const) {
      const id = ids[key];
      if (id !== null && whyUnstorable(id)) {
        ids[key] = null;
        warnings.push({
          field: fieldOf(index, key),
          message:
            'Holds a null character or half a character, so it is no message of ours: it was ignored and the address alone was used',
        });
      }
    }
    let detail = feedback.detail;
    if (detail !== null && whyUnstorable(detail)) {
      detail = replaceUnstorable(detail);
      warnings.push({
        field: fieldOf(index, 'detail'),
        message:
          'Held a null character or half a character, which cannot be stored: each was replaced by �',
      });
    }
    kept.push({ ...feedback, ...ids, detail });
  });
  return { feedbacks: kept, warnings };
}

/**
 * `POST /api/webhooks/email-feedback`: bounces, complaints and deliveries from a mail provider, in the
 * generic JSON of `FeedbackWebhook` (one event or `{ "events": [...] }`), or what a bounce
 * mailbox received, as `message/rfc822`: a DSN (RFC 3464), an abuse report (RFC 5965) or a
 * `mailto:` unsubscribe. Authenticated by the workspace's feedback secret (Bearer, Basic user or
 * `X-Relance-Webhook-Secret`) or the admin token. Hard bounces and complaints suppress the
 * address; each becomes an event.
 */
export const feedbackWebhookRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  // Authenticated before the body is read: strangers learn nothing about the format.
  const authenticate = createMiddleware<AppEnv>(async (c, next) => {
    const secret = secretOf(
      c.req.header('authorization'),
      c.req.header('x-relance-webhook-secret'),
    );
    if (!secret) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the workspace feedback secret as Authorization: Bearer <secret>',
      );
    }
    const workspaceId = same(secret, deps.auth.adminToken)
      ? deps.workspaceId
      : await workspaceOfFeedbackSecret(deps.sql, secret);
    if (!workspaceId) throw new ApiError(401, 'unauthorized', 'The feedback secret is not valid');
    c.set('workspaceId', workspaceId);
    await next();
  });
  // Applies bounces and complaints; returns what each did and the events to record.
  const apply = async (workspaceId: string, feedbacks: readonly MailFeedback[]) => {
    const applied = [];
    const events: EmailEvent[] = [];
    for (const feedback of feedbacks) {
      const { message, suppressed } = await applyFeedback(deps.sql, feedback, { workspaceId });
      applied.push({ recipient: feedback.recipient, messageId: message?.id ?? null, suppressed });
      if (!message?.contactId) continue;
      events.push({
        contactId: message.contactId,
        name: eventOf(feedback),
        properties: {
          messageId: message.id,
          templateId: message.templateId,
          journeyId: message.journeyId,
          recipient: feedback.recipient,
          detail: feedback.detail,
          ...(feedback.kind === 'bounce' ? { bounceType: feedback.hard ? 'hard' : 'soft' } : {}),
        },
        // A provider that delivers the same webhook twice records it once.
        dedupeKey: `${eventOf(feedback)}:${message.id}:${feedback.recipient}`,
      });
    }
    return { applied, events };
  };

  // An unsubscribe sent to the List-Unsubscribe mailto: its subject carries the signed token.
  const mailtoUnsubscribe = async (workspaceId: string, raw: string): Promise<EmailEvent[]> => {
    const token = mailtoUnsubscribeToken(raw);
    const payload = token ? email.tracking.verifyUnsubscribe(token) : null;
    if (!payload || payload.workspaceId !== workspaceId) return [];
    const contact = await findLinkContact(deps.sql, workspaceId, payload.contactId);
    if (!contact) return [];
    return unsubscribeContact(deps.sql, {
      workspaceId,
      contact,
      topic: payload.topic,
      messageId: payload.messageId,
      source: 'mailto',
      ip: null,
    });
  };

  return new Hono<AppEnv>().post(
    '/',
    authenticate,
    bodyLimit({
      maxSize: 5 * 1024 * 1024,
      onError: () => {
        throw new ApiError(413, 'too_large', 'A feedback request is at most 5 MB');
      },
    }),
    async (c) => {
      const workspaceId = c.get('workspaceId');
      const type = c.req.header('content-type') ?? '';
      // A bounce mailbox forwarding what it received: a DSN, an abuse report or a mailto unsubscribe.
      if (/^(message\/rfc822|text\/plain)/i.test(type)) {
        const raw = await c.req.text();
        const { feedbacks, warnings } = storableFeedback(parseMailReport(raw), (_, key) => key);
        const { applied, events } = await apply(workspaceId, feedbacks);
        const unsubscribed = applied.length === 0 ? await mailtoUnsubscribe(workspaceId, raw) : [];
        // The unsubscribe's event comes while it stands (keyed to it): count the ones new here.
        const recorded = await email.record(workspaceId, [...events, ...unsubscribed]);
        const newlyUnsubscribed = recorded.slice(events.length).filter((id) => id !== null).length;
        return c.json(
          { applied, unsubscribed: newlyUnsubscribed, ...(warnings.length ? { warnings } : {}) },
          200,
        );
      }
      const body: unknown = await c.req.json().catch(() => {
        throw new ApiError(
          400,
          'invalid_json',
          'Send feedback as JSON, or a received report as message/rfc822',
        );
      });
      const parsed = FeedbackWebhook.safeParse(body);
      if (!parsed.success) {
        const issues = toIssues(parsed.error);
        throw new ApiError(
          400,
          'invalid_request',
          `The request is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
          issues,
        );
      }
      // One event, or `{ "events": [...] }`: the warnings name the field as it was sent.
      const many = typeof body === 'object' && body !== null && 'events' in body;
      const { feedbacks, warnings } = storableFeedback(parsed.data, (index, key) =>
        many ? `events.${index}.${key}` : key,
      );
      const { applied, events } = await apply(workspaceId, feedbacks);
      await email.record(workspaceId, events);
      return c.json({ applied, ...(warnings.length ? { warnings } : {}) }, 200);
    },
  );
};

/**
 * `/api/email`: how this deployment sends (provider, tracking domain) and the feedback webhook:
 * its URL, and `POST /feedback-secret` to create or replace its secret (shown once).
 */
export const emailSettingsRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>()
    .get('/settings', async (c) => {
      const created = await feedbackSecretCreatedAt(deps.sql, c.get('workspaceId'));
      return c.json(
        {
          provider: deps.mail.provider.name,
          publicUrl: deps.publicUrl,
          feedbackWebhookUrl: `${deps.publicUrl}/api/webhooks/email-feedback`,
          feedbackSecretCreatedAt: created,
        },
        200,
      );
    })
    .post('/feedback-secret', async (c) => {
      const secret = await rotateFeedbackSecret(deps.sql, c.get('workspaceId'));
      return c.json(
        { secret, feedbackWebhookUrl: `${deps.publicUrl}/api/webhooks/email-feedback` },
        201,
      );
    });
