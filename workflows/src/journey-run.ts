// The journey interpreter: ONE workflow type that carries one contact through one published
// journey version, node by node, for as long as the plan says.
//
// Determinism. This file and its helpers import only @temporalio/workflow, activity *types*,
// the contracts and zod-free helpers from @relance/flow/runtime. Time is workflow time
// (`Date.now()` inside a workflow), randomness is a hash of the workflow id (`pickBranch`).
//
// Versioning discipline. Runs live for weeks, so a deploy replays histories written by older
// code. Any change that alters the commands issued for a given plan and history (a new activity
// call, a timer, a different order) must be written as
//   if (patched('short-change-id')) { new behaviour } else { old behaviour }
// and the old branch kept until no run started before the deploy is still open; then the call
// becomes `deprecatePatched('short-change-id')` for one more release before it is removed.
// Changes that issue the same commands (logging, the `why` of a step) need no patch. The plan
// itself never changes under a run: it is pinned to its journey version, and `input.v` lets a
// future input shape coexist with this one. The patches in use: grep `patched(` in this folder.

import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  continueAsNew,
  defineQuery,
  defineSignal,
  isCancellation,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  QUERIES,
  SIGNALS,
  type JourneyRunInput,
  type MoveToVersion,
  type RunNotification,
  type RunOutcome,
  type RunView,
} from './contracts';
import type { RunEndStatus } from './journey-activities';
import { historyTooLong, io, type Transition } from './run-io';
import { runNode } from './run-nodes';
import {
  addNotification,
  enterStep,
  noPending,
  toResume,
  type Inbox,
  type RunState,
  type WaitingAt,
} from './run-state';

export const notifySignal = defineSignal<[RunNotification]>(SIGNALS.notify);
export const resumeSignal = defineSignal<[]>(SIGNALS.resume);
export const moveToVersionSignal = defineSignal<[MoveToVersion]>(SIGNALS.moveToVersion);
export const runViewQuery = defineQuery<RunView>(QUERIES.run);

/** Runs one contact through a journey version. */
export async function journeyRun(input: JourneyRunInput): Promise<RunOutcome> {
  const info = workflowInfo();
  // Handlers first: a signal that arrives while the run is being admitted is kept, not dropped.
  const inbox: Inbox = {
    pending: input.resume?.pending ?? noPending(),
    moveTo: input.resume?.moveTo ?? null,
    resumeRequested: false,
  };
  let view: RunView = {
    runId: input.resume?.runId ?? info.firstExecutionRunId,
    versionId: input.journeyVersionId,
    nodeId: null,
    state: 'starting',
    waitingUntil: null,
  };
  let state: RunState | null = null;
  setHandler(notifySignal, (notification) => addNotification(inbox.pending, notification));
  setHandler(resumeSignal, () => {
    inbox.resumeRequested = true;
  });
  setHandler(moveToVersionSignal, (request) => {
    inbox.moveTo = request;
  });
  setHandler(runViewQuery, () => state?.view ?? view);

  // A cancellation that lands while the run's row is being written (or read back) must not
  // leave the row open: the start goes to its end, then the run ends as cancelled. So does a
  // cancellation that lands while the last step and the end are being written.
  const shielded = patched('run-end-shielded-from-cancel');
  const started = shielded
    ? await CancellationScope.nonCancellable(() => startOrResume(input, inbox, view))
    : await startOrResume(input, inbox, view);
  if ('rejected' in started) return { status: 'rejected', reason: started.rejected };
  state = started.state;
  view = state.view;
  const root = CancellationScope.current();
  if (shielded && root.consideredCancelled) {
    await CancellationScope.nonCancellable(() => endRun(state, 'cancelled'));
    await root.cancelRequested;
  }

  let status: RunEndStatus;
  try {
    status = await interpret(state, started.nodeId, started.waiting, input);
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => endRun(state, 'cancelled'));
      throw error;
    }
    // A step that cannot go on (a plan node missing, a check failing for good): the run fails
    // visibly. Any other error is a bug: its workflow task is retried until a fix is deployed.
    if (error instanceof ActivityFailure || error instanceof ApplicationFailure) {
      if (shielded) await CancellationScope.nonCancellable(() => endRun(state, 'failed'));
      else await endRun(state, 'failed');
      return { status: 'failed', runId: state.ref.runId };
    }
    throw error;
  }
  if (shielded) await CancellationScope.nonCancellable(() => endRun(state, status));
  else await endRun(state, status);
  return { status, runId: state.ref.runId };
}

