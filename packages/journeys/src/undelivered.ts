import {
  keepFailedDispatch,
  recordPendingDispatches,
  type DispatchMethod,
  type KeptDispatch,
  type UndeliveredDispatch,
} from '@relance/db';
import { redeliveryDelayMs } from './redelivery-schedule';
import type { RuntimeDeps } from './runtime-deps';
import type { SignalFailure } from './signal-runs';
import type { RunRequest, StartFailure } from './start-runs';

// What the journey runtime could not do now and keeps in journey_dispatch_pending for the
// worker's redelivery loop (redelivery.ts): starts and signals Temporal did not take, and
// dispatches Postgres failed.

/** What a pending row holds: ids and names only, never event payloads. */
export type PendingPayload =
  | { v: 1; request: RunRequest }
  | { v: 1; name: string; args: unknown[] }
  | { v: 1; journeyId: string }
  | KeptDispatch;

/**
 * Collects the dispatcher's failed starts and signals for one workspace, then keeps them for
 * redelivery. A failure to keep them (Postgres down too) is thrown to the dispatcher's caller.
 */
export function undeliveredCollector(deps: RuntimeDeps, workspaceId: string) {
  const failed: UndeliveredDispatch[] = [];
  const firstRetry = () => new Date(deps.now().getTime() + redeliveryDelayMs(1));
  return {
    startFailed: (failure: StartFailure) => {
      const payload: PendingPayload = { v: 1, request: failure.request };
      failed.push({
        workspaceId,
        kind: 'start',
        workflowId: failure.workflowId,
        payload,
        error: failure.error,
        nextAttemptAt: firstRetry(),
      });
    },
    signalFailed: (failure: SignalFailure) => {
      const { workflowId, name, args } = failure.signal;
      const payload: PendingPayload = { v: 1, name, args };
      failed.push({
        workspaceId,
        kind: 'signal',
        workflowId,
        payload,
        error: failure.error,
        nextAttemptAt: firstRetry(),
      });
    },
    async keep(): Promise<void> {
      if (failed.length === 0) return;
      await recordPendingDispatches(deps.sql, failed);
      const starts = failed.filter((f) => f.kind === 'start').length;
      deps.log(
        `journeys: Temporal did not take ${starts} run start(s) and ${failed.length - starts} signal(s) ` +
          `for workspace ${workspaceId} (${failed[0]!.error}); kept for redelivery`,
      );
      failed.length = 0;
    },
  };
}

/**
 * Keeps a dispatch that failed on every attempt, to be run again by the redelivery loop after
 * the first backoff. Throws when Postgres does not take that either.
 */
export async function keepDispatch(
  deps: RuntimeDeps,
  input: { workspaceId: string; method: DispatchMethod; ids: readonly string[]; error: string },
): Promise<void> {
  await keepFailedDispatch(deps.sql, {
    ...input,
    nextAttemptAt: new Date(deps.now().getTime() + redeliveryDelayMs(1)),
  });
}
