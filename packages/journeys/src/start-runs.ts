import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { latestRuns } from '@relance/db';
import { canEnter, type PlanEntryPolicy } from '@relance/flow/runtime';
import {
  JOURNEY_RUN_WORKFLOW,
  runWorkflowId,
  type JourneyRunInput,
  type RunEntry,
} from '@relance/workflows/contracts';
import type { journeyRun } from '@relance/workflows/journey-run';
import { callEach, type RuntimeDeps } from './runtime-deps';

/** A contact to put into a journey version. */
export interface RunRequest {
  journeyId: string;
  versionId: string;
  entryPolicy: PlanEntryPolicy;
  contactId: string;
  /** One run per key (e.g. an order id) when the trigger has an entry key. */
  entryKey: string | null;
  entry: RunEntry;
  /** Start the run later (a date trigger found the occurrence ahead of time). */
  startDelayMs?: number;
}

/**
 * started: a new run. duplicate: a run with the same business key is going (Temporal refused
 * the id). refused: the entry policy says no. failed: Temporal could not be reached.
 */
export type StartOutcome = 'started' | 'duplicate' | 'refused' | 'failed';

/** A start Temporal did not take (unreachable, timed out, …), with its reason. */
export interface StartFailure {
  request: RunRequest;
  workflowId: string;
  error: string;
}

/** What happens to a failed start unless the caller keeps it: a log line. */
const logStartFailure = (deps: RuntimeDeps) => (failure: StartFailure) =>
  deps.log(`journeys: could not start ${failure.workflowId}: ${failure.error}`);

/**
 * Starts runs for `requests`. The entry policy is checked here in one query per journey, so
 * most refusals never reach Temporal; the run checks it again, under a lock, when it begins.
 * Each start has the call deadline, and once Temporal fails one the rest are not tried
 * (`callEach`). Each failed start is handed to `onFailure` (logged by default).
 */
export async function startRuns(
  deps: RuntimeDeps,
  requests: readonly RunRequest[],
  onFailure: (failure: StartFailure) => void = logStartFailure(deps),
): Promise<StartOutcome[]> {
  const outcomes = new Array<StartOutcome>(requests.length).fill('refused');
  const now = deps.now().getTime();
  const byJourney = new Map<string, number[]>();
  requests.forEach((r, i) =>
    byJourney.set(r.journeyId, [...(byJourney.get(r.journeyId) ?? []), i]),
  );
  const admitted: number[] = [];
  for (const [journeyId, indexes] of byJourney) {
    const latest = await latestRuns(deps.sql, {
      journeyId,
      entries: indexes.map((i) => ({
        contactId: requests[i]!.contactId,
        entryKey: requests[i]!.entryKey ?? '',
      })),
    });
    for (const i of indexes) {
      const r = requests[i]!;
      const previous = latest.get(`${r.contactId}:${r.entryKey ?? ''}`);
      const last = previous
        ? { startedAt: previous.startedAt.getTime(), endedAt: previous.endedAt?.getTime() ?? null }
        : null;
      if (canEnter(r.entryPolicy, last, now)) admitted.push(i);
    }
  }
  const starts = await callEach<number, StartOutcome>(
    deps,
    admitted,
    (i) => startRun(deps, requests[i]!),
    (error) => (error instanceof WorkflowExecutionAlreadyStartedError ? 'duplicate' : undefined),
  );
  starts.forEach((start, n) => {
    const i = admitted[n]!;
    outcomes[i] = start.ok ? start.value : 'failed';
    if (!start.ok) {
      onFailure({
        request: requests[i]!,
        workflowId: workflowIdOf(requests[i]!),
        error: start.error,
      });
    }
  });
  return outcomes;
}

const workflowIdOf = (request: RunRequest) =>
  runWorkflowId(request.journeyId, request.contactId, request.entryKey);

async function startRun(deps: RuntimeDeps, request: RunRequest): Promise<'started'> {
  const input: JourneyRunInput = {
    v: 1,
    journeyVersionId: request.versionId,
    contactId: request.contactId,
    entry: request.entry,
  };
  // Default id policies: reuse allowed once the previous run closed (the entry policy decided
  // that), a second start while one is running fails, which is what makes duplicates one run.
  await deps.client.workflow.start<typeof journeyRun>(JOURNEY_RUN_WORKFLOW, {
    taskQueue: deps.taskQueue,
    workflowId: workflowIdOf(request),
    args: [input],
    ...(request.startDelayMs ? { startDelay: request.startDelayMs } : {}),
  });
  return 'started';
}
