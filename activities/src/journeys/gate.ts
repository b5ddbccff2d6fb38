import {
  findEventsAfter,
  recordConversion,
  setRunPosition,
  upsertSteps,
  type TransactionSql,
} from '@relance/db';
import type { Condition, EventFilter } from '@relance/flow';
import { matchesFilter } from '@relance/flow/runtime';
import type {
  Check,
  CheckResult,
  Guard,
  GuardResult,
  RunRef,
  StepRecord,
  StepStart,
} from '@relance/workflows/journey-activities';
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
  check: { event: string; where: EventFilter | null; afterEventId: string; receivedBy?: number },
  at: number,
): Promise<string | null> {
  const page = 200;
  let after = check.afterEventId;
  for (;;) {
    const events = await findEventsAfter(deps.sql, {
      contactId: run.contactId,
      name: check.event,
      afterId: after,
      limit: page,
      ...(check.receivedBy !== undefined ? { receivedBy: new Date(check.receivedBy) } : {}),
    });
    const match = events.find(
      (e) => !check.where || matchesFilter(check.where, e.properties, { now: at }),
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
