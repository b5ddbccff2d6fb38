import type { Context } from 'hono';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { IngestOutcome } from '@relance/db';
import { writeKeyAuth } from '../auth';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, type ErrorBody, type Issue } from '../errors';
import { limit, readBody, writeKeyInBody } from '../ingest/body';
import { createDuplicateWarnings } from '../ingest/duplicate-warnings';
import { createEntryKeyWarnings } from '../ingest/entry-key-warnings';
import { createGroupCommit } from '../ingest/group-commit';
import {
  BatchRequest,
  ignoredNote,
  MAX_BATCH_BYTES,
  MAX_MESSAGE_BYTES,
  parseMessage,
  typeOf,
  type IgnoredType,
  type MessageType,
} from '../ingest/messages';
import { createOrderValueWarnings } from '../ingest/order-value-warnings';
import { createSettler } from '../ingest/settler';
import { toIssues } from '../validation';

/**
 * CORS for /v1: any origin (write keys are public and no cookie is read). Written by hand rather
 * than with hono/cors, which sets its header on `c.res` before the route answers, so that a
 * Response is built for every event before the route's own; the header set here goes into the
 * route's answer, or the error's. (One ingestion benchmark each way: one event per request
 * 0.83× the bare baseline with hono/cors, 0.93× without; rounds vary by ±0.1.) A preflight is answered at
 * once, before the write key is asked for.
 */
const anyOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'OPTIONS') {
    return c.body(null, 204, {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST,OPTIONS',
      // AnonymousId: what RudderStack's JavaScript SDK adds.
      'access-control-allow-headers': 'Authorization,Content-Type,Content-Encoding,AnonymousId',
      'access-control-max-age': '86400',
      vary: 'Access-Control-Request-Headers',
    });
  }
  c.header('access-control-allow-origin', '*');
  await next();
});

