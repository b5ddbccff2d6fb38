import { fileURLToPath } from 'node:url';
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSegmentActivities } from '@relance/activities/segments';
import { endSettingsRecheck, latestSettingsRecheck, startSettingsRecheck } from '@relance/db';
import {
  settingsRecheckWorkflowId,
  type SettingsRecheckActivities,
  type settingsRecheck,
} from '@relance/workflows/settings-recheck';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { createRecordingDispatcher } from '../support/recording-dispatcher';
import { createTimeSkippingEnvironment } from '../support/temporal';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
  db = await createTestDatabase();
});
afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

const workflowsPath = fileURLToPath(import.meta.resolve('@relance/workflows/settings-recheck'));

async function run(activities: SettingsRecheckActivities, taskQueue: string) {
  const recheck = await startSettingsRecheck(db.sql, db.workspaceId, 'timezone');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities,
  });
  const result = await worker.runUntil(
    env.client.workflow.execute<typeof settingsRecheck>('settingsRecheck', {
      workflowId: settingsRecheckWorkflowId(recheck.id),
      taskQueue,
      args: [{ recheckId: recheck.id }],
    }),
  );
  return { result, recheck: await latestSettingsRecheck(db.sql, db.workspaceId, 'timezone') };
}

it('runs the re-check with the real activities and ends it done', async () => {
  const { dispatcher } = createRecordingDispatcher();
  const { result, recheck } = await run(
    createSegmentActivities({ sql: db.sql, dispatcher, log: () => {} }),
    'rechecks-done',
  );
  expect(result).toBe('done');
  expect(recheck).toMatchObject({ status: 'done', error: null });
});

it('retries a failing re-check with backoff, then ends it failed with the reason', async () => {
  let attempts = 0;
  const { result, recheck } = await run(
    {
      runSettingsRecheck: () => {
        attempts += 1;
        return Promise.reject(new Error('connection to PostgreSQL lost'));
      },
      failSettingsRecheck: ({ recheckId, reason }) => endSettingsRecheck(db.sql, recheckId, reason),
    },
    'rechecks-failing',
  );
  expect(result).toBe('failed');
  expect(attempts).toBe(8);
  expect(recheck).toMatchObject({ status: 'failed', error: 'connection to PostgreSQL lost' });
  expect(recheck!.finishedAt).not.toBeNull();
});

it('has the scheduled reconciliation run a re-check whose workflow never started', async () => {
  // The API stopped between committing the save and starting the workflow.
  const lost = await startSettingsRecheck(db.sql, db.workspaceId, 'scoring');
  await db.sql`
    update settings_rechecks set started_at = now() - interval '6 hours' where id = ${lost.id}`;
  const lines: string[] = [];
  const activities = createSegmentActivities({ sql: db.sql, log: (line) => lines.push(line) });
  await new MockActivityEnvironment().run(activities.segmentReconcile, { now: Date.now() });
  expect(await latestSettingsRecheck(db.sql, db.workspaceId, 'scoring')).toMatchObject({
    id: lost.id,
    status: 'done',
  });
  expect(lines).toContain('ran 1 re-check(s) of saved settings whose workflow never started');
});
