import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compile, createDocumentBuilder } from '@relance/flow';
import { toLocal } from '@relance/flow/runtime';
import { BULK_ENROLMENT_WORKFLOW, type EnrolmentProgress } from '@relance/workflows/contracts';
import type { bulkEnrolment } from '@relance/workflows/bulk-enrolment';
import type { EnrolBatchInput } from '@relance/workflows/journey-activities';
import { createHarness, DAY, startRun, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.env.teardown();
});

it('wait.until sends at the next 09:00 on a weekday in the contact’s time zone', async () => {
  const b = createDocumentBuilder('Morning');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node(
    'morning',
    'wait.until',
    { time: '09:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    0,
    1,
  );
  b.node('send', 'action.send_email', { templateId: 'digest' }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'morning');
  b.edge('morning', 'send');
  b.edge('send', 'exit');
  const run = await startRun(h, compile(b.build()), { world: { timeZone: 'Asia/Tokyo' } });
  await run.result();
  await run.stop();
  const [sent] = run.world.effects;
  const local = toLocal(sent!.at, 'Asia/Tokyo');
  expect([local.hour, local.minute]).toEqual([9, 0]);
  expect(['mon', 'tue', 'wed', 'thu', 'fri']).toContain(local.weekday);
  // The first such moment: less than 4 days away (a Friday evening waits until Monday).
  expect(sent!.at - run.t0).toBeGreaterThan(0);
  expect(sent!.at - run.t0).toBeLessThan(4 * DAY);
});

it('bulk enrolment paces batches to the rate, continues as new, and reports progress', async () => {
  const TOTAL = 2_150;
  const calls: (EnrolBatchInput & { scheduledAt: number })[] = [];
  let processed = 0;
  const taskQueue = `bulk-${randomUUID()}`;
  const worker = await Worker.create({
    connection: h.env.nativeConnection,
    taskQueue,
    workflowBundle: h.bundle,
    activities: {
      enrolBatch(input: EnrolBatchInput): Promise<EnrolmentProgress> {
        calls.push({ ...input, scheduledAt: input.at });
        const batch = Math.min(input.limit, TOTAL - processed);
        processed += batch;
        return Promise.resolve({
          processed,
          started: processed,
          skipped: 0,
          cursor: `c-${processed}`,
          done: batch < input.limit,
        });
      },
    },
  });
  const workflowId = `enrol:${randomUUID()}`;
  const progress = await worker.runUntil(async () => {
    const handle = await h.env.client.workflow.start<typeof bulkEnrolment>(
      BULK_ENROLMENT_WORKFLOW,
      {
        taskQueue,
        workflowId,
        args: [{ v: 1, enrolmentId: 'e1', ratePerSecond: 5, batchSize: 10 }],
      },
    );
    const result = await handle.result();
    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
    return result;
  });
  expect(progress).toEqual({
    processed: TOTAL,
    started: TOTAL,
    skipped: 0,
    cursor: `c-${TOTAL}`,
    done: true,
  });
  // 216 batches of 10, each starting after the previous cursor, two seconds apart (10 at 5/s).
  expect(calls).toHaveLength(216);
  expect(calls[0]!.cursor).toBeNull();
  for (let i = 1; i < calls.length; i++) {
    expect(calls[i]!.cursor).toBe(`c-${i * 10}`);
    expect(calls[i]!.scheduledAt - calls[i - 1]!.scheduledAt).toBeGreaterThanOrEqual(2_000);
  }
});
