import { DataError } from './data-error';
import type { Sql } from './sql';
import { checkTagChange, replaceTag } from './tag-admin';

/** A rename (`to`) or deletion (`to` null) of a tag across the workspace, run in batches. */
export interface TagChange {
  id: string;
  tag: string;
  to: string | null;
  status: 'running' | 'done' | 'failed';
  /** Contacts changed so far. */
  changed: number;
  /** Why it stopped, when it failed. */
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const columns = (sql: Sql) =>
  sql`id, tag, to_tag as "to", status, changed, error, started_at, finished_at`;

/**
 * Records a rename or deletion to run (checked as `replaceTag` checks it): 409
 * `tag_change_running` while another change of the same tag runs.
 */
export async function startTagChange(
  sql: Sql,
  input: { workspaceId: string; tag: string; to: string | null; cause: string },
): Promise<TagChange> {
  const tag = input.tag.trim();
  const to = input.to?.trim() ?? null;
  await checkTagChange(sql, input.workspaceId, tag, to);
  const [change] = await sql<TagChange[]>`
    insert into tag_changes (workspace_id, tag, to_tag, cause)
    values (${input.workspaceId}, ${tag}, ${to}, ${input.cause})
    on conflict (workspace_id, tag) where status = 'running' do nothing
    returning ${columns(sql)}`;
  if (!change) {
    throw new DataError(
      'tag_change_running',
      409,
      `“${tag}” is being renamed or deleted already: wait for that to finish`,
      'tag',
    );
  }
  return change;
}

/**
 * The next batch of a running change (see `replaceTag`), its count added to the change, which
 * is done once no contact has the tag. Null for a change that is not running (any more).
 */
export async function applyTagChangeBatch(
  sql: Sql,
  input: {
    changeId: string;
    now: Date;
    /** Also write the batch's journey outbox row in its transaction (see changeTagsOfMany). */
    outbox?: boolean | undefined;
  },
): Promise<{
  workspaceId: string;
  done: boolean;
  changed: number;
  changeIds: string[];
  changedContactIds: string[];
  outboxIds: string[];
} | null> {
  const [change] = await sql<
    { workspaceId: string; tag: string; to: string | null; cause: string }[]
  >`
    select workspace_id, tag, to_tag as "to", cause from tag_changes
    where id = ${input.changeId} and status = 'running'`;
  if (!change) return null;
  const result = await replaceTag(sql, {
    workspaceId: change.workspaceId,
    tag: change.tag,
    to: change.to,
    cause: change.cause,
    now: input.now,
    outbox: input.outbox,
  });
  await sql`
    update tag_changes set changed = changed + ${result.changed},
      status = case when ${result.done} then 'done' else status end,
      finished_at = case when ${result.done} then now() end
    where id = ${input.changeId}`;
  return { workspaceId: change.workspaceId, ...result };
}

/** The change of `tag` running now, if any. */
export async function findRunningTagChange(
  sql: Sql,
  workspaceId: string,
  tag: string,
): Promise<TagChange | null> {
  const [change] = await sql<TagChange[]>`
    select ${columns(sql)} from tag_changes
    where workspace_id = ${workspaceId} and tag = ${tag.trim()} and status = 'running'`;
  return change ?? null;
}

/** Ends a running change that cannot go on, with the reason. */
export async function failTagChange(sql: Sql, changeId: string, error: string): Promise<void> {
  await sql`
    update tag_changes set status = 'failed', error = ${error}, finished_at = now()
    where id = ${changeId} and status = 'running'`;
}

export async function getTagChange(
  sql: Sql,
  workspaceId: string,
  id: string,
): Promise<TagChange | null> {
  const [change] = await sql<TagChange[]>`
    select ${columns(sql)} from tag_changes where id = ${id} and workspace_id = ${workspaceId}`;
  return change ?? null;
}

/** The changes running now, and those that ended in the last day, newest first. */
export async function listTagChanges(sql: Sql, workspaceId: string): Promise<TagChange[]> {
  return sql<TagChange[]>`
    select ${columns(sql)} from tag_changes
    where workspace_id = ${workspaceId}
      and (status = 'running' or finished_at > now() - interval '1 day')
    order by started_at desc
    limit 20`;
}
