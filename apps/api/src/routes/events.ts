import { Hono } from 'hono';
import { z } from 'zod';
import { EventName } from '@relance/flow';
import { listRecentEvents } from '@relance/db';
import type { AppDeps, AppEnv } from '../env';
import { Limit, validate } from '../validation';

const Query = z.object({
  name: EventName.optional(),
  cursor: z.string().max(500).optional(),
  limit: Limit(200, 50),
});

/** `GET /api/events`: the workspace's latest events, newest first, optionally of one name. */
export const eventRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>().get('/', validate('query', Query), async (c) => {
    const page = await listRecentEvents(deps.sql, c.get('workspaceId'), c.req.valid('query'));
    return c.json(page, 200);
  });
