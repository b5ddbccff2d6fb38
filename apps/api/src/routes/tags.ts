import { Hono } from 'hono';
import { z } from 'zod';
import { dispatchCommitted, listKnownTags, listTagSummaries, replaceTag } from '@relance/db';
import type { AppDeps, AppEnv } from '../env';
import { ChangeCause, Tag, validate } from '../validation';

/** More than a picker or the tags page can usefully show; `truncated` says when there were more. */
const TAGS_LISTED = 1_000;

const RenameBody = z.object({ tag: Tag, to: Tag, cause: ChangeCause });
const DeleteBody = z.object({ tag: Tag, cause: ChangeCause });

/**
 * `GET /api/tags`: the workspace's tags, for the pickers (alphabetical). `GET /api/tags/summary`:
 * the tags page (contacts per tag, who uses each). `POST /api/tags/rename` and `/delete`: a tag
 * changed on up to 1,000 contacts per request; call again until `done`.
 */
export const tagRoutes = (deps: AppDeps) => {
  const now = deps.clock ?? (() => new Date());
  const log = deps.log ?? ((line: string) => console.error(line));
  const replace = async (workspaceId: string, tag: string, to: string | null, cause: string) => {
    const result = await replaceTag(deps.sql, { workspaceId, tag, to, cause, now: now() });
    await dispatchCommitted(
      deps.dispatcher,
      workspaceId,
      { changeIds: result.changeIds, contactIds: result.changedContactIds },
      log,
    );
    return { changed: result.changed, done: result.done };
  };
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const known = await listKnownTags(deps.sql, c.get('workspaceId'), TAGS_LISTED);
      return c.json(known, 200);
    })
    .get('/summary', async (c) => {
      const summary = await listTagSummaries(deps.sql, c.get('workspaceId'), TAGS_LISTED);
      return c.json(summary, 200);
    })
    .post('/rename', validate('json', RenameBody), async (c) => {
      const { tag, to, cause } = c.req.valid('json');
      return c.json(await replace(c.get('workspaceId'), tag, to, cause), 200);
    })
    .post('/delete', validate('json', DeleteBody), async (c) => {
      const { tag, cause } = c.req.valid('json');
      return c.json(await replace(c.get('workspaceId'), tag, null, cause), 200);
    });
};
