// How the interpreter talks to activities: proxies with their timeouts and retry policies, the
// checkpoint (flush steps, hold while paused, watch exit conditions and goals) and goal jumps.

import { condition, proxyActivities, workflowInfo } from '@temporalio/workflow';
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
    const result = await io.checkpoint({
      run: state.ref,
      records,
      current,
      at: Date.now(),
      guard: guardOf(state),
      holdIfPaused: options.holdIfPaused,
      check: options.check,
      ...(options.watchTime ? { watchTime: true } : {}),
    });
    done();
    if (result.kind !== 'held') return result;
    await waitForResume(state);
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
