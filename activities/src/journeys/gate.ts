import {
  findEventsAfter,
  lastEventReceivedBy,
  recordConversion,
  setRunPosition,
  upsertSteps,
  type TransactionSql,
} from '@relance/db';
import { isTimedComparison, type Condition, type EventFilter } from '@relance/flow';
import { assertNever, matchesFilter, parseDuration } from '@relance/flow/runtime';
import { rollupLast, type RollupLast } from '@relance/segments';
import type {
  Check,
  CheckResult,
  Guard,
  GuardResult,
  RunRef,
  StepRecord,
  StepStart,
} from '@relance/workflows/journey-activities';
import { EVENT_MAX_AGE_MS } from '@relance/journeys';
import type { JourneyActivityDeps } from './deps';

/** Writes the steps the workflow decided since its last call, and any conversion among them. */
export async function flushSteps(
  deps: JourneyActivityDeps,
  run: RunRef,
  records: readonly StepRecord[],
): Promise<void> {
  await upsertSteps(deps.sql, run, records);
  for (const record of records) {
    if (record.outcome !== 'converted') continue;
    await recordConversion(deps.sql, {
      runId: run.runId,
      goalNode: record.nodeId,
      at: new Date(record.leftAt ?? record.enteredAt),
    });
  }
}

/** Evaluates conditions for the run's contact, in order, with the values that decided each. */
export async function evaluateConditions(
  deps: JourneyActivityDeps,
  run: RunRef,
  conditions: readonly Condition[],
  at: number,
): Promise<{ matched: boolean; values: Record<string, unknown> }[]> {
  const results = [];
  for (const condition of conditions) {
    const result = await deps.facts.evaluateCondition(deps.sql, {
      workspaceId: run.workspaceId,
      contactId: run.contactId,
      condition,
      now: new Date(at),
      runId: run.runId,
    });
    results.push({ matched: result.matched, values: result.values ?? {} });
  }
  return results;
}

/** Exit conditions first (any match ends the run), then goals in plan order. */
export async function evaluateGuard(
  deps: JourneyActivityDeps,
  run: RunRef,
  guard: Guard | null,
  at: number,
): Promise<GuardResult> {
  if (!guard) return { kind: 'clear' };
  const exits = await evaluateConditions(deps, run, guard.exit, at);
  const exit = exits.findIndex((r) => r.matched);
  if (exit >= 0) return { kind: 'exit', index: exit, values: exits[exit]!.values };
  for (const goal of guard.goals) {
    const [result] = await evaluateConditions(deps, run, [goal.condition], at);
    if (result?.matched) return { kind: 'goal', nodeId: goal.nodeId, values: result.values };
  }
  return { kind: 'clear' };
}

/**
 * Records where the run is; before an action, holds it instead when its journey is paused. The
 * journey row is read under a share lock, so a resume either commits first (and this run goes
 * on) or waits for this transaction (and then finds this run held, and signals it).
 */
export async function positionRun(
  deps: JourneyActivityDeps,
  run: RunRef,
  current: StepStart,
  holdIfPaused: boolean,
  at: number,
): Promise<'held' | 'going'> {
  return deps.sql.begin(async (tx: TransactionSql) => {
    let paused = false;
    if (holdIfPaused) {
      const [journey] = await tx<{ status: string }[]>`
        select status from journeys where id = ${run.journeyId} for share`;
      paused = journey?.status === 'paused';
    }
    await setRunPosition(tx, {
      runId: run.runId,
      currentNode: current.nodeId,
      status: paused ? 'held' : 'active',
      at: new Date(at),
    });
    if (paused) {
      await upsertSteps(tx, run, [
        { ...current, leftAt: null, outcome: 'held', port: null, why: { paused: true } },
      ]);
    }
    return paused ? 'held' : 'going';
  });
}

/** The first event `name` (matching `where`) of the contact after `afterId`. */
async function firstEventAfter(
  deps: JourneyActivityDeps,
  run: RunRef,
  check: {
    event: string;
    where: EventFilter | null;
    afterEventId: string;
    receivedBy?: number;
    receivedAfter?: number;
  },
  at: number,
): Promise<string | null> {
  const page = 200;
  let after = check.afterEventId;
  if (check.receivedAfter !== undefined) {
    const since = await lastEventReceivedBy(
      deps.sql,
      run.contactId,
      check.event,
      new Date(check.receivedAfter),
    );
    if (BigInt(since) > BigInt(after)) after = since;
  }
  for (;;) {
    const events = await findEventsAfter(deps.sql, {
      contactId: run.contactId,
      name: check.event,
      afterId: after,
      limit: page,
      ...(check.receivedBy !== undefined ? { receivedBy: new Date(check.receivedBy) } : {}),
    });
    const maxAge = deps.eventMaxAgeMs ?? EVENT_MAX_AGE_MS;
    const match = events.find(
      (e) =>
        e.receivedAt.getTime() - e.occurredAt.getTime() <= maxAge &&
        (!check.where || matchesFilter(check.where, e.properties, { now: at })),
    );
    if (match) return match.id;
    if (events.length < page) return null;
    after = events[events.length - 1]!.id;
  }
}

