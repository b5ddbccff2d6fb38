// One step of a run per node kind: logic decides a port (asking Postgres through the checkpoint
// when it needs contact facts), actions run as idempotent activities, waits live in run-waits.

import { ActivityFailure, isCancellation } from '@temporalio/workflow';
import { assertNever, pickBranch, pickCase, type PlanNode } from '@relance/flow/runtime';
import type { SendEmailInput, SendEmailResult } from './contracts';
import type { ActionNode, CheckResult, StepStart } from './journey-activities';
import {
  actionsFor,
  checkpoint,
  deferWatching,
  email,
  guardTransition,
  holdAtAction,
  reachGoal,
  type Transition,
} from './run-io';
import { actionKey, guardOf, leaveStep, noPending, takeRecords, type RunState } from './run-state';
import { runWait } from './run-waits';

/** A deferred send is retried no sooner than this, whatever `retryAt` says. */
const MIN_DEFERRAL_MS = 1_000;

const next = (nodeId: string | null | undefined): Transition => ({
  kind: 'next',
  nodeId: nodeId ?? null,
});

function conditionResults(check: CheckResult | null) {
  if (check?.kind !== 'conditions') throw new Error('Expected condition results');
  return check.results;
}

/** A failed activity the run survives (the step is recorded as failed); cancellation is not one. */
function survivable(error: unknown): error is ActivityFailure {
  return error instanceof ActivityFailure && !isCancellation(error);
}

function failureWhy(key: string, error: ActivityFailure): Record<string, unknown> {
  return { key, error: error.cause?.message ?? error.message };
}

/** Executes `node` for the step just entered. `resumed`: continuing a wait after continue-as-new. */
export async function runNode(
  state: RunState,
  node: PlanNode,
  step: StepStart,
  resumed: boolean,
): Promise<Transition> {
  switch (node.kind) {
    // A trigger only starts runs; a path that leads back to one simply goes on.
    case 'trigger.event':
    case 'trigger.segment_entered':
    case 'trigger.segment_exited':
    case 'trigger.date':
    case 'trigger.manual':
      leaveStep(state, step, Date.now(), 'done', 'out', {});
      return next(node.next.out);
    case 'wait.delay':
    case 'wait.until':
    case 'wait.event':
    case 'wait.condition':
      return runWait(state, node, step, resumed);
    case 'logic.condition': {
      const check = { kind: 'conditions' as const, conditions: [node.config.condition] };
      const result = await checkpoint(state, step, { holdIfPaused: false, check });
      if (result.kind === 'guarded') return guardTransition(state, step, result.guard);
      const [answer] = conditionResults(result.check);
      const port = answer?.matched ? 'yes' : 'no';
      leaveStep(state, step, Date.now(), 'done', port, {
        matched: answer?.matched ?? false,
        values: answer?.values ?? {},
      });
      return next(node.next[port]);
    }
    case 'logic.switch': {
      const conditions = node.config.cases.map((c) => c.condition);
      const result = await checkpoint(state, step, {
        holdIfPaused: false,
        check: { kind: 'conditions', conditions },
      });
      if (result.kind === 'guarded') return guardTransition(state, step, result.guard);
      const answers = conditionResults(result.check);
      const port = pickCase(
        node.config.cases,
        answers.map((a) => a.matched),
      );
      leaveStep(state, step, Date.now(), 'done', port, {
        case: port,
        results: answers.map((a, i) => ({ id: node.config.cases[i]?.id, ...a })),
      });
      return next(node.next[port]);
    }
    case 'logic.split': {
      if (guardOf(state)) {
        const result = await checkpoint(state, step, { holdIfPaused: false, check: null });
        if (result.kind === 'guarded') return guardTransition(state, step, result.guard);
      }
      // Seeded by the workflow id: the same contact (and entry key) always lands in the same branch.
      const port = pickBranch(node.config.branches, `${state.ref.workflowId}:${node.id}`);
      leaveStep(state, step, Date.now(), 'done', port, { branch: port });
      return next(node.next[port]);
    }
    case 'logic.goal': {
      const check = { kind: 'conditions' as const, conditions: [node.config.condition] };
      const result = await checkpoint(state, step, { holdIfPaused: false, check });
      if (result.kind === 'guarded') {
        // The guard watches this goal too: met here, it is reached at this step, recorded once
        // (not skipped here and then entered again to be converted).
        const { guard } = result;
        return guard.kind === 'goal' && guard.nodeId === node.id
          ? reachGoal(state, node.id, guard.values, step)
          : guardTransition(state, step, guard);
      }
      const [answer] = conditionResults(result.check);
      if (answer?.matched && !state.goalsMet.includes(node.id)) {
        return reachGoal(state, node.id, answer.values, step);
      }
      const onExit = node.config.onMet === 'exit';
      leaveStep(state, step, Date.now(), 'done', onExit ? null : 'out', { matched: false });
      return onExit ? { kind: 'end', status: 'completed' } : next(node.next.out);
    }
    case 'logic.exit':
      leaveStep(state, step, Date.now(), 'done', null, {});
      return { kind: 'end', status: 'completed' };
    case 'action.send_email':
      return sendEmailStep(state, node, step);
    case 'action.segment':
    case 'action.tag':
    case 'action.set_property':
    case 'action.score':
    case 'action.webhook':
    case 'action.notify':
      return actionStep(state, node, step);
    default:
      return assertNever(node);
  }
}

