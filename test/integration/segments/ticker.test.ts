// The segment clock keeps ticking while a reconciliation runs: at a million contacts one takes
// half a minute or more, and crossings must still land within the minute. The activities are
// stand-ins that record their calls (the workflow's order of calls is what is tested here;
// test/workflows/segment-tick.test.ts runs the real ones); the Temporal server is the real one.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { segmentTicker, SegmentTickActivities } from '@relance/workflows/segment-tick';
import { connectDevServer, withWorker } from '../../support/temporal';

let temporal: Awaited<ReturnType<typeof connectDevServer>>;
beforeAll(async () => {
  temporal = await connectDevServer();
});
afterAll(async () => {
  await temporal?.close();
});

it('ticks on while a reconciliation runs, and starts no second one meanwhile', async () => {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const ticks: number[] = [];
  let reconciliations = 0;
  let reconciled = 0;
  const activities: SegmentTickActivities = {
    segmentTick({ now }) {
      ticks.push(now);
      return Promise.resolve({ workspaces: 1, candidates: 0, changes: 0 });
    },
    async segmentReconcile() {
      reconciliations++;
      await finished;
      reconciled++;
      return { workspaces: 1, scoresFixed: 0, segmentsFixed: [] };
    },
  };
  await withWorker(
    {
      connection: temporal.nativeConnection,
      taskQueue: temporal.taskQueue,
      workflowsPath: fileURLToPath(import.meta.resolve('@relance/workflows/segment-tick')),
      activities,
    },
    async () => {
      const handle = await temporal.client.workflow.start<typeof segmentTicker>('segmentTicker', {
        workflowId: `segment-tick-${randomUUID()}`,
        taskQueue: temporal.taskQueue,
        // Ticks every second (the dev server's timers are no finer) and a reconciliation due
        // every 200 ms, far shorter than the one running takes.
        args: [{ v: 1, intervalMs: 1_000, reconcileEveryMs: 200 }],
      });
      try {
        await vi.waitFor(() => expect(ticks.length).toBeGreaterThanOrEqual(3), {
          timeout: 20_000,
          interval: 50,
        });
        expect(reconciliations).toBe(1);
        expect(reconciled).toBe(0);
        finish();
        await vi.waitFor(() => expect(reconciliations).toBe(2), { timeout: 20_000, interval: 50 });
        expect(reconciled).toBe(2);
        const after = ticks.length;
        await vi.waitFor(() => expect(ticks.length).toBeGreaterThan(after), {
          timeout: 20_000,
          interval: 50,
        });
      } finally {
        finish();
        await handle.terminate('test over');
      }
    },
  );
});