/** Answers a node's check against Postgres. */
export async function runCheck(
  deps: JourneyActivityDeps,
  run: RunRef,
  check: Check,
  at: number,
): Promise<CheckResult> {
  switch (check.kind) {
    case 'conditions':
      return {
        kind: 'conditions',
        results: await evaluateConditions(deps, run, check.conditions, at),
      };
    case 'event':
      return { kind: 'event', eventId: await firstEventAfter(deps, run, check, at) };
    default: {
      const unreachable: never = check;
      throw new Error(`Unknown check ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The shortest time between two re-checks that time alone asks for, whatever the conditions
 * say: when many instants fall close together (a busy window of events ageing out one by one),
 * a waiting run reads Postgres at most four times an hour, and its history grows by at most
 * ~40 events an hour (it continues as new well before that matters).
 */
export const MIN_RECHECK_GAP_MS = 15 * 60_000;

/**
 * How often a run looks again when a time-based operator sits inside an event filter ("performed
 * subscription.started where ends_at is within the next 7 days"): the instant it flips depends
 * on every matching event's properties, so it is not read exactly. Hourly keeps such a wait
 * within the hour a marketer expects, at 24 reads a day per waiting run.
 */
export const FILTER_RECHECK_MS = 60 * 60_000;

/** A re-check lands this long after a boundary, so the comparison has flipped on either side. */
const BOUNDARY_GRACE_MS = 1_000;

/** What to read to know when one time-driven leaf can next flip for a contact. */
export type TimeProbe =
  /** A date property (or `$created_at`): it flips at its instant plus each offset. */
  | { kind: 'date'; path: string; offsets: number[] }
  /** "anniversary in N days": flips at the contact's next local midnight. */
  | { kind: 'anniversary'; path: string }
  /** "last performed E more than / within D": at the last time + D (or joined + D, never done). */
  | { kind: 'last'; event: string; last: RollupLast; ms: number; sinceJoined: boolean }
  /** Counts and aggregates "within D": when the oldest event in the window leaves it. */
  | { kind: 'window'; events: string[]; ms: number }
  /** A time-based operator inside an event filter: not read exactly. */
  | { kind: 'filter' };

/** Whether an event filter holds an operator whose answer changes as time passes. */
export function filterIsTimed(filter: EventFilter): boolean {
  switch (filter.kind) {
    case 'all':
    case 'any':
      return filter.conditions.some(filterIsTimed);
    case 'not':
      return filterIsTimed(filter.condition);
    case 'property':
      return isTimedComparison(filter);
    default:
      return assertNever(filter);
  }
}

/** The leaves of `condition` whose answer can change by time passing alone, as probes. */
export function timeProbes(condition: Condition): TimeProbe[] {
  switch (condition.kind) {
    case 'all':
    case 'any':
      return condition.conditions.flatMap(timeProbes);
    case 'not':
      return timeProbes(condition.condition);
    case 'property': {
      // Only $created_at among built-in fields is a date.
      const path = condition.property;
      if (path.startsWith('$') && path !== '$created_at') return [];
      if (!isTimedComparison(condition)) return [];
      switch (condition.op) {
        case 'within_last':
        case 'within_next':
        case 'more_than_ago': {
          const ms = parseDuration(condition.value);
          if (ms === null || ms <= 0) return [];
          const offsets =
            condition.op === 'within_last'
              ? [0, ms]
              : condition.op === 'within_next'
                ? [-ms, 0]
                : [ms];
          return [{ kind: 'date', path, offsets }];
        }
        case 'anniversary_in':
        case 'anniversary_within':
          // Both change only at the contact's local midnight.
          return [{ kind: 'anniversary', path }];
        default:
          return assertNever(condition);
      }
    }
    case 'event_last': {
      const ms = parseDuration(condition.duration);
      if (ms === null || ms <= 0) return [];
      const sinceJoined = condition.op === 'more_than' && condition.includeNever !== false;
      // A person-only leaf flips by a person's last time: a scanner's later click moves nothing.
      const last = rollupLast(condition.event, condition.humanOnly);
      return [{ kind: 'last', event: condition.event, last, ms, sinceJoined }];
    }
    case 'event_count':
    case 'event_aggregate': {
      const ms = condition.within === undefined ? null : parseDuration(condition.within);
      const where = condition.kind === 'event_count' ? condition.where : undefined;
      return [
        ...(ms !== null && ms > 0
          ? [{ kind: 'window' as const, events: [condition.event], ms }]
          : []),
        ...(where && filterIsTimed(where) ? [{ kind: 'filter' as const }] : []),
      ];
    }
    case 'email': {
      const ms = condition.within === undefined ? null : parseDuration(condition.within);
      if (ms === null || ms <= 0) return [];
      // A click counts as an open.
      const events = [
        `email.${condition.action}`,
        ...(condition.action === 'opened' ? ['email.clicked'] : []),
      ];
      return [{ kind: 'window', events, ms }];
    }
    // Tags, scores and segments change by writes, which signal the run (the tick's score and
    // segment changes included).
    case 'tag':
    case 'score':
    case 'segment':
      return [];
    default:
      return assertNever(condition);
  }
}

/** The contact the run's id resolves to (a merged contact's survivor), as the evaluation reads it. */
const SURVIVOR = (sql: JourneyActivityDeps['sql'], run: RunRef) =>
  sql`(select coalesce(x.merged_into, x.id) from contacts x where x.id = ${run.contactId} and x.workspace_id = ${run.workspaceId})`;

/** The instants (epoch ms) at which one probe's leaf can flip; some may be past. */
async function probeInstants(
  deps: JourneyActivityDeps,
  run: RunRef,
  probe: TimeProbe,
  at: number,
): Promise<number[]> {
  const sql = deps.sql;
  const survivor = SURVIVOR(sql, run);
  switch (probe.kind) {
    case 'date':
    case 'anniversary': {
      const value =
        probe.path === '$created_at'
          ? sql`c.created_at`
          : sql`relance_ts(c.properties #> ${probe.path.split('.')}::text[], coalesce(c.timezone, w.timezone))`;
      const [row] = await sql<{ t: Date | null; midnight: Date }[]>`
        select ${value} as t,
          (date_trunc('day', ${new Date(at)}::timestamptz at time zone coalesce(c.timezone, w.timezone))
            + interval '1 day') at time zone coalesce(c.timezone, w.timezone) as midnight
        from contacts c join workspaces w on w.id = c.workspace_id
        where c.id = ${survivor}`;
      if (!row?.t) return [];
      if (probe.kind === 'anniversary') return [row.midnight.getTime()];
      const t = row.t.getTime();
      return probe.offsets.map((offset) => t + offset);
    }
    case 'last': {
      const [row] = await sql<{ last: Date | null; joined: Date }[]>`
        select (select r.${sql(probe.last)} from contact_event_rollups r
                where r.contact_id = c.id and r.name = ${probe.event}) as last,
          c.created_at as joined
        from contacts c where c.id = ${survivor}`;
      if (!row) return [];
      if (row.last) return [row.last.getTime() + probe.ms];
      return probe.sinceJoined ? [row.joined.getTime() + probe.ms] : [];
    }
    case 'window': {
      // Events dated in the future are in the window already; each leaves it at its date + D.
      const [row] = await sql<{ oldest: Date | null }[]>`
        select min(e.occurred_at) as oldest from events e
        where e.contact_id = ${survivor} and e.name = any(${probe.events}::text[])
          and e.occurred_at > ${new Date(at - probe.ms)}`;
      return row?.oldest ? [row.oldest.getTime() + probe.ms] : [];
    }
    case 'filter':
      return [at + FILTER_RECHECK_MS - BOUNDARY_GRACE_MS];
    default:
      return assertNever(probe);
  }
}

/**
 * The next instant after `at` at which time passing alone may change the answer of any of
 * `conditions` (or of the event `filters`) for the run's contact; undefined when none can.
 * Exact where it can be read (last event + D, a date ± D, the oldest event leaving a window, the
 * next local midnight for anniversaries), hourly for time inside event filters; never sooner
 * than {@link MIN_RECHECK_GAP_MS} after `at`. A wait re-checks then, instead of at its deadline.
 */
export async function nextTimeChange(
  deps: JourneyActivityDeps,
  run: RunRef,
  watched: { conditions: readonly Condition[]; filters: readonly EventFilter[] },
  at: number,
): Promise<number | undefined> {
  const probes = probesOf(watched);
  if (probes.length === 0) return undefined;
  const instants: number[] = [];
  for (const probe of probes) instants.push(...(await probeInstants(deps, run, probe, at)));
  return earliestRecheck(instants, at);
}

/** The probes of everything a waiting run watches. */
export function probesOf(watched: {
  conditions: readonly Condition[];
  filters: readonly EventFilter[];
}): TimeProbe[] {
  const probes = watched.conditions.flatMap(timeProbes);
  if (watched.filters.some(filterIsTimed)) probes.push({ kind: 'filter' });
  return probes;
}

/**
 * When to look again, given the instants some leaf flips at: just after the first one still
 * ahead of `at`, but not sooner than {@link MIN_RECHECK_GAP_MS}; undefined when none is ahead.
 */
export function earliestRecheck(instants: readonly number[], at: number): number | undefined {
  let next: number | undefined;
  for (const instant of instants) {
    const wake = instant + BOUNDARY_GRACE_MS;
    if (wake > at && (next === undefined || wake < next)) next = wake;
  }
  return next === undefined ? undefined : Math.max(next, at + MIN_RECHECK_GAP_MS);
}

/** What a waiting run's checkpoint watches: its exit conditions, goals and own check. */
export function watchedBy(
  guard: Guard | null,
  check: Check | null,
): { conditions: Condition[]; filters: EventFilter[] } {
  return {
    conditions: [
      ...(guard?.exit ?? []),
      ...(guard?.goals.map((g) => g.condition) ?? []),
      ...(check?.kind === 'conditions' ? check.conditions : []),
    ],
    filters: check?.kind === 'event' && check.where ? [check.where] : [],
  };
}