async function actionStep(state: RunState, node: ActionNode, step: StepStart): Promise<Transition> {
  const key = actionKey(state, step);
  for (;;) {
    state.inbox.pending = noPending();
    state.inbox.resumeRequested = false;
    const { records, done } = takeRecords(state);
    let result;
    try {
      result = await actionsFor(node).performAction({
        run: state.ref,
        records,
        current: step,
        at: Date.now(),
        guard: guardOf(state),
        node,
        key,
        entry: state.entry,
      });
    } catch (error) {
      if (!survivable(error)) throw error;
      leaveStep(state, step, Date.now(), 'failed', 'out', failureWhy(key, error));
      return next(node.next.out);
    }
    done();
    switch (result.kind) {
      case 'held': {
        // Paused: held until resumed, leaving meanwhile if an exit condition or goal is met.
        const hold = await holdAtAction(state, step);
        if (hold?.kind === 'guarded') return guardTransition(state, step, hold.guard);
        continue;
      }
      case 'guarded':
        return guardTransition(state, step, result.guard);
      case 'done':
        leaveStep(state, step, Date.now(), result.outcome, 'out', {
          key,
          ...(result.replayed ? { replayed: true } : {}),
          ...result.result,
        });
        return next(node.next.out);
      default:
        return assertNever(result);
    }
  }
}

async function sendEmailStep(
  state: RunState,
  node: Extract<PlanNode, { kind: 'action.send_email' }>,
  step: StepStart,
): Promise<Transition> {
  const key = actionKey(state, step);
  const input: SendEmailInput = {
    workspaceId: state.ref.workspaceId,
    contactId: state.ref.contactId,
    templateId: node.config.templateId,
    idempotencyKey: key,
    journeyId: state.ref.journeyId,
    runId: state.ref.runId,
    nodeId: node.id,
    ...(node.config.topic !== null ? { topic: node.config.topic } : {}),
    ...(state.entry.kind === 'event' ? { triggerEventId: state.entry.eventId } : {}),
  };
  const deferrals: string[] = [];
  for (;;) {
    const gate = await checkpoint(state, step, { holdIfPaused: true, check: null });
    if (gate.kind === 'guarded') return guardTransition(state, step, gate.guard);
    let result: SendEmailResult;
    try {
      result = await email.sendEmail(input);
    } catch (error) {
      if (!survivable(error)) throw error;
      leaveStep(state, step, Date.now(), 'failed', 'out', failureWhy(key, error));
      return next(node.next.out);
    }
    if (result.outcome === 'deferred') {
      // Frequency cap or quiet hours: sleep durably until the next allowed moment, then ask
      // again; an exit condition or goal met meanwhile ends the step there, unsent.
      const retryAt = Date.parse(result.retryAt ?? '');
      const wait = Number.isNaN(retryAt) ? MIN_DEFERRAL_MS : retryAt - Date.now();
      deferrals.push(result.retryAt ?? new Date(Date.now() + MIN_DEFERRAL_MS).toISOString());
      const guard = await deferWatching(state, step, Date.now() + Math.max(wait, MIN_DEFERRAL_MS));
      if (guard) return guardTransition(state, step, guard);
      continue;
    }
    leaveStep(state, step, Date.now(), result.outcome === 'sent' ? 'done' : 'skipped', 'out', {
      key,
      outcome: result.outcome,
      ...(result.messageId ? { messageId: result.messageId } : {}),
      ...(result.reason ? { reason: result.reason } : {}),
      ...(deferrals.length > 0 ? { deferredUntil: deferrals } : {}),
    });
    return next(node.next.out);
  }
}
