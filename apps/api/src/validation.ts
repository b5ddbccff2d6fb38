import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ApiError, type Issue } from './errors';

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

/** zValidator whose failures become a 400 naming every field and the reason. */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = toIssues(
        result.error,
        target === 'json' || target === 'form' ? undefined : target,
      );
      throw new ApiError(
        400,
        'invalid_request',
        `The request is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
        issues,
      );
    }
  });
