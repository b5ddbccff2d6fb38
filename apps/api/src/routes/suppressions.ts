import { Hono } from 'hono';
import { z } from 'zod';
import {
  listSuppressions,
  normaliseEmail,
  suppressAddress,
  suppressionReasons,
  unsuppressAddress,
  type SuppressionReason,
} from '@relance/email';
import type { AppDeps, AppEnv } from '../env';
import { notFound } from '../errors';
import { validate } from '../validation';

const REASONS = ['unsubscribed', 'hard_bounce', 'complaint', 'manual'] as const;
const Reason = z.enum(REASONS, { error: `Choose one of ${REASONS.join(', ')}` });

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  /** Part of the address, e.g. `@acme.test`. */
  q: z.string().trim().max(320).optional(),
  reason: Reason.optional(),
});
const AddBody = z.strictObject({
  // An internationalised domain may come in either form (`exämple.test`, `xn--exmple-cua.test`).
  email: z
    .string()
    .trim()
    .pipe(z.email({ pattern: z.regexes.unicodeEmail, error: 'Enter the address to suppress' })),
  // Bounces and complaints come from feedback; a person adds a manual block or an unsubscribe.
  reason: z
    .enum(['manual', 'unsubscribed'], { error: 'Choose manual or unsubscribed' })
    .default('manual'),
  detail: z.string().trim().max(500).optional(),
});
const EmailParam = z.object({
  email: z.email({ pattern: z.regexes.unicodeEmail, error: 'Not an email address' }),
});
const RemoveQuery = z.object({ reason: Reason.optional() });

/**
 * `/api/suppressions`: addresses never mailed (unsubscribed, hard-bounced, complained, blocked
 * by hand), with the reason. Removing one lets mail reach the address again.
 */
export const suppressionRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>()
    .get('/', validate('query', ListQuery), async (c) => {
      const { limit, offset, q, reason } = c.req.valid('query');
      // One row more than asked says whether there is a next page.
      const rows = await listSuppressions(deps.sql, c.get('workspaceId'), {
        limit: limit + 1,
        offset,
        ...(q ? { search: q } : {}),
        ...(reason ? { reason } : {}),
      });
      return c.json({ suppressions: rows.slice(0, limit), hasMore: rows.length > limit }, 200);
    })
    .post('/', validate('json', AddBody), async (c) => {
      const workspaceId = c.get('workspaceId');
      const body = c.req.valid('json');
      await suppressAddress(deps.sql, {
        workspaceId,
        email: body.email,
        reason: body.reason,
        detail: body.detail ?? 'added in the app',
      });
      const email = normaliseEmail(body.email);
      return c.json(
        { email, reasons: await suppressionReasons(deps.sql, workspaceId, email) },
        201,
      );
    })
    .delete('/:email', validate('param', EmailParam), validate('query', RemoveQuery), async (c) => {
      const workspaceId = c.get('workspaceId');
      const { email } = c.req.valid('param');
      const only = c.req.valid('query').reason;
      const reasons: readonly SuppressionReason[] = only ? [only] : REASONS;
      let removed = 0;
      for (const reason of reasons) {
        if (await unsuppressAddress(deps.sql, workspaceId, email, reason)) removed++;
      }
      if (removed === 0) throw notFound('The suppression');
      return c.body(null, 204);
    });