const invalid = (issues: Issue[]) =>
  new ApiError(
    400,
    'invalid_message',
    `The message is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    issues,
  );

type Result =
  | { index: number; status: 'accepted' | 'duplicate'; warnings?: Issue[] }
  | { index: number; status: 'ignored'; warnings: Issue[] }
  | { index: number; status: 'rejected'; issues: Issue[] };

/** The message's outcome, with what parsing left out of it before what storing reported. */
/** "2 of 3 messages were rejected (see issues); the other one was stored or ignored". */
export function rejectedWords(rejected: number, all: number): string {
  const were = (n: number) => (n === 1 ? 'was' : 'were');
  const kept = all - rejected;
  return `${rejected} of ${all} ${all === 1 ? 'message' : 'messages'} ${were(rejected)} rejected (see issues)${kept > 0 ? `; the other ${kept === 1 ? 'one' : kept} ${were(kept)} stored or ignored` : ''}`;
}

function resultOf(index: number, outcome: IngestOutcome, parsed: Issue[]): Result {
  const warnings = [...parsed, ...(outcome.status === 'accepted' ? (outcome.warnings ?? []) : [])];
  return { index, status: outcome.status, ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * Segment-compatible ingestion under /v1, authenticated by the workspace write key: identify,
 * track, page, screen, alias and batch, also at the one-letter paths analytics.js posts to (/i,
 * /t, /p, /s, /a, /b) and Segment's /import; group is answered and ignored. Browsers may
 * call it from any site (write keys are public). Messages are written by server-side group
 * commit and each request is answered after its transaction committed.
 */
export const ingestRoutes = (deps: AppDeps) => {
  const now = deps.clock ?? (() => new Date());
  const log = deps.log ?? ((line: string) => console.error(line));
  const settler =
    deps.settler ?? createSettler({ sql: deps.sql, dispatcher: deps.dispatcher, log, now });
  const commit = createGroupCommit({ sql: deps.sql, settler, now });
  const entryKeyWarnings = createEntryKeyWarnings({ sql: deps.sql, now });
  const orderValueWarnings = createOrderValueWarnings({ sql: deps.sql, now });
  const duplicateWarnings = createDuplicateWarnings({ sql: deps.sql });
  // The workspace's lookups for the warnings above, waited for once per request.
  const warningChecks = (workspaceId: string) =>
    Promise.all([
      entryKeyWarnings.forWorkspace(workspaceId),
      orderValueWarnings.forWorkspace(workspaceId),
    ]);
  const auth = writeKeyAuth(deps.sql, writeKeyInBody);
  const oneMessage = limit(MAX_MESSAGE_BYTES, 'A message');
  const aBatch = limit(MAX_BATCH_BYTES, 'A batch');

  const single = (type: MessageType) => async (c: Context<AppEnv>) => {
    const parsed = parseMessage(type, await readBody(c), now());
    if ('issues' in parsed) throw invalid(parsed.issues);
    // Read before storing: a lookup that fails fails the request before the event is kept.
    const [keyless, valueless] = (await warningChecks(c.get('workspaceId'))).map((check) =>
      check(parsed.message),
    ) as [Issue[], Issue[]];
    const outcomes = await commit.submit(c.get('workspaceId'), [parsed.message]);
    const [reused] = await duplicateWarnings(c.get('workspaceId'), [parsed.message], outcomes);
    const result = resultOf(0, outcomes[0]!, [
      ...parsed.warnings,
      ...keyless,
      ...valueless,
      ...reused!,
    ]);
    return c.json(
      {
        success: true as const,
        status: result.status,
        ...('warnings' in result ? { warnings: result.warnings } : {}),
      },
      200,
    );
  };

  // Segment's libraries report any other answer as a failure and resend the call.
  const ignored = (type: IgnoredType) => async (c: Context<AppEnv>) => {
    await readBody(c);
    return c.json(
      { success: true as const, status: 'ignored' as const, warnings: [ignoredNote(type)] },
      200,
    );
  };

  const batch = async (c: Context<AppEnv>) => {
    const request = BatchRequest.safeParse(await readBody(c));
    if (!request.success) {
      const issues = toIssues(request.error);
      throw new ApiError(
        400,
        'invalid_batch',
        `The batch is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
        issues,
      );
    }
    const receivedAt = now();
    const envelope = { context: request.data.context, sentAt: request.data.sentAt };
    // No message can outgrow the per-message limit in a body smaller than it: skip measuring
    // (a compressed body's length says nothing of its messages').
    const measure =
      c.req.header('content-encoding') !== undefined ||
      !(Number(c.req.header('content-length')) <= MAX_MESSAGE_BYTES);
    const results: (Result | null)[] = [];
    const valid: {
      index: number;
      message: Parameters<typeof commit.submit>[1][number];
      warnings: Issue[];
    }[] = [];
    let checks: ((message: Parameters<typeof commit.submit>[1][number]) => Issue[])[] | undefined;
    for (const [index, item] of request.data.batch.entries()) {
      const prefix = (issues: Issue[]) =>
        issues.map((i) => ({ ...i, field: `batch.${index}.${i.field}` }));
      const type = typeOf(item);
      if (typeof type !== 'string') {
        results.push({ index, status: 'rejected', issues: prefix([type]) });
        continue;
      }
      if (type === 'group') {
        results.push({ index, status: 'ignored', warnings: prefix([ignoredNote(type)]) });
        continue;
      }
      // Parsing first refuses a message nested too deep to measure.
      const parsed = parseMessage(type, item, receivedAt, envelope);
      if ('issues' in parsed) {
        results.push({ index, status: 'rejected', issues: prefix(parsed.issues) });
        continue;
      }
      if (measure && JSON.stringify(item).length > MAX_MESSAGE_BYTES) {
        results.push({
          index,
          status: 'rejected',
          issues: [
            {
              field: `batch.${index}`,
              message: `A message is at most ${MAX_MESSAGE_BYTES / 1024} KB`,
            },
          ],
        });
        continue;
      }
      results.push(null);
      checks ??= await warningChecks(c.get('workspaceId'));
      const message = parsed.message;
      valid.push({
        index,
        message,
        warnings: [...parsed.warnings, ...checks.flatMap((check) => check(message))],
      });
    }
    const outcomes =
      valid.length > 0
        ? await commit.submit(
            c.get('workspaceId'),
            valid.map((v) => v.message),
          )
        : [];
    const reused = await duplicateWarnings(
      c.get('workspaceId'),
      valid.map((v) => v.message),
      outcomes,
    );
    valid.forEach((v, k) => {
      const result = resultOf(v.index, outcomes[k]!, [...v.warnings, ...reused[k]!]);
      // Named like the issues of a batch: `batch.3.traits.email`.
      if ('warnings' in result && result.warnings) {
        result.warnings = result.warnings.map((w) => ({
          ...w,
          field: `batch.${v.index}.${w.field}`,
        }));
      }
      results[v.index] = result;
    });
    const all = results.map((r) => r!);
    const counts = {
      accepted: all.filter((r) => r.status === 'accepted').length,
      duplicates: all.filter((r) => r.status === 'duplicate').length,
      ignored: all.filter((r) => r.status === 'ignored').length,
      rejected: all.filter((r) => r.status === 'rejected').length,
    };
    if (counts.rejected === 0)
      return c.json({ success: true as const, ...counts, results: all }, 200);
    const issues = all.flatMap((r) => (r.status === 'rejected' ? r.issues : []));
    return c.json<ErrorBody & { success: false; results: Result[] } & typeof counts>(
      {
        success: false,
        error: {
          code: 'invalid_messages',
          message: rejectedWords(counts.rejected, all.length),
          issues,
          requestId: c.get('requestId'),
        },
        ...counts,
        results: all,
      },
      400,
    );
  };

  return (
    new Hono<AppEnv>()
      // Before the write key: a browser's preflight carries none, and every answer (a 401 too)
      // must be readable by the page that sent it. No cookies are read, so any origin will do.
      .use(anyOrigin)
      .post('/identify', oneMessage, auth, single('identify'))
      .post('/i', oneMessage, auth, single('identify'))
      .post('/track', oneMessage, auth, single('track'))
      .post('/t', oneMessage, auth, single('track'))
      .post('/page', oneMessage, auth, single('page'))
      .post('/p', oneMessage, auth, single('page'))
      .post('/screen', oneMessage, auth, single('screen'))
      .post('/s', oneMessage, auth, single('screen'))
      .post('/group', oneMessage, auth, ignored('group'))
      .post('/g', oneMessage, auth, ignored('group'))
      .post('/alias', oneMessage, auth, single('alias'))
      .post('/a', oneMessage, auth, single('alias'))
      .post('/batch', aBatch, auth, batch)
      .post('/b', aBatch, auth, batch)
      .post('/import', aBatch, auth, batch)
  );
};
