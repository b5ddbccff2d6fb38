import {
  claimDueDispatches,
  deletePendingDispatches,
  moveAbandonedOutbox,
  OUTBOX_GRACE_MS,
  recordPendingDispatches,
  reschedulePendingDispatch,
  runBeganFrom,
  type KeptDispatch,
  type PendingDispatch,
} from '@relance/db';
import { dateTriggerWorkflowId } from '@relance/workflows/contracts';
import { startDateScanner } from './date-scanner';
import { createOneAttemptDispatcher, described } from './dispatcher';
import { isStuck, REDELIVERY_SCHEDULE, redeliveryDelayMs } from './redelivery-schedule';
import { mapLimit, messageOf, type RuntimeDeps } from './runtime-deps';
import { signalRuns, type RunSignal } from './signal-runs';
import { startRuns, type RunRequest } from './start-runs';
import { STOP_RETRY_MS, stopRunsOfStoppedJourneys } from './stop-runs';
import { undeliveredCollector, type PendingPayload } from './undelivered';

// Starts and signals the dispatcher could not hand to Temporal are kept in Postgres and tried
// again by the worker until Temporal takes them. Redoing one is safe: a start keeps its
// workflow id from business keys (Temporal refuses a second one while the run goes on) and is
// skipped when a run already began from the same entry; a signal only tells a run to look at
// Postgres again, and waits consume an event by id, so a second copy finds nothing new. A date
// scanner's start (kind 'scan') has the journey's fixed id and keeps a scanner already running.
// A dispatch Postgres failed (kind 'dispatch') is the dispatcher's call made again: a start from
// an event or change a run already began from is skipped, and its signals are signals.

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
  const kind = row.kind;
  switch (kind) {
    case 'dispatch': {
      // Throws while Postgres still fails; what Temporal does not take is kept as its own rows.
      const { method, ids } = row.payload as unknown as KeptDispatch;
      await createOneAttemptDispatcher(deps)[method](row.workspaceId, ids);
      return null;
    }
    case 'scan': {
      const { journeyId } = row.payload as Extract<PendingPayload, { journeyId: string }>;
      await startDateScanner(deps, journeyId);
      return null;
    }
    case 'start': {
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
      return errors[0] ?? null;
    }
    case 'signal': {
      const { name, args } = row.payload as Extract<PendingPayload, { name: string }>;
      const signal: RunSignal = { workflowId: row.workflowId, name, args };
      await signalRuns(deps, [signal], (f) => errors.push(f.error));
      return errors[0] ?? null;
    }
    default: {
      const unknown: never = kind;
      throw new Error(`Unknown pending delivery kind: ${String(unknown)}`);
    }
  }
}

/** The row, for the log: "dispatch of 2 events (12…40) of workspace W", "start of run:…". */
function rowOf(row: PendingDispatch): string {
  const kind = row.kind;
  if (kind !== 'dispatch') return `${row.kind} of ${row.workflowId}`;
  const { method, ids } = row.payload as unknown as KeptDispatch;
  return `dispatch of ${described(ids, method, row.workspaceId)}`;
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
        `journeys: ERROR ${rowOf(row)} still undelivered after ${attempts} attempts ` +
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
 * Takes the journey outbox rows a process left behind (it stopped between committing facts and
 * dispatching them: a deploy, an OOM kill) after `graceMs`, and keeps them as dispatches due
 * now, which the redelivery pass that follows makes. An event older than the journeys' event
 * age limit (eventMaxAgeMs) by then starts nothing and wakes nothing, as for any event that old.
 */
export async function sweepJourneyOutbox(
  deps: RuntimeDeps,
  options: { graceMs?: number } = {},
): Promise<{ rows: number; dispatches: number }> {
  const swept = await moveAbandonedOutbox(deps.sql, {
    graceMs: options.graceMs ?? OUTBOX_GRACE_MS,
    dueAt: deps.now(),
  });
  if (swept.rows > 0) {
    deps.log(
      `journeys: ${swept.rows} commit(s) were not dispatched by the process that made them ` +
        `(it stopped first); kept as ${swept.dispatches} dispatch(es) for redelivery`,
    );
  }
  return swept;
}

/**
 * The worker's redelivery loop: a pass every `intervalMs` (the schedule decides what is due),
 * preceded by a sweep of the journey outbox and followed by a pass asking Temporal to cancel the
 * open runs of stopped journeys. A pass that fails (Postgres unreachable) is logged and the loop
 * goes on. `stop` waits for the pass under way.
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
    current = sweepJourneyOutbox(deps)
      .catch((error: unknown) =>
        deps.log(`journeys: journey outbox sweep failed: ${messageOf(error)}`),
      )
      .then(() => redeliverDue(deps))
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
