import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { claimRunsToStop } from '@relance/db';
import { mapLimit, messageOf, type RuntimeDeps } from './runtime-deps';

/** A run Temporal could not be told to stop, with the reason. */
export interface StopFailure {
  workflowId: string;
  error: string;
}

/** How long one cancel or terminate may take, the client's own retries included. */
export const END_CALL_DEADLINE_MS = 5_000;

/**
 * Tells each run's workflow to end; a run that already ended is not an error. Once Temporal
 * refuses one (it is down, or does not answer in time), the runs not yet asked are not tried:
 * each would wait as long for the same answer. They are reported with that reason.
 */
async function endRuns(
  deps: RuntimeDeps,
  workflowIds: readonly string[],
  end: (handle: WorkflowHandle) => Promise<unknown>,
): Promise<{ stopped: number; failures: StopFailure[] }> {
  const failures: StopFailure[] = [];
  let refusal: string | undefined;
  const stopped = await mapLimit(workflowIds, deps.concurrency, async (workflowId) => {
    if (refusal !== undefined) {
      failures.push({ workflowId, error: `not tried: ${refusal}` });
      return 0;
    }
    try {
      await deps.client.connection.withDeadline(Date.now() + END_CALL_DEADLINE_MS, () =>
        end(deps.client.workflow.getHandle(workflowId)),
      );
      return 1;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) {
        refusal ??= messageOf(error);
        failures.push({ workflowId, error: messageOf(error) });
      }
      return 0;
    }
  });
  return { stopped: stopped.reduce<number>((sum, n) => sum + n, 0), failures };
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
