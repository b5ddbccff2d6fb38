// The interpreter's state: what a run carries from step to step and across continue-as-new.
// Plain data, so it serialises into the next execution's input unchanged.

import type { FlowPlan, PlanNode } from '@relance/flow/runtime';
import type { MoveToVersion, RunEntry, RunNotification, RunView } from './contracts';
import type { Guard, RunRef, StepRecord, StepStart } from './journey-activities';

/** A wait the run was in when it continued as new: the next execution resumes it, not re-enters. */
export interface WaitingAt extends StepStart {
  /** Node id; equals the resume's `nodeId`. */
  nodeId: string;
}

/** Notifications not yet looked at: which event names arrived, and whether anything else did. */
export interface PendingNotifications {
  events: string[];
  other: boolean;
}

/** What continue-as-new hands to the next execution of a run. */
export interface RunResume {
  runId: string;
  /** Where the run picks up. */
  nodeId: string;
  waiting: WaitingAt | null;
  seq: number;
  visits: Record<string, number>;
  /** Last event id consumed per event name; events after it can satisfy a `wait.event`. */
  eventMarks: Record<string, string>;
  /** Event id the run started after; the mark of every event name not consumed yet. */
  watermark: string;
  /** See `RunState.since`; absent in resumes written before it existed. */
  since?: number | null;
  goalsMet: string[];
  records: StepRecord[];
  pending: PendingNotifications;
  moveTo: MoveToVersion | null;
  /** How many times this run has continued as new. */
  generation: number;
}

/** A live run inside one workflow execution. */
export interface RunState {
  ref: RunRef;
  plan: FlowPlan;
  timeZone: string;
  entry: RunEntry;
  seq: number;
  visits: Record<string, number>;
  eventMarks: Record<string, string>;
  watermark: string;
  /**
   * Workflow time the run last stopped waiting (a wait or a hold ended); null before its first.
   * An event wait counts only events received after it: what came while the run waited
   * elsewhere is not an answer to this wait, while a reaction to the steps just before it (the
   * email it waits for a click on) is.
   */
  since: number | null;
  goalsMet: string[];
  /** Steps decided but not written yet; flushed with the next activity call. */
  records: StepRecord[];
  inbox: Inbox;
  generation: number;
  view: RunView;
}

/** What signal handlers write; exists before the run is admitted, so no signal is dropped. */
export interface Inbox {
  pending: PendingNotifications;
  moveTo: MoveToVersion | null;
  resumeRequested: boolean;
}

export function noPending(): PendingNotifications {
  return { events: [], other: false };
}

/** Folds a notification into the pending set (bounded: names are deduplicated). */
export function addNotification(pending: PendingNotifications, n: RunNotification): void {
  if (n.kind === 'event') {
    if (!pending.events.includes(n.name)) pending.events.push(n.name);
  } else {
    pending.other = true;
  }
}

export function hasPending(pending: PendingNotifications): boolean {
  return pending.other || pending.events.length > 0;
}

/** Enters a node: the next step number and this node's visit count. */
export function enterStep(state: RunState, node: PlanNode, at: number): StepStart {
  state.seq += 1;
  const visit = (state.visits[node.id] ?? 0) + 1;
  state.visits[node.id] = visit;
  return { seq: state.seq, nodeId: node.id, kind: node.kind, visit, enteredAt: at };
}

/** The idempotency key of an action step: stable across retries, distinct per run and visit. */
export function actionKey(state: RunState, step: StepStart): string {
  return `${state.ref.workflowId}:${state.ref.runId}:${step.nodeId}:${step.visit}`;
}

/** Exit conditions and the goals not met yet; null when there is nothing to watch. */
export function guardOf(state: RunState): Guard | null {
  const goals = state.plan.goals.flatMap((id) => {
    const node = state.plan.nodes[id];
    return node?.kind === 'logic.goal' && !state.goalsMet.includes(id)
      ? [{ nodeId: id, condition: node.config.condition }]
      : [];
  });
  const exit = state.plan.settings.exitConditions;
  return exit.length === 0 && goals.length === 0 ? null : { exit, goals };
}

/** Queues the record of a step that has finished. */
export function leaveStep(
  state: RunState,
  step: StepStart,
  at: number,
  outcome: StepRecord['outcome'],
  port: string | null,
  why: Record<string, unknown>,
): void {
  state.records.push({ ...step, leftAt: at, outcome, port, why });
}

/** Hands the records to an activity call; they are dropped only once it succeeded. */
export function takeRecords(state: RunState): { records: StepRecord[]; done: () => void } {
  const records = state.records;
  return {
    records,
    done: () => {
      state.records = state.records.filter((r) => !records.includes(r));
    },
  };
}

export function toResume(state: RunState, nodeId: string, waiting: WaitingAt | null): RunResume {
  return {
    runId: state.ref.runId,
    nodeId,
    waiting,
    seq: state.seq,
    visits: state.visits,
    eventMarks: state.eventMarks,
    watermark: state.watermark,
    since: state.since,
    goalsMet: state.goalsMet,
    records: state.records,
    pending: state.inbox.pending,
    moveTo: state.inbox.moveTo,
    generation: state.generation + 1,
  };
}
