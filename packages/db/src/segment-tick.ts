import {
  compileCrossings,
  compileScoringCrossings,
  dependenciesOf,
  SqlParams,
} from '@relance/segments';
import { findScoreDrift, getScoring, rescoreContacts } from './scoring';
import {
  applySegmentRule,
  findSegmentDrift,
  loadDynamicSegments,
  settleContacts,
  type DynamicSegment,
  type SegmentDiff,
} from './segment-engine';
import { lockWorkspaceExclusive } from './segment-locks';
import { writeJourneyOutbox, type OutboxFacts } from './journey-dispatch-outbox';
import type { Sql, TransactionSql } from './sql';

/** How far back the first tick of a workspace looks (reconciliation covers anything older). */
const FIRST_WINDOW_MS = 60_000;
/** Leftover queue rows (a crash between commit and settle) taken per tick. */
const QUEUE_BATCH = 10_000;
/**
 * Drifted contacts a whole-base re-check repairs per step (scores, or one segment's members),
 * each step its own transaction under the exclusive lock: when a scoring change moved most of a
 * million scores, re-scoring them in one step held settles back 45 s (the writes); a chunk of
 * this size holds them 1.2–2 s.
 */
export const RECHECK_CHUNK = 50_000;

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
  /** With `outbox`: the journey_outbox rows holding the changes, to delete once dispatched. */
  outboxIds: string[];
}

/**
 * One tick: for every workspace, applies the crossings since its last tick up to `now` and
 * records how far it got. `now` comes from the caller (the tick workflow's clock), so tests
 * move time without sleeping. The caller dispatches the changes; with `outbox`, each settle
 * transaction also writes them into the journey outbox (see SettleInput.outbox).
 */
