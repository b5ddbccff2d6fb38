import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { ApiError, type Issue } from './errors';
import { findUnstorableText } from './storable-text';

/** Turns zod issues into `{ field, message }` pairs, field as a dotted path (`nodes.2.config`). */
export function toIssues(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  prefix?: string,
): Issue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}

/**
 * zValidator whose failures become a 400 naming every field and the reason; text PostgreSQL
 * cannot store (a null character, half a character) is such a failure wherever it is.
 */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) =>
  zValidator(target, schema, (result) => {
    const prefix = target === 'json' || target === 'form' ? undefined : target;
    const issues = result.success
      ? toIssues({ issues: findUnstorableText(result.data) }, prefix)
      : toIssues(result.error, prefix);
    if (issues.length > 0) {
      throw new ApiError(
        400,
        'invalid_request',
        `The request is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
        issues,
      );
    }
  });

/** Up to 1,000 contact ids, for the requests that act on many contacts at once. */
export const ContactIdList = z
  .array(z.uuid('Not a contact id'))
  .min(1, 'List at least one contact')
  .max(1_000, 'At most 1,000 contacts per request');

/** A count from the query string (a page size, a number of days): 1..max, `fallback` when absent. */
export const Limit = (max: number, fallback: number, what = 'The limit') =>
  z.coerce
    .number({ error: `${what} is a number` })
    .int(`${what} is a whole number`)
    .min(1, `${what} is at least 1`)
    .max(max, `${what} is at most ${max}`)
    .default(fallback);

/** A contact's tag, as typed: trimmed. */
export const Tag = z
  .string({ error: 'Tags are text' })
  .trim()
  .min(1, 'A tag cannot be empty')
  .max(100, 'Tags are at most 100 characters');

/** What the change log records: `manual` when a person made the change in the app. */
export const ChangeCause = z
  .enum(['api', 'manual'], { error: 'The cause is "api" (the default) or "manual"' })
  .default('api');
