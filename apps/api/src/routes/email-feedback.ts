import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  applyFeedback,
  feedbackSecretCreatedAt,
  FeedbackWebhook,
  rotateFeedbackSecret,
  workspaceOfFeedbackSecret,
  type MailFeedback,
} from '@relance/email';
import { emailServices, type EmailEvent } from '../email/services';
import type { AppDeps, AppEnv } from '../env';
import { ApiError } from '../errors';
import { validate } from '../validation';

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
    default:
      return feedback satisfies never;
  }
};

/**
 * `POST /api/webhooks/email-feedback`: bounces and complaints from a mail provider, in the
 * generic JSON of `FeedbackWebhook` (one event or `{ "events": [...] }`). Authenticated by the
 * workspace's feedback secret (Bearer, Basic user or `X-Relance-Webhook-Secret`) or the admin
 * token. Hard bounces and complaints suppress the address; each becomes an event.
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
  return new Hono<AppEnv>().post(
    '/',
    authenticate,
    validate('json', FeedbackWebhook),
    async (c) => {
      const workspaceId = c.get('workspaceId');
      const results = [];
      const events: EmailEvent[] = [];
      for (const feedback of c.req.valid('json')) {
        const { message, suppressed } = await applyFeedback(deps.sql, feedback, { workspaceId });
        results.push({ recipient: feedback.recipient, messageId: message?.id ?? null, suppressed });
        if (message?.contactId) {
          events.push({
            contactId: message.contactId,
            name: eventOf(feedback),
            properties: {
              messageId: message.id,
              templateId: message.templateId,
              journeyId: message.journeyId,
              recipient: feedback.recipient,
              detail: feedback.detail,
              ...(feedback.kind === 'bounce'
                ? { bounceType: feedback.hard ? 'hard' : 'soft' }
                : {}),
            },
            // A provider that delivers the same webhook twice records it once.
            dedupeKey: `${eventOf(feedback)}:${message.id}:${feedback.recipient}`,
          });
        }
      }
      await email.record(workspaceId, events);
      return c.json({ applied: results }, 200);
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
