import { compileCrossings, compileScoringCrossings, SqlParams } from '@relance/segments';
import { getScoring, rescoreContacts } from './scoring';
import {
  loadDynamicSegments,
  rebuildSegment,
  settleContacts,
  type SegmentRebuild,
} from './segment-engine';
import { lockWorkspaceExclusive } from './segment-locks';
import type { Sql } from './sql';

/** How far back the first tick of a workspace looks (reconciliation covers anything older). */
const FIRST_WINDOW_MS = 60_000;
/** Leftover queue rows (a crash between commit and settle) taken per tick. */
const QUEUE_BATCH = 10_000;

/**
 * The contacts for whom some time-driven condition may have flipped in (from, to]: windows
 * that just elapsed ("no click for 15 days" at last click + 15 days), events leaving scoring
 * windows, date properties and anniversaries, plus contacts a crash left in the queue. Every
 * part reads an index range, never the whole base. One statement.
 */
export async function findCrossingCandidates(
  sql: Sql,
  input: { workspaceId: string; from: Date; to: Date },
): Promise<string[]> {
  const [segments, scoring] = await Promise.all([
    loadDynamicSegments(sql, input.workspaceId),
    getScoring(sql, input.workspaceId),
  ]);
  const params = new SqlParams();
  const window = {
    params,
    workspace: params.uuid(input.workspaceId),
    from: input.from,
    to: input.to,
    fromSql: params.timestamp(input.from),
    toSql: params.timestamp(input.to),
  };
  const selects = [
    ...segments.flatMap((s) => compileCrossings(s.rule, window)),
    ...compileScoringCrossings(scoring.rules, window),
    `select q.contact_id from segment_queue q where q.workspace_id = ${window.workspace} limit ${params.integer(QUEUE_BATCH)}`,
  ];
  const text = selects.map((s) => `(${s})`).join('\nunion\n');
  const rows = await sql.unsafe<{ contactId: string }[]>(text, params.values);
  return rows.map((r) => r.contactId);
}

export interface TickReport {
  workspaceId: string;
  from: Date;
  to: Date;
  candidates: number;
  changeIds: string[];
  changedContactIds: string[];
}

/**
 * One tick: for every workspace, applies the crossings since its last tick up to `now` and
 * records how far it got. `now` comes from the caller (the tick workflow's clock), so tests
 * move time without sleeping. The caller dispatches the changes.
 */
export async function tickSegments(sql: Sql, input: { now: Date }): Promise<TickReport[]> {
  const workspaces = await sql<{ id: string; tickedAt: Date | null }[]>`
    select w.id, s.ticked_at from workspaces w left join segment_tick_state s on s.workspace_id = w.id
    order by w.id`;
  const reports: TickReport[] = [];
  for (const ws of workspaces) {
    const from = ws.tickedAt ?? new Date(input.now.getTime() - FIRST_WINDOW_MS);
    if (input.now <= from) continue;
    const candidates = await findCrossingCandidates(sql, {
      workspaceId: ws.id,
      from,
      to: input.now,
    });
    const settled = await settleContacts(sql, {
      workspaceId: ws.id,
      contactIds: candidates,
      now: input.now,
      cause: 'tick',
    });
    await sql`
      insert into segment_tick_state (workspace_id, ticked_at) values (${ws.id}, ${input.now})
      on conflict (workspace_id) do update
        set ticked_at = greatest(segment_tick_state.ticked_at, excluded.ticked_at)`;
    reports.push({
      workspaceId: ws.id,
      from,
      to: input.now,
      candidates: candidates.length,
      ...settled,
    });
  }
  return reports;
}

export interface ReconcileReport {
  workspaceId: string;
  startedAt: Date;
  finishedAt: Date;
  /** Contacts whose score or score tags were wrong. */
  scoresFixed: number;
  /** Per dynamic segment: members that were missing (entered) or should not have been there. */
  segments: { segmentId: string; entered: number; exited: number }[];
  rebuilds: SegmentRebuild[];
  changedContactIds: string[];
}

/**
 * The safety net: recomputes every score and every dynamic segment over the whole base,
 * repairs drift (logged with cause `reconcile`) and records what it fixed in
 * segment_reconciliations. Holds the workspace lock, so no settle interleaves.
 */
export async function reconcileSegments(
  sql: Sql,
  input: { now: Date; workspaceId?: string },
): Promise<ReconcileReport[]> {
  const workspaces = input.workspaceId
    ? [{ id: input.workspaceId }]
    : await sql<{ id: string }[]>`select id from workspaces order by id`;
  const reports: ReconcileReport[] = [];
  for (const ws of workspaces) {
    const startedAt = new Date();
    const report = await sql.begin(async (tx) => {
      await lockWorkspaceExclusive(tx, ws.id);
      const changedContactIds = await rescoreContacts(
        tx,
        { workspaceId: ws.id, contactIds: null, now: input.now },
        await getScoring(tx, ws.id),
      );
      const rebuilds: SegmentRebuild[] = [];
      for (const segment of await loadDynamicSegments(tx, ws.id)) {
        rebuilds.push(
          await rebuildSegment(tx, {
            workspaceId: ws.id,
            segment,
            now: input.now,
            cause: 'reconcile',
          }),
        );
      }
      const report: ReconcileReport = {
        workspaceId: ws.id,
        startedAt,
        finishedAt: new Date(),
        scoresFixed: changedContactIds.length,
        segments: rebuilds
          .filter((r) => r.entered + r.exited > 0)
          .map(({ segmentId, entered, exited }) => ({ segmentId, entered, exited })),
        rebuilds,
        changedContactIds,
      };
      await tx`
        insert into segment_reconciliations (workspace_id, started_at, finished_at, report)
        values (${ws.id}, ${startedAt}, ${report.finishedAt},
          ${tx.json({ scoresFixed: report.scoresFixed, segments: report.segments, evaluatedAt: input.now.toISOString() })})`;
      return report;
    });
    reports.push(report);
  }
  return reports;
}

/** A past full reconciliation, as the segments page tells it. */
export interface ReconciliationSummary {
  startedAt: Date;
  finishedAt: Date;
  scoresFixed: number;
  /** Segments whose members it had to repair; `segmentName` null for one deleted since. */
  segments: { segmentId: string; segmentName: string | null; entered: number; exited: number }[];
}

/** The workspace's latest full reconciliations, newest first, with what each repaired. */
export async function listReconciliations(
  sql: Sql,
  workspaceId: string,
  limit: number,
): Promise<ReconciliationSummary[]> {
  const rows = await sql<
    {
      startedAt: Date;
      finishedAt: Date;
      report: {
        scoresFixed: number;
        segments: { segmentId: string; entered: number; exited: number }[];
      };
    }[]
  >`
    select started_at, finished_at, report from segment_reconciliations
    where workspace_id = ${workspaceId}
    order by id desc
    limit ${limit}`;
  const names = new Map(
    (
      await sql<{ id: string; name: string }[]>`
        select id, name from segments where workspace_id = ${workspaceId}`
    ).map((s) => [s.id, s.name]),
  );
  return rows.map((row) => ({
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    scoresFixed: row.report.scoresFixed,
    segments: row.report.segments.map((s) => ({
      ...s,
      segmentName: names.get(s.segmentId) ?? null,
    })),
  }));
}
