import { Hono } from 'hono';
import { findDispatchBacklog, findKeptDispatchBacklog } from '@relance/db';
import type { AppDeps, AppEnv } from '../env';

const ITEMS_SHOWN = 100;

/**
 * GET /api/journeys/dispatch-backlog: what the journeys could not be told yet, which the worker
 * retries with backoff: run starts and signals Temporal did not take, and events, segment
 * changes and contact changes whose hand-over to the journeys Postgres failed (`dispatches`:
 * how many such hand-overs and the facts they hold). `pending` and `stuck` count both; the
 * stuck ones (failing again and again) are listed first.
 */
export const journeyDispatchRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>().get('/', async (c) => {
    const workspaceId = c.get('workspaceId');
    const [backlog, dispatches] = await Promise.all([
      findDispatchBacklog(deps.sql, { workspaceId, limit: ITEMS_SHOWN }),
      findKeptDispatchBacklog(deps.sql, workspaceId),
    ]);
    return c.json({ ...backlog, dispatches }, 200);
  });
