import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { latestRuns, runsBegunFrom } from '@relance/db';
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
 * the id), or a run already began from this very entry (an earlier attempt of the same batch,
 * scan or delivery started it, and it may have ended since). refused: the entry policy says no.
 * failed: Temporal could not be reached.
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
    // A retried batch or scan asks again for the runs its failed attempt started: those that
    // have ended since would pass an after_exit policy and run a second time. A start named by
    // its origin (enrolment, event, segment change, date occurrence) is made once.
    const keyed = indexes.filter((i) => namesItsOrigin(requests[i]!.entry));
    const begun = await runsBegunFrom(deps.sql, {
      journeyId,
      entries: keyed.map((i) => ({
        contactId: requests[i]!.contactId,
        entryKey: requests[i]!.entryKey ?? '',
        entry: requests[i]!.entry,
      })),
    });
    for (const i of keyed.filter((_, n) => begun.has(n))) outcomes[i] = 'duplicate';
    for (const i of indexes) {
      if (outcomes[i] === 'duplicate') continue;
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

/**
 * Whether an entry names the one thing that started it, so a second start from it is a retry.
 * A contact enrolled by hand (no enrolment) may be enrolled again whenever the policy allows.
 */
const namesItsOrigin = (entry: RunEntry) => entry.kind !== 'manual' || entry.enrolmentId !== null;

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
