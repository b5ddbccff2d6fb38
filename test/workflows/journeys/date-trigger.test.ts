import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATE_TRIGGER_WORKFLOW } from '@relance/workflows/contracts';
import type { dateTriggerScan } from '@relance/workflows/date-trigger';
import type { ScanDateTriggerInput } from '@relance/workflows/journey-activities';
import { createHarness, HOUR, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.env.teardown();
});

it('scans contiguous windows an hour ahead every 15 minutes and stops when told to', async () => {
  const scans: ScanDateTriggerInput[] = [];
  const taskQueue = `dates-${randomUUID()}`;
  const worker = await Worker.create({
    connection: h.env.nativeConnection,
    taskQueue,
    workflowBundle: h.bundle,
    activities: {
      scanDateTrigger(input: ScanDateTriggerInput) {
        scans.push(input);
        // The journey stops being date-triggered after a day of scans.
        return Promise.resolve({ keep: scans.length < 100, started: 0 });
      },
    },
  });
  await worker.runUntil(
    h.env.client.workflow.execute<typeof dateTriggerScan>(DATE_TRIGGER_WORKFLOW, {
      taskQueue,
      workflowId: `date-trigger:${randomUUID()}`,
      args: [{ v: 1, journeyId: 'j1' }],
    }),
  );
  expect(scans).toHaveLength(100);
  // Each window starts where the previous ended (across continue-as-new after 96 ticks too)…
  for (let i = 1; i < scans.length; i++) expect(scans[i]!.fromMs).toBe(scans[i - 1]!.toMs);
  // …looks an hour ahead of when it runs, and runs every 15 minutes.
  for (const scan of scans) expect(scan.toMs - scan.nowMs).toBe(HOUR);
  const gaps = scans.slice(1).map((s, i) => Math.round((s.nowMs - scans[i]!.nowMs) / 60_000));
  expect(new Set(gaps)).toEqual(new Set([15]));
});
