import { MockActivityEnvironment } from '@temporalio/testing';
import { expect, it } from 'vitest';
import { getJourneyContact } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { dateTriggerWorkflowId, runWorkflowId } from '@relance/workflows/contracts';
import {
  createContact,
  createWorker,
  eventually,
  publish,
  realActivities,
  runtimeWith,
  unreachableTemporal,
  useJourneyEnv,
} from './harness';

const env = useJourneyEnv();

const pad = (n: number) => String(n).padStart(2, '0');

it('a date on the contact starts its run at the occurrence (a delayed start found ahead), only for contacts due', async () => {
  const worker = await createWorker(env.temporal, realActivities(env.db.sql, env.runtime));
  // "On renews_on at HH:MM": the next whole minute, in UTC (times of day are minutes), far
  // enough ahead that publishing (slow on a loaded machine) happens before it.
  const occurrence = Math.ceil((Date.now() + 5_000) / 60_000) * 60_000;
  const at = new Date(occurrence);
  const today = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  const b = createDocumentBuilder('Renewal reminder');
  b.node(
    'trigger',
    'trigger.date',
    {
      property: 'renews_on',
      at: `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`,
      offset: '0d',
      repeat: 'once',
    },
    0,
    0,
  );
  b.node('tag', 'action.tag', { add: ['reminded'] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'tag');
  b.edge('tag', 'exit');
  const due = await createContact(env, {
    email: 'due@example.com',
    properties: { renews_on: today },
  });
  const later = await createContact(env, {
    email: 'later@example.com',
    properties: { renews_on: '2099-01-01' },
  });

  await worker.runUntil(async () => {
    // Publishing starts the journey's scanner, which finds the occurrence ahead of time.
    const { journeyId } = await publish(env, b.build());
    const handle = env.temporal.client.workflow.getHandle(runWorkflowId(journeyId, due, today));
    // The run exists (its start delayed) long before it begins.
    await eventually(() =>
      handle
        .describe()
        .then(() => true)
        .catch(() => false),
    );
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    const [run] = await env.db.sql<{ startedAt: Date; entryKey: string; entry: unknown }[]>`
      select started_at, entry_key, entry from journey_runs where journey_id = ${journeyId}`;
    expect(run!.entryKey).toBe(today);
    expect(run!.entry).toMatchObject({ kind: 'date', key: today });
    // Started with a delay: not before its occurrence (to the second), and at it, not at some
    // later scan (the margin covers a loaded machine).
    expect(run!.startedAt.getTime()).toBeGreaterThanOrEqual(occurrence);
    expect(run!.startedAt.getTime() - occurrence).toBeLessThan(10_000);
  });
  expect((await getJourneyContact(env.db.sql, env.db.workspaceId, due))?.tags).toEqual([
    'reminded',
  ]);
  expect((await getJourneyContact(env.db.sql, env.db.workspaceId, later))?.tags).toEqual([]);
}, 120_000);

it('a scan whose starts Temporal does not take fails, to be retried; the retry starts the run for its occurrence', async () => {
  // An occurrence two hours ahead, found by a scan of the next three.
  const occurrence = Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000;
  const at = new Date(occurrence);
  const day = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  const b = createDocumentBuilder('Anniversary');
  b.node(
    'trigger',
    'trigger.date',
    {
      property: 'joined_on',
      at: `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`,
      offset: '0d',
      repeat: 'once',
    },
    0,
    0,
  );
  b.node('exit', 'logic.exit', {}, 0, 1);
  b.edge('trigger', 'exit');
  const contactId = await createContact(env, {
    email: 'joined@example.com',
    properties: { joined_on: day },
  });
  const { journeyId } = await publish(env, b.build());

  // The scan as the scanner workflow scheduled it a minute ago, run while Temporal is down.
  const scheduled = Date.now() - 60_000;
  const input = { journeyId, fromMs: scheduled, toMs: scheduled + 3 * 3_600_000, nowMs: scheduled };
  const dead = await unreachableTemporal();
  const first = new MockActivityEnvironment({
    scheduledTimestampMs: scheduled,
    currentAttemptScheduledTimestampMs: scheduled,
  });
  try {
    await expect(
      first.run(realActivities(env.db.sql, runtimeWith(env, dead.client)).scanDateTrigger, input),
    ).rejects.toMatchObject({ type: 'RunStartsNotTaken', nonRetryable: false });
  } finally {
    await dead.close();
  }

  // Temporal's retry of the scan, a minute later, with Temporal back: the run is started, its
  // start delayed to the occurrence (the minute the retries took is not added to it).
  const retry = new MockActivityEnvironment({
    scheduledTimestampMs: scheduled,
    currentAttemptScheduledTimestampMs: Date.now(),
    attempt: 2,
  });
  const scan = realActivities(env.db.sql, runtimeWith(env, env.temporal.client)).scanDateTrigger;
  expect(await retry.run(scan, input)).toEqual({ keep: true, started: 1 });
  const run = await env.temporal.client.workflow
    .getHandle(runWorkflowId(journeyId, contactId, day))
    .describe();
  expect(Math.abs(run.executionTime!.getTime() - occurrence)).toBeLessThan(5_000);
  // A second retry starts nothing twice.
  expect(await retry.run(scan, input)).toEqual({ keep: true, started: 0 });
  // A journey stopped for good ends its scanner; a paused one keeps it for the resume.
  await env.db.sql`update journeys set status = 'paused' where id = ${journeyId}`;
  expect(await retry.run(scan, input)).toEqual({ keep: true, started: 0 });
  await env.db.sql`update journeys set status = 'stopped' where id = ${journeyId}`;
  expect(await retry.run(scan, input)).toEqual({ keep: false, started: 0 });
  await env.temporal.client.workflow.getHandle(run.workflowId).terminate('test done');
}, 60_000);

it('a date-triggered journey published while Temporal is down goes live; the worker starts its scanner once Temporal answers', async () => {
  const b = createDocumentBuilder('Birthday');
  b.node(
    'trigger',
    'trigger.date',
    { property: 'born_on', at: '09:00', offset: '0d', repeat: 'yearly' },
    0,
    0,
  );
  b.node('exit', 'logic.exit', {}, 0, 1);
  b.edge('trigger', 'exit');
  const dead = await unreachableTemporal();
  let journeyId: string;
  try {
    ({ journeyId } = await publish(env, b.build(), runtimeWith(env, dead.client)));
  } finally {
    await dead.close();
  }
  const [journey] = await env.db.sql<{ status: string; liveVersionId: string | null }[]>`
    select status, live_version_id from journeys where id = ${journeyId}`;
  expect(journey).toMatchObject({ status: 'active', liveVersionId: expect.any(String) });
  const workflowId = dateTriggerWorkflowId(journeyId);
  const kept = await env.db.sql<{ kind: string; payload: unknown }[]>`
    select kind, payload from journey_dispatch_pending where workflow_id = ${workflowId}`;
  expect(kept).toEqual([{ kind: 'scan', payload: { v: 1, journeyId } }]);

  // The worker's pass once the first backoff is over, with Temporal back.
  const later = new Date(Date.now() + 60 * 60_000);
  const worker = runtimeWith(env, env.temporal.client, { now: () => later });
  expect(await worker.redeliverDue()).toMatchObject({ delivered: 1, failed: 0 });
  const scanner = env.temporal.client.workflow.getHandle(workflowId);
  expect((await scanner.describe()).status.name).toBe('RUNNING');
  expect(
    await env.db.sql`select 1 from journey_dispatch_pending where workflow_id = ${workflowId}`,
  ).toHaveLength(0);
  await scanner.terminate('test done');
}, 60_000);
