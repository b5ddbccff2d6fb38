import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { temporal as proto } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSegmentActivities } from '@relance/activities/segments';
import { ingestMessages } from '@relance/db';
import { SEGMENT_TICK_WORKFLOW_ID, type segmentTicker } from '@relance/workflows/segment-tick';
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

it('the segment ticker applies "no click for 15 days" on workflow time, and reconciles', async () => {
  const t0 = new Date(await env.currentTimeMs());
  await ingestMessages(
    db.sql,
    db.workspaceId,
    [
      {
        type: 'track',
        identity: { userId: 'noa' },
        event: 'email.clicked',
        properties: {},
        occurredAt: t0,
      },
    ],
    { now: t0 },
  );
  const { dispatcher, calls } = createRecordingDispatcher();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'segments',
    workflowsPath: fileURLToPath(import.meta.resolve('@relance/workflows/segment-tick')),
    activities: createSegmentActivities({ sql: db.sql, dispatcher, log: () => {} }),
  });
  const inInactive = async () =>
    db.sql<{ id: string; change: string; cause: string }[]>`
      select g.id::text as id, g.change, g.cause from segment_changes g join segments s on s.id = g.segment_id
      where s.builtin = 'inactive' order by g.id`;
  const byCause = async (cause: string) =>
    (await db.sql`select 1 from segment_changes where cause = ${cause}`).length;

  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof segmentTicker>('segmentTicker', {
      workflowId: SEGMENT_TICK_WORKFLOW_ID,
      taskQueue: 'segments',
      // Six-hour ticks keep this test short; production ticks every 30 seconds.
      args: [{ v: 1, intervalMs: 6 * 3_600_000, reconcileEveryMs: 365 * 86_400_000 }],
    });
    await env.sleep('14 days');
    // The first iteration reconciled, beside the first tick: the click was queued, never
    // settled, and is now counted by one or the other.
    expect(await db.sql`select 1 from segment_reconciliations`).toHaveLength(1);
    expect((await byCause('reconcile')) + (await byCause('tick'))).toBeGreaterThan(0);
    expect(await inInactive()).toEqual([]);
    await env.sleep('30 hours');
    const [entered, ...rest] = await inInactive();
    expect(rest).toEqual([]);
    expect(entered).toMatchObject({ change: 'entered', cause: 'tick' });
    expect(calls.segmentChanges).toContain(entered!.id);
    await handle.terminate('test over');
  });
});

it('replays a history written before reconciliations ran beside the ticks', async () => {
  // Recorded from the previous segmentTicker (reconcile, then tick, every iteration) with
  // stand-in activities on the time-skipping server, through History.toObject. The ticker runs
  // for good, so the one running when new code is deployed replays its history on it: a change
  // to the commands it issues must keep that history replaying (a `patched` branch).
  const recorded: unknown = JSON.parse(
    await readFile(
      new URL('./histories/segment-tick-before-reconcile-beside.json', import.meta.url),
      'utf8',
    ),
  );
  await Worker.runReplayHistory(
    { workflowsPath: fileURLToPath(import.meta.resolve('@relance/workflows/segment-tick')) },
    proto.api.history.v1.History.fromObject(recorded as Record<string, unknown>),
    SEGMENT_TICK_WORKFLOW_ID,
  );
});
