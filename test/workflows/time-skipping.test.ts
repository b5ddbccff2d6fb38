import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { sleepThirtyDays } from '../fixtures/workflows';
import { createTimeSkippingEnvironment } from '../support/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

it('sleeps 30 days of workflow time on the time-skipping server', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'time-skipping',
    workflowsPath: fileURLToPath(new URL('../fixtures/workflows.ts', import.meta.url)),
    activities: {},
  });
  const before = await env.currentTimeMs();
  const { elapsedMs } = await worker.runUntil(
    env.client.workflow.execute<typeof sleepThirtyDays>('sleepThirtyDays', {
      taskQueue: 'time-skipping',
      workflowId: 'sleep-30d',
    }),
  );
  const after = await env.currentTimeMs();
  expect(elapsedMs).toBeGreaterThanOrEqual(30 * 24 * 3_600_000);
  expect(after - before).toBeGreaterThanOrEqual(30 * 24 * 3_600_000);
});
