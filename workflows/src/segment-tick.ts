// The segment clock: one long-running workflow (fixed id, started by the worker at boot) that
// applies time-driven segment crossings at least every minute and runs a full reconciliation
// every few hours, beside the ticks rather than between them. Its own clock (workflow time) is
// handed to the activities, so the time-skipping test server moves "now" for the whole engine
// without real sleeps.

import { continueAsNew, log, patched, proxyActivities, sleep } from '@temporalio/workflow';

/** The one segment clock per namespace: starting it twice finds the running one. */
export const SEGMENT_TICK_WORKFLOW_ID = 'relance-segment-tick';

/** What the segment tick activities do (implemented in activities/src/segments.ts). */
export interface SegmentTickActivities {
  /** Applies crossings in (last tick, now] for every workspace and dispatches the changes. */
  segmentTick(input: {
    now: number;
  }): Promise<{ workspaces: number; candidates: number; changes: number }>;
  /** Re-evaluates every score and dynamic segment; reports what it had to fix. */
  segmentReconcile(input: { now: number }): Promise<{
    workspaces: number;
    scoresFixed: number;
    segmentsFixed: { workspaceId: string; segmentId: string; entered: number; exited: number }[];
  }>;
}

export interface SegmentTickInput {
  v: 1;
  /** Time between ticks (default 30 s, so crossings land within a minute). */
  intervalMs?: number;
  /** Time between full reconciliations (default 6 hours). */
  reconcileEveryMs?: number;
  /** Workflow time of the last reconciliation, carried across continue-as-new. */
  lastReconcileAt?: number | null;
}

// Each iteration adds about ten history events; continue well before Temporal's limits.
const ITERATIONS_PER_RUN = 150;

const { segmentTick: tick } = proxyActivities<SegmentTickActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { segmentReconcile: reconcile } = proxyActivities<SegmentTickActivities>({
  startToCloseTimeout: '30 minutes',
  // It heartbeats every 10 s: a worker that died in it is noticed within the minute.
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Ticks forever: starts a reconciliation when one is due, applies crossings, sleeps. The
 * reconciliation runs beside the ticks: at a million contacts it takes half a minute or more,
 * and crossings ("no click for 15 days") must still land within the minute meanwhile. Its steps
 * and the ticks' settles take turns on the workspace lock.
 */
export async function segmentTicker(input: SegmentTickInput): Promise<void> {
  const interval = input.intervalMs ?? 30_000;
  const reconcileEvery = input.reconcileEveryMs ?? 6 * 3_600_000;
  let lastReconcile = input.lastReconcileAt ?? null;
  // Histories written before reconciliations ran beside the ticks replay the old order.
  const beside = patched('reconcile-beside-ticks');
  let reconciling: Promise<void> | null = null;
  for (let i = 0; i < ITERATIONS_PER_RUN; i++) {
    const now = Date.now();
    if (!reconciling && (lastReconcile === null || now - lastReconcile >= reconcileEvery)) {
      lastReconcile = now;
      const run = reconcile({ now }).then(
        (report) => {
          if (report.scoresFixed > 0 || report.segmentsFixed.length > 0) {
            log.warn('segment reconciliation repaired drift', { ...report });
          }
        },
        // Retried without limit, so only a cancellation ends here; the next one is due as usual.
        (error: unknown) => log.error('segment reconciliation failed', { error: String(error) }),
      );
      if (beside) {
        reconciling = run.then(() => {
          reconciling = null;
        });
      } else {
        await run;
      }
    }
    await tick({ now });
    await sleep(interval);
  }
  await reconciling;
  await continueAsNew<typeof segmentTicker>({ ...input, lastReconcileAt: lastReconcile });
}
