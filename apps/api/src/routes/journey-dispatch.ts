import { Hono } from 'hono';
import { findDispatchBacklog } from '@relance/db';
import type { AppDeps, AppEnv } from '../env';

const ITEMS_SHOWN = 100;

/**
 * GET /api/journeys/dispatch-backlog: run starts and signals Temporal did not take yet. The
 * worker retries them with backoff; `stuck` counts the ones that kept failing (listed first).
 */
export const journeyDispatchRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>().get('/', async (c) => {
    const backlog = await findDispatchBacklog(deps.sql, {
      workspaceId: c.get('workspaceId'),
      limit: ITEMS_SHOWN,
    });
    return c.json(backlog, 200);
  });
