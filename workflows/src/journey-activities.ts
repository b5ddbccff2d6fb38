// The activities the journey interpreter calls, as types: the workflow proxies them by name and
// `activities/src/journeys` implements them (`satisfies JourneyActivities`). Every input carries
// the workflow's own clock (`at`, epoch ms) so recorded times follow workflow time, also under
// the time-skipping test server.

import type { Condition, EventFilter, FlowPlan, NodeKind, PlanNode } from '@relance/flow/runtime';
import type { EnrolmentProgress, RunEntry } from './contracts';

/** Which run an activity works for. */
export interface RunRef {
  /** Row id in `journey_runs`: the Temporal run id of the first execution of the chain. */
  runId: string;
  workflowId: string;
  workspaceId: string;
  journeyId: string;
  versionId: string;
  contactId: string;
}

/** `run_steps.outcome`. */
export type StepOutcome =
  'waiting' | 'held' | 'done' | 'skipped' | 'failed' | 'exited' | 'converted';

/** One step as the interpreter saw it; upserted by `(runId, seq)`. */
export interface StepRecord {
  seq: number;
  nodeId: string;
  kind: NodeKind;
  visit: number;
  enteredAt: number;
  leftAt: number | null;
  outcome: StepOutcome;
  port: string | null;
  why: Record<string, unknown>;
}

export interface BeginRunInput {
  workflowId: string;
  runId: string;
  journeyVersionId: string;
  contactId: string;
  entry: RunEntry;
  at: number;
}

/** The run admitted (its row written) with what it needs to go, or refused by the entry policy. */
export type BeginRunResult =
  | { admitted: true; run: RunRef; plan: FlowPlan; timeZone: string; watermark: string }
  | { admitted: false; reason: string };

/** After continue-as-new: the run's identity, plan and time zone, read back from Postgres. */
export interface LoadRunResult {
  run: RunRef;
  plan: FlowPlan;
  timeZone: string;
}

/** Conditions watched during the whole run: exit conditions and goals not met yet. */
export interface Guard {
  exit: readonly Condition[];
  goals: readonly { nodeId: string; condition: Condition }[];
}

export type GuardResult =
  | { kind: 'clear' }
  | { kind: 'exit'; index: number; values: Record<string, unknown> }
  | { kind: 'goal'; nodeId: string; values: Record<string, unknown> };

/** What a node asks Postgres before it decides. */
export type Check =
  | { kind: 'conditions'; conditions: readonly Condition[] }
  /** The first `event` (matching `where`) recorded for the contact after `afterEventId`. */
  | {
      kind: 'event';
      event: string;
      where: EventFilter | null;
      afterEventId: string;
      /** Epoch ms: only events Postgres received at or before it (a wait's last check). */
      receivedBy?: number;
      /** Epoch ms: only events Postgres received after it (since the run last stopped waiting). */
      receivedAfter?: number;
    };

export type CheckResult =
  | { kind: 'conditions'; results: { matched: boolean; values: Record<string, unknown> }[] }
  | { kind: 'event'; eventId: string | null };

/** The step about to run: written as `held` when the journey is paused, else the run's current node. */
export type StepStart = Pick<StepRecord, 'seq' | 'nodeId' | 'kind' | 'visit' | 'enteredAt'>;

export interface CheckpointInput {
  run: RunRef;
  /** Steps to write first. */
  records: readonly StepRecord[];
  current: StepStart;
  at: number;
  guard: Guard | null;
  /** Before actions: answer `held` (and mark the run held) while the journey is paused. */
  holdIfPaused: boolean;
  check: Check | null;
  /**
   * A waiting run asks when to look again: when the answer is clear, `recheckAt` is the next
   * instant time alone could change the guard's or the check's answer. Absent before it existed.
   */
  watchTime?: boolean;
  /**
   * A run about to act asks, should it be held (its journey paused), when to look again: the
   * held answer's `recheckAt` is the next instant time alone could change the guard's answer.
   * Absent before it existed.
   */
  watchHeld?: boolean;
}

export type CheckpointResult =
  /** `recheckAt` (with `watchHeld`): as for `clear`, for the guard alone. */
  | { kind: 'held'; recheckAt?: number }
  | { kind: 'guarded'; guard: Exclude<GuardResult, { kind: 'clear' }> }
  | {
      kind: 'clear';
      check: CheckResult | null;
      /**
       * Epoch ms (with `watchTime`): the next instant at which a time-driven condition of the
       * guard or check may flip for this contact ("no open for 7 days" at last open + 7 days);
       * absent when none can flip by time alone. Anything else that changes an answer (an
       * event, a property, a segment) signals the run.
       */
      recheckAt?: number;
    };

/** Action nodes run by `performAction` (email goes through `sendEmail`). */
export type ActionNode = Extract<
  PlanNode,
  {
    kind:
      | 'action.segment'
      | 'action.tag'
      | 'action.set_property'
      | 'action.score'
      | 'action.webhook'
      | 'action.notify';
  }
>;

export interface PerformActionInput {
  run: RunRef;
  records: readonly StepRecord[];
  current: StepStart;
  at: number;
  guard: Guard | null;
  node: ActionNode;
  /** `{workflowId}:{runId}:{nodeId}:{visit}`: recorded before the side effect. */
  key: string;
  entry: RunEntry;
}

export type PerformActionResult =
  | { kind: 'held' }
  | { kind: 'guarded'; guard: Exclude<GuardResult, { kind: 'clear' }> }
  | {
      kind: 'done';
      outcome: 'done' | 'skipped';
      result: Record<string, unknown>;
      /** True when the key was already recorded: a retry that did not act again. */
      replayed: boolean;
    };

export interface MoveRunInput {
  run: RunRef;
  journeyVersionId: string;
  /** The node the run waits at; it must exist, with the same kind, in the new version. */
  nodeId: string;
  at: number;
}

export type MoveRunResult =
  { moved: true; run: RunRef; plan: FlowPlan } | { moved: false; reason: string };

/** How a run's row ends. */
export type RunEndStatus = 'completed' | 'exited' | 'converted' | 'failed' | 'cancelled';

export interface EndRunInput {
  run: RunRef;
  records: readonly StepRecord[];
  at: number;
  status: RunEndStatus;
}

export interface EnrolBatchInput {
  enrolmentId: string;
  cursor: string | null;
  limit: number;
  at: number;
}

/** Everything the journey workflows ask of the outside world. */
export interface JourneyActivities {
  beginRun(input: BeginRunInput): Promise<BeginRunResult>;
  loadRun(input: { runId: string }): Promise<LoadRunResult>;
  /** The contact's time zone now (else its workspace's); null when the contact is gone. */
  readTimeZone(input: { run: RunRef }): Promise<string | null>;
  checkpoint(input: CheckpointInput): Promise<CheckpointResult>;
  performAction(input: PerformActionInput): Promise<PerformActionResult>;
  moveRunToVersion(input: MoveRunInput): Promise<MoveRunResult>;
  endRun(input: EndRunInput): Promise<void>;
  /** Starts runs for the next batch of an enrolment and records the progress. */
  enrolBatch(input: EnrolBatchInput): Promise<EnrolmentProgress>;
  /** Starts runs (with a start delay) for the date occurrences in (fromMs, toMs]. */
  scanDateTrigger(input: ScanDateTriggerInput): Promise<{ keep: boolean; started: number }>;
}

export interface ScanDateTriggerInput {
  journeyId: string;
  fromMs: number;
  toMs: number;
  nowMs: number;
}
