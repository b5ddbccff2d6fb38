import {
  claimDueDispatches,
  deletePendingDispatches,
  recordPendingDispatches,
  reschedulePendingDispatch,
  runBeganFrom,
  type PendingDispatch,
  type UndeliveredDispatch,
} from '@relance/db';
import { dateTriggerWorkflowId } from '@relance/workflows/contracts';
import { startDateScanner } from './date-scanner';
import { isStuck, REDELIVERY_SCHEDULE, redeliveryDelayMs } from './redelivery-schedule';
import { mapLimit, messageOf, type RuntimeDeps } from './runtime-deps';
import { signalRuns, type RunSignal, type SignalFailure } from './signal-runs';
import { startRuns, type RunRequest, type StartFailure } from './start-runs';
import { STOP_RETRY_MS, stopRunsOfStoppedJourneys } from './stop-runs';

// Starts and signals the dispatcher could not hand to Temporal are kept in Postgres and tried
// again by the worker until Temporal takes them. Redoing one is safe: a start keeps its
// workflow id from business keys (Temporal refuses a second one while the run goes on) and is
// skipped when a run already began from the same entry; a signal only tells a run to look at
// Postgres again, and waits consume an event by id, so a second copy finds nothing new. A date
// scanner's start (kind 'scan') has the journey's fixed id and keeps a scanner already running.

/** What a pending row holds: ids and names only, never event payloads. */
type PendingPayload =
  | { v: 1; request: RunRequest }
  | { v: 1; name: string; args: unknown[] }
  | { v: 1; journeyId: string };

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
 * Delivers signals the API sends on a marketer's action (resume, move to a new version); the
 * ones Temporal does not take are kept for the worker's redelivery, not only logged. Returns
 * how many arrived now.
 */
export async function signalRunsOrKeep(
  deps: RuntimeDeps,
  workspaceId: string,
  signals: readonly RunSignal[],
): Promise<number> {
  const undelivered = undeliveredCollector(deps, workspaceId);
  const delivered = await signalRuns(deps, signals, undelivered.signalFailed);
  await undelivered.keep();
  return delivered;
}

/**
 * Keeps a date-triggered journey's scanner that Temporal did not take at publishing, for the
 * worker to start: the version is live, so the publish itself stands.
 */
export async function keepScannerStart(
  deps: RuntimeDeps,
  input: { workspaceId: string; journeyId: string; error: string },
): Promise<void> {
  const payload: PendingPayload = { v: 1, journeyId: input.journeyId };
  await recordPendingDispatches(deps.sql, [
    {
      workspaceId: input.workspaceId,
      kind: 'scan',
      workflowId: dateTriggerWorkflowId(input.journeyId),
      payload,
      error: input.error,
      nextAttemptAt: new Date(deps.now().getTime() + redeliveryDelayMs(1)),
    },
  ]);
  deps.log(
    `journeys: Temporal did not take the date scanner of journey ${input.journeyId} (${input.error}); kept for redelivery`,
  );
}

/** Tries one pending delivery again; null when it is done, else why it failed. */
async function redeliver(deps: RuntimeDeps, row: PendingDispatch): Promise<string | null> {
  const errors: string[] = [];
  if (row.kind === 'scan') {
    const { journeyId } = row.payload as Extract<PendingPayload, { journeyId: string }>;
    await startDateScanner(deps, journeyId);
    return null;
  }
  if (row.kind === 'start') {
    const { request } = row.payload as Extract<PendingPayload, { request: RunRequest }>;
    // The start that "failed" may have reached Temporal (a deadline that passed after the
    // server took it): its run, already begun or ended, must not be started a second time.
    const began = await runBeganFrom(deps.sql, {
      journeyId: request.journeyId,
      contactId: request.contactId,
      entryKey: request.entryKey ?? '',
      entry: request.entry,
    });
    if (began) return null;
    await startRuns(deps, [request], (f) => errors.push(f.error));
  } else {
    const { name, args } = row.payload as Extract<PendingPayload, { name: string }>;
    const signal: RunSignal = { workflowId: row.workflowId, name, args };
    await signalRuns(deps, [signal], (f) => errors.push(f.error));
  }
  return errors[0] ?? null;
}

export interface RedeliveryPass {
  delivered: number;
  failed: number;
  /** Deliveries that reached the stuck limit in this pass (logged as errors). */
  stuck: number;
}

/** One redelivery pass: claims the due rows, tries each once, deletes or reschedules them. */
export async function redeliverDue(
  deps: RuntimeDeps,
  options: { limit?: number; leaseMs?: number } = {},
): Promise<RedeliveryPass> {
  const now = deps.now();
  const claimed = await claimDueDispatches(deps.sql, {
    now,
    // Longer than a pass can take while Temporal is away (each call retries for ~20 s).
    leaseMs: options.leaseMs ?? 5 * 60_000,
    limit: options.limit ?? 200,
  });
  const pass: RedeliveryPass = { delivered: 0, failed: 0, stuck: 0 };
  const delivered: PendingDispatch[] = [];
  await mapLimit(claimed, deps.concurrency, async (row) => {
    let error: string | null;
    try {
      error = await redeliver(deps, row);
    } catch (thrown) {
      error = messageOf(thrown);
    }
    if (error === null) {
      delivered.push(row);
      return;
    }
    pass.failed += 1;
    const attempts = row.attempts + 1;
    const becameStuck = isStuck(attempts) && row.stuckSince === null;
    if (becameStuck) {
      pass.stuck += 1;
      deps.log(
        `journeys: ERROR ${row.kind} of ${row.workflowId} still undelivered after ${attempts} attempts ` +
          `(since ${row.createdAt.toISOString()}): ${error}. Shown in GET /api/journeys/dispatch-backlog; ` +
          `retried every ${REDELIVERY_SCHEDULE.maxDelayMs / 60_000} min`,
      );
    }
    await reschedulePendingDispatch(deps.sql, {
      id: row.id,
      attempts,
      nextAttemptAt: new Date(now.getTime() + redeliveryDelayMs(attempts)),
      error,
      stuckAt: isStuck(attempts) ? now : null,
    });
  });
  await deletePendingDispatches(deps.sql, delivered);
  pass.delivered = delivered.length;
  return pass;
}

/**
 * The worker's redelivery loop: a pass every `intervalMs` (the schedule decides what is due),
 * then a pass asking Temporal to cancel the open runs of stopped journeys. A pass that fails (Postgres unreachable) is logged and the loop goes on. `stop` waits for
 * the pass under way.
 */
export function startRedeliveryLoop(
  deps: RuntimeDeps,
  options: { intervalMs?: number } = {},
): { stop: () => Promise<void> } {
  const intervalMs = options.intervalMs ?? 2_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = () => {
    current = redeliverDue(deps)
      .then((pass) => {
        if (pass.delivered > 0 || pass.failed > 0) {
          deps.log(
            `journeys: redelivered ${pass.delivered} start(s)/signal(s), ${pass.failed} still failing`,
          );
        }
      })
      .catch((error: unknown) => deps.log(`journeys: redelivery pass failed: ${messageOf(error)}`))
      .then(() => stopRunsOfStoppedJourneys(deps))
      .then((pass) => {
        if (pass.failures.length > 0) {
          deps.log(
            `journeys: ${pass.failures.length} of ${pass.asked} run(s) of stopped journeys could not be told to stop (${pass.failures[0]!.error}); asked again in ${STOP_RETRY_MS / 1000} s`,
          );
        }
      })
      .catch((error: unknown) =>
        deps.log(`journeys: stopping runs of stopped journeys failed: ${messageOf(error)}`),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
