import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { IngestOutcome } from '@relance/db';
import { writeKeyAuth } from '../auth';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, type ErrorBody, type Issue } from '../errors';
import { createGroupCommit } from '../ingest/group-commit';
import {
  BatchRequest,
  MAX_BATCH_BYTES,
  MAX_MESSAGE_BYTES,
  parseMessage,
  typeOf,
  type MessageType,
} from '../ingest/messages';
import { createSettler } from '../ingest/settler';
import { toIssues } from '../validation';

/**
 * The body size limit. A request that declares its length (and is not chunked) is judged by
 * the header alone: Node's HTTP parser never delivers more than the declared length, and not
 * touching the body stream keeps it on the server's direct read path, where `c.req.json()`
 * costs a fraction of what building a web Request and its stream does on every event. Chunked
 * bodies are counted as they stream in.
 */
function limit(bytes: number, what: string) {
  const tooLarge = () =>
    new ApiError(413, 'payload_too_large', `${what} is at most ${bytes / 1024} KB`, [
      { field: '(body)', message: `At most ${bytes / 1024} KB` },
    ]);
  const streamed = bodyLimit({
    maxSize: bytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined)
      return streamed(c, next);
    if (Number(declared) > bytes) throw tooLarge();
    await next();
  });
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON', [
      { field: '(body)', message: 'Send a JSON object with Content-Type: application/json' },
    ]);
  }
}

const invalid = (issues: Issue[]) =>
  new ApiError(
    400,
    'invalid_message',
    `The message is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    issues,
  );

type Result =
  | { index: number; status: 'accepted' | 'duplicate'; warnings?: Issue[] }
  | { index: number; status: 'rejected'; issues: Issue[] };

function resultOf(index: number, outcome: IngestOutcome): Result {
  if (outcome.status === 'duplicate') return { index, status: 'duplicate' };
  return { index, status: 'accepted', ...(outcome.warnings ? { warnings: outcome.warnings } : {}) };
}

/**
 * Segment-compatible ingestion under /v1, authenticated by the workspace write key: identify,
 * track, page, screen and batch. Messages are written by server-side group commit and each
 * request is answered after its transaction committed.
 */
export const ingestRoutes = (deps: AppDeps) => {
  const now = deps.clock ?? (() => new Date());
  const log = deps.log ?? ((line: string) => console.error(line));
  const settler =
    deps.settler ?? createSettler({ sql: deps.sql, dispatcher: deps.dispatcher, log, now });
  const commit = createGroupCommit({ sql: deps.sql, settler, now });

  const single = (type: MessageType) => async (c: Context<AppEnv>) => {
    const parsed = parseMessage(type, await readJson(c), now());
    if ('issues' in parsed) throw invalid(parsed.issues);
    const [outcome] = await commit.submit(c.get('workspaceId'), [parsed.message]);
    const result = resultOf(0, outcome!);
    return c.json(
      {
        success: true as const,
        status: result.status,
        ...('warnings' in result ? { warnings: result.warnings } : {}),
      },
      200,
    );
  };

  return new Hono<AppEnv>()
    .use(writeKeyAuth(deps.sql))
    .post('/identify', limit(MAX_MESSAGE_BYTES, 'A message'), single('identify'))
    .post('/track', limit(MAX_MESSAGE_BYTES, 'A message'), single('track'))
    .post('/page', limit(MAX_MESSAGE_BYTES, 'A message'), single('page'))
    .post('/screen', limit(MAX_MESSAGE_BYTES, 'A message'), single('screen'))
    .post('/batch', limit(MAX_BATCH_BYTES, 'A batch'), async (c) => {
      const request = BatchRequest.safeParse(await readJson(c));
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
      // No message can outgrow the per-message limit in a body smaller than it: skip measuring.
      const measure = !(Number(c.req.header('content-length')) <= MAX_MESSAGE_BYTES);
      const results: (Result | null)[] = [];
      const valid: { index: number; message: Parameters<typeof commit.submit>[1][number] }[] = [];
      for (const [index, item] of request.data.batch.entries()) {
        const prefix = (issues: Issue[]) =>
          issues.map((i) => ({ ...i, field: `batch.${index}.${i.field}` }));
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
        const type = typeOf(item);
        if (typeof type !== 'string') {
          results.push({ index, status: 'rejected', issues: prefix([type]) });
          continue;
        }
        const parsed = parseMessage(type, item, receivedAt, request.data.context);
        if ('issues' in parsed) {
          results.push({ index, status: 'rejected', issues: prefix(parsed.issues) });
          continue;
        }
        results.push(null);
        valid.push({ index, message: parsed.message });
      }
      const outcomes =
        valid.length > 0
          ? await commit.submit(
              c.get('workspaceId'),
              valid.map((v) => v.message),
            )
          : [];
      valid.forEach((v, k) => (results[v.index] = resultOf(v.index, outcomes[k]!)));
      const all = results.map((r) => r!);
      const counts = {
        accepted: all.filter((r) => r.status === 'accepted').length,
        duplicates: all.filter((r) => r.status === 'duplicate').length,
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
            message: `${counts.rejected} of ${all.length} messages were rejected (see issues); the other ${all.length - counts.rejected} were stored`,
            issues,
            requestId: c.get('requestId'),
          },
          ...counts,
          results: all,
        },
        400,
      );
    });
};
