import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { claimRunsToStop } from '@relance/db';
import { callEach, type RuntimeDeps } from './runtime-deps';

/** A run Temporal could not be told to stop, with the reason. */
export interface StopFailure {
  workflowId: string;
  error: string;
}

/**
 * Tells each run's workflow to end; a run that already ended is not an error. Once Temporal
 * refuses one (it is down, or does not answer in time), the runs not yet asked are not tried
 * and are reported with that reason (`callEach`).
 */
async function endRuns(
  deps: RuntimeDeps,
  workflowIds: readonly string[],
  end: (handle: WorkflowHandle) => Promise<unknown>,
): Promise<{ stopped: number; failures: StopFailure[] }> {
  const outcomes = await callEach(
    deps,
    workflowIds,
    async (workflowId) => {
      await end(deps.client.workflow.getHandle(workflowId));
      return 1;
    },
    (error) => (error instanceof WorkflowNotFoundError ? 0 : undefined),
  );
  const failures: StopFailure[] = [];
  let stopped = 0;
  outcomes.forEach((outcome, i) => {
    if (outcome.ok) stopped += outcome.value;
    else failures.push({ workflowId: workflowIds[i]!, error: outcome.error });
  });
  return { stopped, failures };
}

/**
 * Ends runs at once, whatever they are doing (`terminate`: no further step, no cleanup step,
 * because what they would clean up is being deleted).
 */
export const stopRuns = (deps: RuntimeDeps, workflowIds: readonly string[], reason: string) =>
  endRuns(deps, workflowIds, (handle) => handle.terminate(reason));

/**
 * Asks runs to stop (`cancel`): each records its end (`cancelled`) and the step it was at, and
 * runs no further step. Counted as stopped once Temporal has the request.
 */
export const cancelRuns = (deps: RuntimeDeps, workflowIds: readonly string[]) =>
  endRuns(deps, workflowIds, (handle) => handle.cancel());

/** How many runs a stop request asks Temporal to cancel itself; the worker takes the rest. */
export const STOP_IN_REQUEST = 500;
/** How long the worker waits before asking again for a run still open after a cancel request. */
export const STOP_RETRY_MS = 60_000;

/**
 * The worker's pass over stopped journeys: asks Temporal to cancel their open runs never asked
 * for, or asked for over `STOP_RETRY_MS` ago and still open (Temporal was down, or the run has
 * not ended yet), `limit` at a time.
 */
export async function stopRunsOfStoppedJourneys(
  deps: RuntimeDeps,
  options: { limit?: number } = {},
): Promise<{ asked: number; failures: StopFailure[] }> {
  const now = deps.now();
  const workflowIds = await claimRunsToStop(deps.sql, {
    now,
    askedBefore: new Date(now.getTime() - STOP_RETRY_MS),
    limit: options.limit ?? STOP_IN_REQUEST,
  });
  const { failures } = await cancelRuns(deps, workflowIds);
  return { asked: workflowIds.length, failures };
}
