import { readsOf } from '@relance/segments';
import { reindexWorkspaceDates } from './contact-dates';
import { recheckSegments, type RecheckStep } from './segment-tick';
import type { Sql, TransactionSql } from './sql';

/** The setting a re-check follows: saving the scoring rules, or the workspace's time zone. */
export type SettingsRecheckCause = 'scoring' | 'timezone';

/** A re-check of scores and segments after a setting was saved, run by the worker. */
export interface SettingsRecheck {
  id: string;
  cause: SettingsRecheckCause;
  status: 'running' | 'done' | 'failed';
  /** Contacts whose score or score tags changed so far. */
  scoresChanged: number;
  /** Segment entries and exits so far. */
  membershipsChanged: number;
  /** Why it stopped, when it failed. */
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const columns = (sql: Sql | TransactionSql) =>
  sql`id, cause, status, scores_changed, memberships_changed, error, started_at, finished_at`;

/** Records a re-check to run, best in the transaction that saves the setting. */
export async function startSettingsRecheck(
  tx: Sql | TransactionSql,
  workspaceId: string,
  cause: SettingsRecheckCause,
): Promise<SettingsRecheck> {
  const [recheck] = await tx<SettingsRecheck[]>`
    insert into settings_rechecks (workspace_id, cause) values (${workspaceId}, ${cause})
    returning ${columns(tx)}`;
  return recheck!;
}

/** The workspace and cause of a running re-check; null once it has ended (a retry after it). */
export async function runningSettingsRecheck(
  sql: Sql,
  id: string,
): Promise<{ workspaceId: string; cause: SettingsRecheckCause } | null> {
  const [row] = await sql<{ workspaceId: string; cause: SettingsRecheckCause }[]>`
    select workspace_id, cause from settings_rechecks where id = ${id} and status = 'running'`;
  return row ?? null;
}

/** Adds what one committed step changed to the re-check's counts. */
export async function countSettingsRecheckStep(
  sql: Sql,
  id: string,
  step: RecheckStep,
): Promise<void> {
  const scores = step.kind === 'scores' ? step.changedContactIds.length : 0;
  const memberships = step.kind === 'segment' ? step.diff.entered + step.diff.exited : 0;
  if (scores + memberships === 0) return;
  await sql`
    update settings_rechecks
    set scores_changed = scores_changed + ${scores},
      memberships_changed = memberships_changed + ${memberships}
    where id = ${id}`;
}

/** Ends a running re-check: done, or failed with the reason. */
export async function endSettingsRecheck(
  sql: Sql,
  id: string,
  error: string | null = null,
): Promise<void> {
  await sql`
    update settings_rechecks
    set status = ${error === null ? 'done' : 'failed'}, error = ${error}, finished_at = now()
    where id = ${id} and status = 'running'`;
}

/** The workspace's latest re-check for a setting, or null when there never was one. */
export async function latestSettingsRecheck(
  sql: Sql,
  workspaceId: string,
  cause: SettingsRecheckCause,
): Promise<SettingsRecheck | null> {
  const [recheck] = await sql<SettingsRecheck[]>`
    select ${columns(sql)} from settings_rechecks
    where workspace_id = ${workspaceId} and cause = ${cause}
    order by started_at desc, id limit 1`;
  return recheck ?? null;
}

/**
 * Runs a recorded re-check (nothing, once it has ended): every score, then the segments the
 * setting can move — for the scoring rules those reading contact fields (scores, tags) and the
 * segments reading those; for the time zone all of them, after the dates of the contacts without
 * a zone of their own are indexed at their instants in the new zone (the tick and the
 * anniversary triggers read that index). Each step's changes go to `onStep` as
 * it commits and are added to the counts; the re-check is then done. A failure is thrown, the
 * re-check left running for a retry to finish.
 */
export async function runSettingsRecheck(
  sql: Sql,
  input: {
    recheckId: string;
    now: Date;
    onStep?: (workspaceId: string, step: RecheckStep) => Promise<void>;
  },
): Promise<void> {
  const running = await runningSettingsRecheck(sql, input.recheckId);
  if (!running) return;
  const { workspaceId, cause } = running;
  if (cause === 'timezone') await reindexWorkspaceDates(sql, workspaceId);
  await recheckSegments(sql, {
    workspaceId,
    now: input.now,
    cause,
    ...(cause === 'scoring' ? { segments: (segment) => readsOf(segment.rule).contact } : {}),
    onStep: async (step) => {
      await input.onStep?.(workspaceId, step);
      await countSettingsRecheckStep(sql, input.recheckId, step);
    },
  });
  await endSettingsRecheck(sql, input.recheckId);
}
