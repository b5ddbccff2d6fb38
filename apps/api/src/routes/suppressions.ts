import { Hono } from 'hono';
import { z } from 'zod';
import {
  listSuppressions,
  normaliseEmail,
  resubscribeAddress,
  suppressAddress,
  suppressionReasons,
  SUPPRESSION_LIST_SOURCE,
  unsubscribeAddress,
  unsuppressAddress,
  type SuppressionReason,
} from '@relance/email';
import { emailServices } from '../email/services';
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
 *
 * An unsubscribe added here is the person's own (asked by phone or letter): every contact
 * holding the address gets the `email.unsubscribed` clicking unsubscribe gives, recorded like
 * the other consent changes (segments and scores settle at once, journeys hear of it). Removing
 * it subscribes them again and records `email.subscribed`. Both events are keyed to the change:
 * repeating a request that failed after the change records what it left, once. A block by hand
 * stays a block only.
 */
export const suppressionRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  return new Hono<AppEnv>()
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
      const detail = body.detail ?? 'added in the app';
      const address = normaliseEmail(body.email);
      if (body.reason === 'manual') {
        await suppressAddress(deps.sql, { workspaceId, email: address, reason: 'manual', detail });
        return c.json(
          { email: address, reasons: await suppressionReasons(deps.sql, workspaceId, address) },
          201,
        );
      }
      const unsubscribed = await unsubscribeAddress(deps.sql, {
        workspaceId,
        email: address,
        detail,
        ...(body.detail ? { note: body.detail } : {}),
        source: SUPPRESSION_LIST_SOURCE,
      });
      // Keyed to the unsubscribe: a retry records what a failed attempt left, a repeat nothing.
      const recorded = await email.record(workspaceId, unsubscribed.events);
      const contactsUnsubscribed = recorded.filter((id) => id !== null).length;
      return c.json(
        {
          email: address,
          reasons: await suppressionReasons(deps.sql, workspaceId, address),
          /** Already unsubscribed: nothing new was recorded. */
          alreadyUnsubscribed: !unsubscribed.added && contactsUnsubscribed === 0,
          /** The contacts given `email.unsubscribed` on their timeline by this request. */
          contactsUnsubscribed,
        },
        201,
      );
    })
    .delete('/:email', validate('param', EmailParam), validate('query', RemoveQuery), async (c) => {
      const workspaceId = c.get('workspaceId');
      const { email: address } = c.req.valid('param');
      const only = c.req.valid('query').reason;
      const reasons: readonly SuppressionReason[] = only ? [only] : REASONS;
      let removed = 0;
      for (const reason of reasons) {
        if (reason === 'unsubscribed') {
          const lifted = await resubscribeAddress(deps.sql, {
            workspaceId,
            email: address,
            source: SUPPRESSION_LIST_SOURCE,
          });
          // A retry after the events failed finds the suppression gone and records them.
          const recorded = await email.record(workspaceId, lifted.events);
          if (lifted.removed || recorded.some((id) => id !== null)) removed++;
        } else if (await unsuppressAddress(deps.sql, workspaceId, address, reason)) {
          removed++;
        }
      }
      if (removed === 0) throw notFound('The suppression');
      return c.body(null, 204);
    });
};
