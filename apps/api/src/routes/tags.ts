import { Hono } from 'hono';
import { z } from 'zod';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  DataError,
  committedBy,
  dispatchFromOutbox,
  failTagChange,
  findRunningTagChange,
  getTagChange,
  listKnownTags,
  listTagChanges,
  listTagSummaries,
  replaceTag,
  startTagChange,
  type Sql,
  type TagChange,
} from '@relance/db';
import { withCallDeadline } from '@relance/journeys';
import { tagChangeWorkflowId, type tagChange } from '@relance/workflows/tag-change';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, notFound } from '../errors';
import { ChangeCause, Tag, validate } from '../validation';

/** More than a picker or the tags page can usefully show; `truncated` says when there were more. */
const TAGS_LISTED = 1_000;

const RenameBody = z.object({ tag: Tag, to: Tag, cause: ChangeCause });
const DeleteBody = z.object({ tag: Tag, cause: ChangeCause });
const ChangeBody = z.object({ tag: Tag, to: Tag.nullable().default(null), cause: ChangeCause });
const ChangeParam = z.object({ id: z.uuid('No tag change has this id') });

/**
 * Records a change of the tag; when one is recorded as running already but its workflow no
 * longer runs (ended from outside Relance), that one is marked failed first, or it would hold
 * the tag forever. A change whose workflow runs is refused (409 `tag_change_running`).
 */
async function startOrReplace(
  sql: Sql,
  input: Parameters<typeof startTagChange>[1],
  workflowRuns: (changeId: string) => Promise<boolean>,
): Promise<TagChange> {
  try {
    return await startTagChange(sql, input);
  } catch (error) {
    if (!(error instanceof DataError) || error.code !== 'tag_change_running') throw error;
    const running = await findRunningTagChange(sql, input.workspaceId, input.tag);
    if (!running || (await workflowRuns(running.id))) throw error;
    await failTagChange(sql, running.id, 'Its workflow was ended outside Relance.');
    return startTagChange(sql, input);
  }
}

/**
 * `GET /api/tags`: the workspace's tags, for the pickers (alphabetical). `GET /api/tags/summary`:
 * the tags page (contacts per tag, who uses each). `POST /api/tags/changes`: a tag renamed or
 * deleted across the workspace by the worker, batch by batch (`GET /api/tags/changes[/:id]`
 * for its progress). `POST /api/tags/rename` and `/delete`: the same, up to 1,000 contacts per
 * request, for a caller that runs the batches itself; call again until `done`.
 */
export const tagRoutes = (deps: AppDeps) => {
  const now = deps.clock ?? (() => new Date());
  const log = deps.log ?? ((line: string) => console.error(line));
  const replace = async (workspaceId: string, tag: string, to: string | null, cause: string) => {
    const result = await replaceTag(deps.sql, {
      workspaceId,
      tag,
      to,
      cause,
      now: now(),
      outbox: true,
    });
    await dispatchFromOutbox(deps.sql, deps.dispatcher, workspaceId, committedBy(result), log);
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
    .post('/changes', validate('json', ChangeBody), async (c) => {
      const workspaceId = c.get('workspaceId');
      const { tag, to, cause } = c.req.valid('json');
      const { client, taskQueue } = deps.temporal;
      const change = await startOrReplace(deps.sql, { workspaceId, tag, to, cause }, (id) =>
        withCallDeadline(client, () =>
          client.workflow.getHandle(tagChangeWorkflowId(id)).describe(),
        )
          .then((d) => d.status.name === 'RUNNING')
          .catch((error: unknown) => {
            if (error instanceof WorkflowNotFoundError) return false;
            throw error;
          }),
      );
      try {
        await withCallDeadline(client, () =>
          client.workflow.start<typeof tagChange>('tagChange', {
            workflowId: tagChangeWorkflowId(change.id),
            taskQueue,
            args: [{ changeId: change.id }],
          }),
        );
      } catch (error) {
        const reason = `The worker could not be reached: ${error instanceof Error ? error.message : String(error)}`;
        await failTagChange(deps.sql, change.id, reason);
        throw new ApiError(
          503,
          'worker_unavailable',
          'The change could not be started now; nothing was changed. Try again in a moment.',
        );
      }
      return c.json({ change }, 202);
    })
    .get('/changes', async (c) => {
      return c.json({ changes: await listTagChanges(deps.sql, c.get('workspaceId')) }, 200);
    })
    .get('/changes/:id', validate('param', ChangeParam), async (c) => {
      const change = await getTagChange(deps.sql, c.get('workspaceId'), c.req.valid('param').id);
      if (!change) throw notFound('The tag change');
      return c.json({ change }, 200);
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