export async function tickSegments(
  sql: Sql,
  input: { now: Date; outbox?: boolean },
): Promise<TickReport[]> {
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
      outbox: input.outbox,
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

/** What one step of a re-check committed, for the caller to hand to the journeys. */
export type RecheckStep = (
  { kind: 'scores'; changedContactIds: string[] } | { kind: 'segment'; diff: SegmentDiff }
) & {
  /** With `outbox`: the step's journey outbox row, to delete once its changes were dispatched. */
  outboxIds?: string[];
};

export interface RecheckInput {
  workspaceId: string;
  /** When the re-check begins. */
  now: Date;
  /**
   * The time a step evaluates at, read once the step holds the lock. Default: `now` plus the
   * time since the re-check began. Not `now` itself: ticks and settles run between steps, each
   * at its own time, and a later step judging at an earlier instant would undo what they
   * applied ("no click for 15 days" reached meanwhile), a crossing no later tick looks at again.
   */
  clock?: () => Date;
  /** The change log's cause for every entry and exit (`reconcile`, `scoring`, `timezone`). */
  cause: string;
  /**
   * The dynamic segments to re-check (default: all). A segment reading one whose members changed
   * is re-checked after it, whatever this says.
   */
  segments?: (segment: DynamicSegment) => boolean;
  /** Contacts repaired per step (default RECHECK_CHUNK). */
  chunk?: number;
  /** Called after each step commits, before the next begins: dispatch its changes here. */
  onStep?: (step: RecheckStep) => Promise<void>;
  /**
   * Each step also writes its changes into the journey outbox in its transaction (one row of
   * at most `chunk` contacts' ids), for an `onStep` that deletes it once they were dispatched
   * (dispatchRecheckStepFromOutbox): a process stopped in between leaves them to the worker.
   */
  outbox?: boolean | undefined;
}

export interface RecheckReport {
  /** Contacts whose score or score tags changed. */
  scoresChanged: number;
  /** Per rebuilt segment with a change: members that entered and left. */
  segments: { segmentId: string; entered: number; exited: number }[];
}

/**
 * Re-computes the scores and dynamic segments of a whole workspace: the scores, then each
 * segment after the segments it reads. For each, what drifted is found by a plain read over the
 * whole base that takes no lock; only those contacts are then repaired, a chunk at a time, each
 * chunk a step in its own transaction under the workspace's exclusive lock, judged again there.
 * Settles (ingestion, the tick) run throughout and wait for one chunk at most: nothing at all
 * when nothing drifted, a second or two when most of a million scores move. A segment deleted
 * meanwhile is skipped; one edited meanwhile is judged with its new rule. A failed step throws;
 * the steps before it stay committed and were handed to `onStep`.
 */
export async function recheckSegments(sql: Sql, input: RecheckInput): Promise<RecheckReport> {
  const { workspaceId, cause } = input;
  const began = Date.now();
  const clock = input.clock ?? (() => new Date(input.now.getTime() + (Date.now() - began)));
  const report: RecheckReport = { scoresChanged: 0, segments: [] };
  const stepOutbox = async (tx: TransactionSql, facts: OutboxFacts): Promise<string[]> => {
    if (!input.outbox) return [];
    const id = await writeJourneyOutbox(tx, workspaceId, facts);
    return id === null ? [] : [id];
  };
  // Found without the lock: settles go on meanwhile, and a contact they touch they re-score
  // with the rules this reads (a later save of the rules runs its own re-check), so the repair
  // only has to look at what had drifted when this began.
  const drift = await findScoreDrift(
    sql,
    { workspaceId, now: clock() },
    await getScoring(sql, workspaceId),
  );
  const chunk = input.chunk ?? RECHECK_CHUNK;
  for (let i = 0; i < drift.length; i += chunk) {
    // Computed again under the lock, each contact from what it holds now.
    const { changedContactIds, outboxIds } = await sql.begin(async (tx) => {
      await lockWorkspaceExclusive(tx, workspaceId);
      const changedContactIds = await rescoreContacts(
        tx,
        { workspaceId, contactIds: drift.slice(i, i + chunk), now: clock() },
        await getScoring(tx, workspaceId),
      );
      return {
        changedContactIds,
        outboxIds: await stepOutbox(tx, { contactIds: changedContactIds }),
      };
    });
    report.scoresChanged += changedContactIds.length;
    await input.onStep?.({ kind: 'scores', changedContactIds, outboxIds });
  }
  // Segments whose members changed: a segment reading one is re-checked after it.
  const changed = new Set<string>();
  for (const { id, rule } of await loadDynamicSegments(sql, workspaceId)) {
    const chosen = input.segments?.({ id, rule }) ?? true;
    if (!chosen && !dependenciesOf(rule).some((d) => changed.has(d))) continue;
    const drift = await findSegmentDrift(sql, {
      workspaceId,
      segment: { id, rule },
      now: clock(),
    });
    let entered = 0;
    let exited = 0;
    for (let i = 0; i < drift.length; i += chunk) {
      // Judged again under the lock, with the rule the segment has now.
      const step = await sql.begin(async (tx) => {
        await lockWorkspaceExclusive(tx, workspaceId);
        const [segment] = await tx<DynamicSegment[]>`
          select id, rule from segments where id = ${id} and kind = 'dynamic'`;
        if (!segment) return null;
        const diff = await applySegmentRule(tx, {
          workspaceId,
          segment,
          now: clock(),
          cause,
          contactIds: drift.slice(i, i + chunk),
        });
        return { diff, outboxIds: await stepOutbox(tx, { changeIds: diff.changeIds }) };
      });
      if (!step) break; // deleted meanwhile
      const { diff, outboxIds } = step;
      entered += diff.entered;
      exited += diff.exited;
      await input.onStep?.({ kind: 'segment', diff, outboxIds });
    }
    if (entered + exited > 0) {
      changed.add(id.toLowerCase());
      report.segments.push({ segmentId: id, entered, exited });
    }
  }
  return report;
}

export interface ReconcileReport extends RecheckReport {
  workspaceId: string;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * The safety net: recomputes every score and every dynamic segment over the whole base (see
 * `recheckSegments`), repairs drift (logged with cause `reconcile`) and records what it fixed
 * in segment_reconciliations.
 */
export async function reconcileSegments(
  sql: Sql,
  input: {
    now: Date;
    workspaceId?: string;
    onStep?: (workspaceId: string, step: RecheckStep) => Promise<void>;
    /** See RecheckInput.outbox. */
    outbox?: boolean | undefined;
  },
): Promise<ReconcileReport[]> {
  const workspaces = input.workspaceId
    ? [{ id: input.workspaceId }]
    : await sql<{ id: string }[]>`select id from workspaces order by id`;
  const reports: ReconcileReport[] = [];
  for (const ws of workspaces) {
    const startedAt = new Date();
    const { onStep } = input;
    const recheck = await recheckSegments(sql, {
      workspaceId: ws.id,
      now: input.now,
      cause: 'reconcile',
      onStep: onStep && ((step) => onStep(ws.id, step)),
      outbox: input.outbox,
    });
    const report: ReconcileReport = {
      workspaceId: ws.id,
      startedAt,
      finishedAt: new Date(),
      ...recheck,
    };
    await sql`
      insert into segment_reconciliations (workspace_id, started_at, finished_at, report)
      values (${ws.id}, ${startedAt}, ${report.finishedAt},
        ${sql.json({ scoresFixed: report.scoresChanged, segments: report.segments, evaluatedAt: input.now.toISOString() })})`;
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
