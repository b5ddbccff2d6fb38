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

/**
 * What the workspace's latest saves of a setting did, or null when there never was one: the
 * latest re-check, with the counts of the earlier ones that were still running when a later one
 * began added in. Two saves in quick succession start two re-checks, each counting its own
 * moves: the first may already have moved most contacts when the second starts, so the second's
 * counts alone would be short of what the saves changed. `saves` says how many re-checks the
 * counts cover. Running while any of them runs; else ended as the latest did, which re-checked
 * everything after the others.
 */
export async function latestSettingsRecheck(
  sql: Sql,
  workspaceId: string,
  cause: SettingsRecheckCause,
): Promise<(SettingsRecheck & { saves: number }) | null> {
  const recent = await sql<SettingsRecheck[]>`
    select ${columns(sql)} from settings_rechecks
    where workspace_id = ${workspaceId} and cause = ${cause}
    order by started_at desc, id desc limit 20`;
  const [latest] = recent;
  if (!latest) return null;
  const overlapping = [latest];
  for (const earlier of recent.slice(1)) {
    const next = overlapping.at(-1)!;
    if (earlier.finishedAt !== null && earlier.finishedAt <= next.startedAt) break;
    overlapping.push(earlier);
  }
  return {
    ...latest,
    status: overlapping.some((r) => r.status === 'running') ? 'running' : latest.status,
    scoresChanged: overlapping.reduce((sum, r) => sum + r.scoresChanged, 0),
    membershipsChanged: overlapping.reduce((sum, r) => sum + r.membershipsChanged, 0),
    startedAt: overlapping.at(-1)!.startedAt,
    finishedAt: overlapping.every((r) => r.finishedAt !== null)
      ? new Date(Math.max(...overlapping.map((r) => r.finishedAt!.getTime())))
      : null,
    saves: overlapping.length,
  };
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
    /** See RecheckInput.outbox. */
    outbox?: boolean | undefined;
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
    outbox: input.outbox,
  });
  await endSettingsRecheck(sql, input.recheckId);
}

/**
 * How long a re-check may stay running before the reconciliation takes it as abandoned: longer
 * than its workflow's eight attempts of up to 30 minutes each with their backoff.
 */
export const ABANDONED_RECHECK_MS = 5 * 60 * 60_000;

/**
 * Runs the re-checks still running long after they were recorded: the process that saved the
 * setting stopped between committing it and starting the worker's workflow, so nothing would
 * ever run them, and the settings pages would say "in the background" forever. Called by the
 * scheduled reconciliation. Should the workflow be alive after all, the two runs overlap
 * safely (each step judges under the lock from what the contacts hold then). Returns the ids run.
 */
export async function resumeAbandonedSettingsRechecks(
  sql: Sql,
  input: {
    now: Date;
    onStep?: (workspaceId: string, step: RecheckStep) => Promise<void>;
    /** See RecheckInput.outbox. */
    outbox?: boolean | undefined;
  },
): Promise<string[]> {
  const before = new Date(input.now.getTime() - ABANDONED_RECHECK_MS);
  const abandoned = await sql<{ id: string }[]>`
    select id from settings_rechecks where status = 'running' and started_at < ${before}
    order by started_at`;
  for (const { id } of abandoned) {
    try {
      await runSettingsRecheck(sql, {
        recheckId: id,
        now: input.now,
        onStep: input.onStep,
        outbox: input.outbox,
      });
    } catch (error) {
      await endSettingsRecheck(sql, id, error instanceof Error ? error.message : String(error));
    }
  }
  return abandoned.map((r) => r.id);
}
