import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../env';

const TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}

const reason = (error: unknown) =>
  error instanceof Error ? error.message.split('\n')[0]! : String(error);

/** GET /api/health: 200 when Postgres and Temporal both answer, 503 naming the part that does not. */
export const healthRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>().get('/', async (c) => {
    const [postgres, temporal] = await Promise.allSettled([
      withTimeout(deps.sql`select 1`, 'PostgreSQL'),
      // The deadline ends the client's own retries too: without it, each probe made while
      // Temporal is down would go on retrying in the background for some 20 s.
      withTimeout(
        deps.temporal.client.connection.withDeadline(Date.now() + TIMEOUT_MS, () =>
          deps.temporal.client.workflowService.describeNamespace({
            namespace: deps.temporal.namespace,
          }),
        ),
        'Temporal',
      ),
    ]);
    const body = {
      status:
        postgres.status === 'fulfilled' && temporal.status === 'fulfilled'
          ? ('ok' as const)
          : ('degraded' as const),
      postgres: postgres.status === 'fulfilled' ? ('ok' as const) : ('down' as const),
      temporal: temporal.status === 'fulfilled' ? ('ok' as const) : ('down' as const),
      version: deps.version,
      ...(postgres.status === 'rejected' || temporal.status === 'rejected'
        ? {
            problems: [
              ...(postgres.status === 'rejected' ? [`postgres: ${reason(postgres.reason)}`] : []),
              ...(temporal.status === 'rejected' ? [`temporal: ${reason(temporal.reason)}`] : []),
            ],
          }
        : {}),
    };
    return c.json(body, body.status === 'ok' ? 200 : 503);
  });
