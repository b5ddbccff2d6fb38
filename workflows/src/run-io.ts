// How the interpreter talks to activities: proxies with their timeouts and retry policies, the
// checkpoint (flush steps, hold while paused, watch exit conditions and goals) and goal jumps.

import { condition, patched, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { EmailActivities } from './contracts';
import type {
  ActionNode,
  Check,
  CheckpointResult,
  GuardResult,
  JourneyActivities,
  RunEndStatus,
  StepStart,
} from './journey-activities';
import {
  enterStep,
  guardOf,
  hasPending,
  leaveStep,
  noPending,
  takeRecords,
  type RunState,
  type WaitingAt,
} from './run-state';

/** What a step tells the main loop to do next. */
export type Transition =
  | { kind: 'next'; nodeId: string | null }
  | { kind: 'end'; status: Exclude<RunEndStatus, 'failed' | 'cancelled'> }
  /** The history is long: continue as new, resuming this wait. */
  | { kind: 'suspend'; waiting: WaitingAt };

/**
 * History events after which a run continues as new. Temporal's hard limits are far higher,
 * but replaying a long history makes every worker restart slower; the busiest step (an email
 * deferred a few times) stays well under the ~500 events of margin left to 2,000.
 */
export const HISTORY_BUDGET = 1_500;

/** How often a held run re-reads the journey status in case a resume signal was lost. */
const HOLD_RECHECK = '6 hours';
const HOLD_RECHECK_MS = 6 * 3_600_000;

/**
 * A run held at a step (its journey paused, an email deferred) keeps watching its exit
 * conditions and goals: it looks again when it is told the contact changed, and at the next
 * instant time alone can flip one of them, as a waiting run does.
 */
const HOLD_WATCH_PATCH = 'hold-watch-guard';

// Postgres reads and writes: retried until the database answers (a run must outlive an outage).
export const io = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Database actions are idempotent by key, so retrying them forever is safe. A short timeout
// because a dead worker is only noticed when it expires.
const dbActions = proxyActivities<Pick<JourneyActivities, 'performAction'>>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Time a webhook step allows beyond the call's own timeout (rendering, saving the response). */
const WEBHOOK_OVERHEAD_MS = 5_000;

/**
 * The proxy for one action. Webhooks call someone else's server: the attempt lasts the node's
 * timeout plus overhead, backs off up to 10 minutes and gives up after 8 attempts, recording the
 * step as failed rather than holding the contact for ever.
 */
export function actionsFor(node: ActionNode) {
  if (node.kind !== 'action.webhook') return dbActions;
  return proxyActivities<Pick<JourneyActivities, 'performAction'>>({
    startToCloseTimeout: node.config.timeoutMs + WEBHOOK_OVERHEAD_MS,
    retry: {
      initialInterval: '5 seconds',
      backoffCoefficient: 3,
      maximumInterval: '10 minutes',
      maximumAttempts: 8,
    },
  });
}

export const email = proxyActivities<EmailActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** True when the run should continue as new at the next safe point. */
export function historyTooLong(): boolean {
  const info = workflowInfo();
  return info.historyLength >= HISTORY_BUDGET || info.continueAsNewSuggested;
}

/** Waits for the journey to be resumed (or for the periodic re-check). */
export async function waitForResume(state: RunState): Promise<void> {
  state.view = { ...state.view, state: 'held', waitingUntil: null };
  await condition(() => state.inbox.resumeRequested, HOLD_RECHECK);
  state.view = { ...state.view, state: 'running' };
  state.since = Date.now();
}

/**
 * Held while the journey is paused, watching the guard: wakes on a resume, on a notification
 * that could meet an exit condition or goal (not once the history is long), at `recheckAt`
 * (the next instant time alone can flip one) or at the periodic re-check, whichever is first.
 */
async function holdWatching(state: RunState, recheckAt: number | undefined): Promise<void> {
  state.view = { ...state.view, state: 'held', waitingUntil: null };
  const limit =
    recheckAt === undefined ? HOLD_RECHECK_MS : Math.min(recheckAt - Date.now(), HOLD_RECHECK_MS);
  if (limit > 0) {
    await condition(
      () => state.inbox.resumeRequested || (hasPending(state.inbox.pending) && !historyTooLong()),
      limit,
    );
  }
  state.view = { ...state.view, state: 'running' };
  state.since = Date.now();
}

/** Holds a run whose action `performAction` answered `held`: see {@link checkpoint}. */
export async function holdAtAction(
  state: RunState,
  current: StepStart,
): Promise<Exclude<CheckpointResult, { kind: 'held' }> | null> {
  if (guardOf(state) === null || !patched(HOLD_WATCH_PATCH)) {
    await waitForResume(state);
    return null;
  }
  // Held again (with the instant to look again at), or let go, or guarded.
  return checkpoint(state, current, { holdIfPaused: true, check: null });
}

/**
 * Sleeps until `until` (an email deferred by the frequency cap or quiet hours) watching the
 * guard as a held run does; the guard met meanwhile, or null at `until`. Once the history is
 * long it only sleeps: the send's own checkpoint at `until` still looks before sending.
 */
export async function deferWatching(
  state: RunState,
  current: StepStart,
  until: number,
): Promise<Exclude<GuardResult, { kind: 'clear' }> | null> {
  if (guardOf(state) === null || !patched(HOLD_WATCH_PATCH)) {
    state.view = { ...state.view, state: 'waiting', waitingUntil: until };
    await sleep(until - Date.now());
    state.view = { ...state.view, state: 'running', waitingUntil: null };
    return null;
  }
  for (;;) {
    let wakeAt = until;
    if (!historyTooLong()) {
      const seen = await checkpoint(state, current, {
        holdIfPaused: false,
        check: null,
        watchTime: true,
      });
      if (seen.kind === 'guarded') return seen.guard;
      if (seen.recheckAt !== undefined && seen.recheckAt < until) wakeAt = seen.recheckAt;
    }
    state.view = { ...state.view, state: 'waiting', waitingUntil: until };
    const remaining = wakeAt - Date.now();
    if (remaining > 0) {
      await condition(() => hasPending(state.inbox.pending) && !historyTooLong(), remaining);
    }
    state.view = { ...state.view, state: 'running', waitingUntil: null };
    if (Date.now() >= until) return null;
  }
}

/**
 * Flushes queued steps, evaluates the guard (exit conditions, goals) and the node's own check,
 * and, before actions, holds the run while its journey is paused.
 */
export async function checkpoint(
  state: RunState,
  current: StepStart,
  options: { holdIfPaused: boolean; check: Check | null; watchTime?: boolean },
): Promise<Exclude<CheckpointResult, { kind: 'held' }>> {
  for (;;) {
    // Whatever was pending is answered by this read of Postgres; later signals stay pending.
    state.inbox.pending = noPending();
    // Cleared before the call: a resume arriving while it runs must not be lost.
    state.inbox.resumeRequested = false;
    const { records, done } = takeRecords(state);
    const guard = guardOf(state);
    const result = await io.checkpoint({
      run: state.ref,
      records,
      current,
      at: Date.now(),
      guard,
      holdIfPaused: options.holdIfPaused,
      check: options.check,
      ...(options.watchTime ? { watchTime: true } : {}),
      // Held, the answer says when time alone can next meet an exit condition or goal.
      ...(options.holdIfPaused && guard !== null ? { watchHeld: true } : {}),
    });
    done();
    if (result.kind !== 'held') return result;
    if (guard !== null && patched(HOLD_WATCH_PATCH)) await holdWatching(state, result.recheckAt);
    else await waitForResume(state);
  }
}

/** The run met a goal: record the conversion at the goal node, then exit or go on from it. */
export function reachGoal(
  state: RunState,
  goalId: string,
  values: Record<string, unknown>,
  step?: StepStart,
): Transition {
  const goal = state.plan.nodes[goalId];
  if (goal?.kind !== 'logic.goal') throw new Error(`The plan has no goal "${goalId}"`);
  const at = Date.now();
  state.goalsMet.push(goalId);
  const goalStep = step ?? enterStep(state, goal, at);
  const onExit = goal.config.onMet === 'exit';
  leaveStep(state, goalStep, at, 'converted', onExit ? null : 'out', { values });
  return onExit
    ? { kind: 'end', status: 'converted' }
    : { kind: 'next', nodeId: goal.next.out ?? null };
}

/** An exit condition or a goal fired before (or during) `step`. */
export function guardTransition(
  state: RunState,
  step: StepStart,
  guard: Exclude<GuardResult, { kind: 'clear' }>,
): Transition {
  const at = Date.now();
  switch (guard.kind) {
    case 'exit':
      leaveStep(state, step, at, 'exited', null, {
        exitCondition: guard.index,
        values: guard.values,
      });
      return { kind: 'end', status: 'exited' };
    case 'goal':
      leaveStep(state, step, at, 'skipped', null, { goal: guard.nodeId });
      return reachGoal(state, guard.nodeId, guard.values);
    default: {
      const unreachable: never = guard;
      throw new Error(`Unknown guard result ${JSON.stringify(unreachable)}`);
    }
  }
}
