import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../env';
import { notFound } from '../errors';

interface WorkspaceRow {
  id: string;
  name: string;
  timezone: string;
  writeKey: string;
  createdAt: Date;
}

/** GET /api/workspace: the workspace's settings and its ingestion write key. */
export const workspaceRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>().get('/', async (c) => {
    const [workspace] = await deps.sql<WorkspaceRow[]>`
      select id, name, timezone, write_key, created_at from workspaces where id = ${c.get('workspaceId')}`;
    if (!workspace) throw notFound('The workspace');
    return c.json({ ...workspace, ingestionUrl: `${deps.publicUrl}/v1` }, 200);
  });