async function endRun(state: RunState, status: RunEndStatus): Promise<void> {
  state.view = { ...state.view, state: 'ended', waitingUntil: null };
  await io.endRun({ run: state.ref, records: state.records, at: Date.now(), status });
  state.records = [];
}

type Started =
  { rejected: string } | { state: RunState; nodeId: string | null; waiting: WaitingAt | null };

async function startOrResume(
  input: JourneyRunInput,
  inbox: Inbox,
  view: RunView,
): Promise<Started> {
  const resume = input.resume;
  if (resume) {
    const loaded = await io.loadRun({ runId: resume.runId });
    return {
      state: {
        ref: loaded.run,
        plan: loaded.plan,
        timeZone: loaded.timeZone,
        entry: input.entry,
        seq: resume.seq,
        visits: resume.visits,
        eventMarks: resume.eventMarks,
        watermark: resume.watermark,
        since: resume.since ?? null,
        goalsMet: resume.goalsMet,
        records: resume.records,
        inbox,
        generation: resume.generation,
        view: { ...view, versionId: loaded.run.versionId, state: 'running' },
      },
      nodeId: resume.nodeId,
      waiting: resume.waiting,
    };
  }
  const begun = await io.beginRun({
    workflowId: workflowInfo().workflowId,
    runId: view.runId,
    journeyVersionId: input.journeyVersionId,
    contactId: input.contactId,
    entry: input.entry,
    at: Date.now(),
  });
  if (!begun.admitted) return { rejected: begun.reason };
  return {
    state: {
      ref: begun.run,
      plan: begun.plan,
      timeZone: begun.timeZone,
      entry: input.entry,
      seq: 0,
      visits: {},
      eventMarks: {},
      watermark: begun.watermark,
      since: null,
      goalsMet: [],
      records: [],
      inbox,
      generation: 0,
      view: { ...view, state: 'running' },
    },
    nodeId: begun.plan.startNodeId,
    waiting: null,
  };
}

/** Walks the plan from `nodeId` until the run ends; continues as new when the history is long. */
async function interpret(
  state: RunState,
  startNodeId: string | null,
  resumeWaiting: WaitingAt | null,
  input: JourneyRunInput,
): Promise<RunEndStatus> {
  let nodeId = startNodeId;
  let waiting = resumeWaiting;
  while (nodeId !== null) {
    if (historyTooLong() && waiting === null) {
      return continueAsNew<typeof journeyRun>({ ...input, resume: toResume(state, nodeId, null) });
    }
    const node = state.plan.nodes[nodeId];
    if (!node) throw ApplicationFailure.nonRetryable(`The plan has no node "${nodeId}"`);
    const step = waiting ?? enterStep(state, node, Date.now());
    state.view = { ...state.view, nodeId: node.id, state: 'running' };
    const transition: Transition = await runNode(state, node, step, waiting !== null);
    waiting = null;
    switch (transition.kind) {
      case 'next':
        nodeId = transition.nodeId;
        break;
      case 'end':
        return transition.status;
      case 'suspend':
        return continueAsNew<typeof journeyRun>({
          ...input,
          resume: toResume(state, transition.waiting.nodeId, transition.waiting),
        });
      default: {
        const unreachable: never = transition;
        throw new Error(`Unknown transition ${JSON.stringify(unreachable)}`);
      }
    }
  }
  // A port left open ends the run where it is.
  return 'completed';
}
