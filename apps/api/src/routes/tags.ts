import { Hono } from 'hono';
import { listKnownTags } from '@relance/db';
import type { AppDeps, AppEnv } from '../env';

/** More than a picker can usefully offer; `truncated` says when there were more. */
const TAGS_LISTED = 1_000;

/** `GET /api/tags`: the workspace's tags, for the pickers (alphabetical). */
export const tagRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>().get('/', async (c) => {
    const known = await listKnownTags(deps.sql, c.get('workspaceId'), TAGS_LISTED);
    return c.json(known, 200);
  });
