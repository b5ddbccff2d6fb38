// The four wait kinds. A wait is written as `waiting` before the run sleeps, checks Postgres
// once on arrival (a run that already satisfies its wait does not wait), then sleeps on a
// durable timer until its deadline, a relevant notification or the next instant time alone can
// change its conditions or the run's guard, re-checking on each wake-up.

import { condition, patched } from '@temporalio/workflow';
import { nextUntil, type PlanNode } from '@relance/flow/runtime';
import type { Check, CheckResult, StepStart } from './journey-activities';
import { checkpoint, guardTransition, historyTooLong, io, type Transition } from './run-io';
import { guardOf, hasPending, leaveStep, type RunState } from './run-state';

export type WaitNode = Extract<PlanNode, { kind: `wait.${string}` }>;

interface WaitSpec {
  /** Epoch ms the wait ends at. */
  deadline: number;
  check: Check | null;
  /** Port taken when the check is satisfied (waits with a check only). */
  hitPort: string;
  /** Port taken at the deadline. */
  timeoutPort: string;
  /** Whether the pending notifications could change the check's answer. */
  relevant: (state: RunState) => boolean;
}

function specOf(state: RunState, node: WaitNode, step: StepStart): WaitSpec {
  const watching = (s: RunState) => guardOf(s) !== null && hasPending(s.inbox.pending);
  switch (node.kind) {
    case 'wait.delay':
      return {
        deadline: step.enteredAt + node.config.durationMs,
        check: null,
        hitPort: 'out',
        timeoutPort: 'out',
        relevant: watching,
      };
    case 'wait.until':
      return {
        deadline: nextUntil(node.config.time, node.config.weekdays, state.timeZone, step.enteredAt),
        check: null,
        hitPort: 'out',
        timeoutPort: 'out',
        relevant: watching,
      };
    case 'wait.event': {
      const event = node.config.event;
      // Only events received since the run last stopped waiting (kept across continue-as-new,
      // so nothing that came during this wait is lost); before, any event after the mark.
      const since =
        state.since !== null && patched('wait-event-since-last-wait') ? state.since : null;
      return {
        deadline: step.enteredAt + node.config.timeoutMs,
        check: {
          kind: 'event',
          event,
          where: node.config.where,
          afterEventId: state.eventMarks[event] ?? state.watermark,
          ...(since !== null ? { receivedAfter: since } : {}),
        },
        hitPort: 'event',
        timeoutPort: 'timeout',
        relevant: (s) => s.inbox.pending.events.includes(event) || watching(s),
      };
    }
    case 'wait.condition':
      return {
        deadline: step.enteredAt + node.config.timeoutMs,
        check: { kind: 'conditions', conditions: [node.config.condition] },
        hitPort: 'met',
        timeoutPort: 'timeout',
        relevant: (s) => hasPending(s.inbox.pending),
      };
    default: {
      const unreachable: never = node;
      throw new Error(`Not a wait: ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Why the wait is over when its check is satisfied; null while it is not. */
function hitOf(node: WaitNode, result: CheckResult | null): Record<string, unknown> | null {
  if (!result) return null;
  switch (result.kind) {
    case 'event':
      return result.eventId === null ? null : { eventId: result.eventId };
    case 'conditions': {
      const first = result.results[0];
      return first?.matched ? { matched: true, values: first.values } : null;
    }
    default: {
      const unreachable: never = result;
      throw new Error(`Unknown check result for ${node.id}: ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The check as of the wait's deadline: an event counts when Postgres received it at or before
 * the deadline (the order waits already go by: arrival, by event id), not when it says it
 * occurred. Conditions are read as they stand, as on every other check.
 */
function atDeadline(check: Check, deadline: number): Check {
  return check.kind === 'event' ? { ...check, receivedBy: deadline } : check;
}

/** Leaves the wait by its hit port, consuming the event that satisfied it. */
function leaveOnHit(
  state: RunState,
  node: WaitNode,
  step: StepStart,
  spec: WaitSpec,
  hit: Record<string, unknown>,
): Transition {
  if (node.kind === 'wait.event' && typeof hit.eventId === 'string') {
    state.eventMarks[node.config.event] = hit.eventId;
  }
  leaveStep(state, step, Date.now(), 'done', spec.hitPort, hit);
  return { kind: 'next', nodeId: node.next[spec.hitPort] ?? null };
}

/** Moves a waiting run to the version it was asked to; the node it waits at, as that version has it. */
async function applyMove(state: RunState, node: WaitNode): Promise<WaitNode> {
  const request = state.inbox.moveTo;
  state.inbox.moveTo = null;
  if (!request || request.journeyVersionId === state.ref.versionId) return node;
  const result = await io.moveRunToVersion({
    run: state.ref,
    journeyVersionId: request.journeyVersionId,
    nodeId: node.id,
    at: Date.now(),
  });
  if (!result.moved) return node;
  state.ref = result.run;
  state.plan = result.plan;
  state.goalsMet = state.goalsMet.filter((id) => id in result.plan.nodes);
  state.view = { ...state.view, versionId: result.run.versionId };
  const moved = result.plan.nodes[node.id];
  return moved?.kind === node.kind ? moved : node;
}

/**
 * Runs a wait step. `resumed`: the run continued as new inside this wait, whose `waiting`
 * record is already written.
 */
export async function runWait(
  state: RunState,
  waitNode: WaitNode,
  step: StepStart,
  resumed: boolean,
): Promise<Transition> {
  const transition = await waitStep(state, waitNode, step, resumed);
  // Continuing as new is still waiting; anything else ends the wait.
  if (transition.kind !== 'suspend') state.since = Date.now();
  return transition;
}

async function waitStep(
  state: RunState,
  waitNode: WaitNode,
  step: StepStart,
  resumed: boolean,
): Promise<Transition> {
  let node = waitNode;
  // A time of day is read in the zone the contact (or its workspace) has now, not the one it
  // had when the run began. A resumed wait keeps the zone read back with the run.
  if (!resumed && node.kind === 'wait.until' && patched('wait-until-zone-when-scheduled')) {
    const zone = await io.readTimeZone({ run: state.ref });
    if (zone !== null) state.timeZone = zone;
  }
  let spec = specOf(state, node, step);
  const until = () => new Date(spec.deadline).toISOString();
  if (!resumed) {
    state.records.push({
      ...step,
      leftAt: null,
      outcome: 'waiting',
      port: null,
      why: { until: until() },
    });
  }
  // Conditions that turn true by time passing alone ("last opened more than 7 days ago", an
  // exit condition on a renewal date) are asked again at the next instant one of them can
  // flip, as Postgres reads it; nothing else would wake the run before its deadline. A wait
  // whose conditions and guard hold no such leaf gets no such instant, hence no extra timer.
  const watchTime = patched('wait-recheck-when-time-passes');
  // On arrival, and after every relevant wake-up: ask Postgres.
  for (;;) {
    const result = await checkpoint(state, step, {
      holdIfPaused: false,
      check: spec.check,
      watchTime,
    });
    if (result.kind === 'guarded') return guardTransition(state, step, result.guard);
    const hit = hitOf(node, result.check);
    if (hit) return leaveOnHit(state, node, step, spec, hit);
    const recheckAt =
      watchTime && result.recheckAt !== undefined && result.recheckAt < spec.deadline
        ? result.recheckAt
        : null;
    const remaining = (recheckAt ?? spec.deadline) - Date.now();
    state.view = { ...state.view, state: 'waiting', waitingUntil: spec.deadline };
    const woken =
      remaining > 0 &&
      (await condition(
        () => spec.relevant(state) || state.inbox.moveTo !== null || historyTooLong(),
        remaining,
      ));
    state.view = { ...state.view, state: 'running', waitingUntil: null };
    if (!woken && recheckAt !== null) {
      // Time may have changed an answer: look again, as after a signal.
      if (historyTooLong()) return { kind: 'suspend', waiting: { ...step, nodeId: node.id } };
      continue;
    }
    if (!woken) {
      // Postgres decides, not the signals: one that came late (queued for redelivery) or never
      // (the dispatcher failed) must not send the run down the timeout branch. So a wait with a
      // check asks a last time, counting only what was recorded by its deadline.
      if (spec.check !== null && patched('wait-recheck-at-deadline')) {
        const last = await checkpoint(state, step, {
          holdIfPaused: false,
          check: atDeadline(spec.check, spec.deadline),
        });
        if (last.kind === 'guarded') return guardTransition(state, step, last.guard);
        const lastHit = hitOf(node, last.check);
        if (lastHit) return leaveOnHit(state, node, step, spec, lastHit);
      }
      // A delay simply ends; a wait with a check ends by timing out.
      const why = spec.check === null ? { until: until() } : { until: until(), timedOut: true };
      leaveStep(state, step, Date.now(), 'done', spec.timeoutPort, why);
      return { kind: 'next', nodeId: node.next[spec.timeoutPort] ?? null };
    }
    if (historyTooLong()) return { kind: 'suspend', waiting: { ...step, nodeId: node.id } };
    if (state.inbox.moveTo !== null) {
      node = await applyMove(state, node);
      spec = specOf(state, node, step);
    }
  }
}
