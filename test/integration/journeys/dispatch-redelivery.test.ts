import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  countStepsByNode,
  findHeldRuns,
  getJourney,
  recordPendingDispatches,
  type PendingDispatch,
} from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { REDELIVERY_SCHEDULE, type JourneyRuntime } from '@relance/journeys';
import { runWorkflowId } from '@relance/workflows/contracts';
import { createTestApp } from '../../support/app';
import {
  createContact,
  eventually,
  publish,
  recordEvent,
  runtimeWith,
  unreachableTemporal,
  useJourneyEnv,
  waitThenTag,
} from './harness';

// The dispatcher against a Temporal that cannot be reached: what it could not deliver is kept in
// Postgres, and the redelivery pass (as the worker's loop runs it) delivers it exactly once.

const env = useJourneyEnv({ worker: true });
let dead: Awaited<ReturnType<typeof unreachableTemporal>>;
/** Where the redelivery passes run: a clock the test moves past the backoff. */
let clock: Date;
const lines: string[] = [];

/** The runtime with a client of its own, on the test clock (or `now`), logging to `lines`. */
const runtimeOn = (client: Client, now = () => clock): JourneyRuntime =>
  runtimeWith(env, client, { now, log: (line) => lines.push(line) });

let deadClient: Client;
let unreachable: JourneyRuntime;
let reachable: JourneyRuntime;

beforeAll(async () => {
  dead = await unreachableTemporal();
  deadClient = dead.client;
  unreachable = runtimeOn(deadClient);
  reachable = runtimeOn(env.temporal.client);
  clock = new Date();
});
afterAll(async () => {
  await dead?.close();
});

const pendingRows = () => env.db.sql<PendingDispatch[]>`
  select id::text as id, kind, workflow_id, payload, attempts, revision, next_attempt_at,
    last_error, stuck_since
  from journey_dispatch_pending order by id`;

/** Moves the test clock `ms` ahead. */
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

/** `event` starts a run (one per contact, re-entry allowed once it exits). */
function upgradeFlow(event: string) {
  const b = createDocumentBuilder('Upgrades', { entryPolicy: { kind: 'after_exit' } });
  b.node('trigger', 'trigger.event', { event }, 0, 0);
  b.node('tag', 'action.tag', { add: ['upgraded'] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'tag');
  b.edge('tag', 'exit');
  return b.build();
}

/** Enrolled by hand, then waits a month for the invoice to be paid; tagged `tag` when it is. */
function invoiceFlow(tag = 'paid') {
  const b = createDocumentBuilder('Invoices');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait', 'wait.event', { event: 'invoice.paid', timeout: '30d' }, 0, 1);
  b.node('tag', 'action.tag', { add: [tag] }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.node('late', 'logic.exit', {}, 1, 2);
  b.edge('trigger', 'wait');
  b.edge('wait', 'tag', 'event');
  b.edge('wait', 'late', 'timeout');
  b.edge('tag', 'exit');
  return b.build();
}

it('a start and a signal Temporal does not take are kept, then delivered exactly once', async () => {
  const upgrades = await publish(env, upgradeFlow('upgrade.requested'));
  const invoices = await publish(env, invoiceFlow());
  const ada = await createContact(env, { email: 'ada@example.com' });
  const invoiceJourney = (await getJourney(env.db.sql, env.db.workspaceId, invoices.journeyId))!;
  const { workflowId: waitingId } = await env.runtime.enrolContact({
    journey: invoiceJourney,
    contactId: ada,
  });
  await eventually(async () => (await countStepsByNode(env.db.sql, invoices.journeyId)).wait);

  const paid = await recordEvent(env, ada, 'invoice.paid');
  const upgrade = await recordEvent(env, ada, 'upgrade.requested');
  // Twice, as a retried activity would: the second failure is the same pending delivery.
  await unreachable.eventsRecorded(env.db.workspaceId, [paid, upgrade]);
  await unreachable.eventsRecorded(env.db.workspaceId, [paid, upgrade]);

  const startedId = runWorkflowId(upgrades.journeyId, ada);
  const kept = await pendingRows();
  expect(kept.map((r) => [r.kind, r.workflowId, r.attempts, r.revision])).toEqual([
    ['signal', waitingId, 1, 2],
    ['start', startedId, 1, 2],
  ]);
  expect(kept[0]!.payload).toEqual({
    v: 1,
    name: 'journeyRun.notify',
    args: [{ kind: 'event', eventId: paid, name: 'invoice.paid' }],
  });
  expect(kept[1]!.payload).toMatchObject({
    v: 1,
    request: { journeyId: upgrades.journeyId, contactId: ada, entry: { eventId: upgrade } },
  });
  expect(kept[0]!.lastError).toMatch(/unavailable|ECONNREFUSED|connect/i);
  expect(lines.some((l) => l.includes('kept for redelivery'))).toBe(true);
  // Nothing reached Temporal: no run started, and the waiting run still waits.
  await expect(env.temporal.client.workflow.getHandle(startedId).describe()).rejects.toThrow(
    WorkflowNotFoundError,
  );
  expect((await countStepsByNode(env.db.sql, invoices.journeyId)).wait).toMatchObject({
    waiting: 1,
  });

  // Not due before the first backoff; a pass while Temporal is still away reschedules with backoff.
  expect(await unreachable.redeliverDue()).toEqual({ delivered: 0, failed: 0, stuck: 0 });
  advance(REDELIVERY_SCHEDULE.firstDelayMs);
  expect(await unreachable.redeliverDue()).toEqual({ delivered: 0, failed: 2, stuck: 0 });
  const retried = await pendingRows();
  expect(retried.map((r) => r.attempts)).toEqual([2, 2]);
  for (const row of retried) {
    expect(row.nextAttemptAt.getTime()).toBe(
      clock.getTime() + 2 * REDELIVERY_SCHEDULE.firstDelayMs,
    );
  }

  // Temporal is back: the next due pass delivers both, and the rows are gone.
  advance(2 * REDELIVERY_SCHEDULE.firstDelayMs);
  expect(await reachable.redeliverDue()).toEqual({ delivered: 2, failed: 0, stuck: 0 });
  expect(await pendingRows()).toEqual([]);

  expect(await env.temporal.client.workflow.getHandle(startedId).result()).toMatchObject({
    status: 'completed',
  });
  expect(await env.temporal.client.workflow.getHandle(waitingId).result()).toMatchObject({
    status: 'completed',
  });
  // The waiting run woke once, on the event; the triggered run ran once.
  expect(await countStepsByNode(env.db.sql, invoices.journeyId)).toMatchObject({
    wait: { entered: 1, completed: 1 },
    tag: { entered: 1, completed: 1 },
  });
  const [waitStep] = await env.db.sql<{ port: string; why: { eventId: string } }[]>`
    select port, why from run_steps where journey_id = ${invoices.journeyId} and node_id = 'wait'`;
  expect(waitStep).toMatchObject({ port: 'event', why: { eventId: paid } });

  // The same event dispatched again finds the run that began from it and keeps nothing, and a
  // redelivery of that start again (its row kept after the run ended, say) starts nothing
  // either, although the entry policy lets Ada re-enter.
  const { runId } = await env.temporal.client.workflow.getHandle(startedId).describe();
  await unreachable.eventsRecorded(env.db.workspaceId, [upgrade]);
  expect(await pendingRows()).toEqual([]);
  await recordPendingDispatches(env.db.sql, [
    {
      workspaceId: env.db.workspaceId,
      kind: 'start',
      workflowId: startedId,
      payload: kept[1]!.payload,
      error: 'kept after the run ended',
      nextAttemptAt: clock,
    },
  ]);
  advance(REDELIVERY_SCHEDULE.firstDelayMs);
  expect(await reachable.redeliverDue()).toEqual({ delivered: 1, failed: 0, stuck: 0 });
  // Temporal's latest execution of that id is still the first run.
  expect((await env.temporal.client.workflow.getHandle(startedId).describe()).runId).toBe(runId);
  const runs = await env.db.sql`
    select id from journey_runs where journey_id = ${upgrades.journeyId} and contact_id = ${ada}`;
  expect(runs).toHaveLength(1);
  expect(await countStepsByNode(env.db.sql, upgrades.journeyId)).toMatchObject({
    tag: { entered: 1, completed: 1 },
  });
});

it('a delivery that keeps failing is logged as an error and listed as stuck, and still retried', async () => {
  const upgrades = await publish(env, upgradeFlow('plan.upgraded'));
  const grace = await createContact(env, { email: 'grace@example.com' });
  const upgrade = await recordEvent(env, grace, 'plan.upgraded');
  await unreachable.eventsRecorded(env.db.workspaceId, [upgrade]);
  const workflowId = runWorkflowId(upgrades.journeyId, grace);

  const app = createTestApp({ db: env.db, temporal: env.temporal, dispatcher: env.runtime });
  const backlog = async () => {
    const response = await app.call('GET', '/api/journeys/dispatch-backlog');
    expect(response.status).toBe(200);
    return response.body as {
      pending: number;
      stuck: number;
      items: { kind: string; workflowId: string; attempts: number; stuckSince: string | null }[];
    };
  };
  expect(await backlog()).toMatchObject({
    pending: 1,
    stuck: 0,
    items: [{ kind: 'start', workflowId, attempts: 1, stuckSince: null }],
  });

  lines.length = 0;
  const limit = REDELIVERY_SCHEDULE.stuckAfterAttempts;
  const passes = [];
  for (let attempt = 2; attempt <= limit + 1; attempt++) {
    advance(REDELIVERY_SCHEDULE.maxDelayMs);
    passes.push(await unreachable.redeliverDue());
  }
  // Stuck when the limit is reached, reported once; retried at the longest interval after that.
  expect(passes.map((p) => p.stuck)).toEqual([...Array<number>(limit - 2).fill(0), 1, 0]);
  expect(passes.every((p) => p.failed === 1)).toBe(true);
  expect(lines.filter((l) => l.includes('ERROR') && l.includes(workflowId))).toHaveLength(1);
  expect(await backlog()).toMatchObject({
    pending: 0,
    stuck: 1,
    items: [{ kind: 'start', workflowId, attempts: limit + 1 }],
  });
  expect((await backlog()).items[0]!.stuckSince).not.toBeNull();

  advance(REDELIVERY_SCHEDULE.maxDelayMs);
  expect(await reachable.redeliverDue()).toEqual({ delivered: 1, failed: 0, stuck: 0 });
  expect(await env.temporal.client.workflow.getHandle(workflowId).result()).toMatchObject({
    status: 'completed',
  });
  expect(await backlog()).toEqual({
    pending: 0,
    stuck: 0,
    oldestAt: null,
    items: [],
    dispatches: { dispatches: 0, stuck: 0, events: 0, segmentChanges: 0, contactChanges: 0 },
  });
});

it('the worker’s redelivery loop delivers what was kept once its first backoff has passed', async () => {
  const trials = await publish(env, upgradeFlow('trial.extended'));
  const lin = await createContact(env, { email: 'lin@example.com' });
  const extended = await recordEvent(env, lin, 'trial.extended');
  const realTime = () => new Date();
  await runtimeOn(deadClient, realTime).eventsRecorded(env.db.workspaceId, [extended]);
  expect(await pendingRows()).toHaveLength(1);

  const loop = runtimeOn(env.temporal.client, realTime).startRedeliveryLoop({ intervalMs: 200 });
  try {
    await eventually(async () => (await pendingRows()).length === 0, 30_000);
  } finally {
    await loop.stop();
  }
  const handle = env.temporal.client.workflow.getHandle(runWorkflowId(trials.journeyId, lin));
  expect(await handle.result()).toMatchObject({ status: 'completed' });
  expect(lines.some((l) => l.includes('redelivered 1 start(s)/signal(s), 0 still failing'))).toBe(
    true,
  );
});

const tagsOf = async (contactId: string) =>
  (await env.db.sql<{ tags: string[] }[]>`select tags from contacts where id = ${contactId}`)[0]!
    .tags;

it('a resume Temporal does not take is kept, and its redelivery releases the held run', async () => {
  const { journeyId } = await publish(
    env,
    waitThenTag({ name: 'Welcome', wait: '1s', tag: 'welcomed' }),
  );
  const workspaceId = env.db.workspaceId;
  const bo = await createContact(env, { email: 'bo@example.com' });
  const journey = (await getJourney(env.db.sql, workspaceId, journeyId))!;
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId: bo });
  await eventually(async () => (await countStepsByNode(env.db.sql, journeyId)).wait);
  await env.runtime.pause({ workspaceId, journeyId });
  await eventually(async () => (await findHeldRuns(env.db.sql, journeyId)).length === 1);

  const resumed = await unreachable.resume({ workspaceId, journeyId });
  expect(resumed).toMatchObject({ journey: { status: 'active' }, released: 0 });
  const kept = await pendingRows();
  expect(kept.map((r) => [r.kind, r.workflowId, r.payload])).toEqual([
    ['signal', workflowId, { v: 1, name: 'journeyRun.resume', args: [] }],
  ]);
  expect(await tagsOf(bo)).toEqual([]);

  advance(REDELIVERY_SCHEDULE.firstDelayMs);
  expect(await reachable.redeliverDue()).toEqual({ delivered: 1, failed: 0, stuck: 0 });
  expect(await env.temporal.client.workflow.getHandle(workflowId).result()).toMatchObject({
    status: 'completed',
  });
  expect(await tagsOf(bo)).toEqual(['welcomed']);
});

/** How many moves a run has weighed: its completed `moveRunToVersion` activities. */
async function movesWeighed(workflowId: string): Promise<number> {
  const history = await env.temporal.client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const moves = new Set(
    events
      .filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'moveRunToVersion',
      )
      .map((e) => String(e.eventId)),
  );
  return events.filter((e) =>
    moves.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)),
  ).length;
}

it('a move to a new version Temporal does not take is kept; delivered after a later move, it does not move the run back', async () => {
  const { journeyId } = await publish(env, invoiceFlow('paid-v1'));
  const workspaceId = env.db.workspaceId;
  const cy = await createContact(env, { email: 'cy@example.com' });
  const journey = (await getJourney(env.db.sql, workspaceId, journeyId))!;
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId: cy });
  await eventually(async () => (await countStepsByNode(env.db.sql, journeyId)).wait);
  const publishMoving = async (runtime: JourneyRuntime, tag: string) => {
    const published = await runtime.publish({
      workspaceId,
      journeyId,
      document: invoiceFlow(tag),
      carryOver: 'move',
    });
    if (!published.ok) throw new Error(JSON.stringify(published.errors));
    return published;
  };
  const versionOfRun = async () =>
    (
      await env.db.sql<{ versionId: string }[]>`
        select version_id from journey_runs where workflow_id = ${workflowId}`
    )[0]!.versionId;

  // Version 2 goes live while Temporal is away: the move is kept.
  const v2 = await publishMoving(unreachable, 'paid-v2');
  expect(v2).toMatchObject({ version: 2, moved: 0 });
  expect((await pendingRows()).map((r) => [r.kind, r.workflowId, r.payload])).toEqual([
    [
      'signal',
      workflowId,
      { v: 1, name: 'journeyRun.moveToVersion', args: [{ journeyVersionId: v2.versionId }] },
    ],
  ]);

  // Version 3 goes live with Temporal back: the run moves to it.
  const v3 = await publishMoving(env.runtime, 'paid-v3');
  expect(v3).toMatchObject({ version: 3, moved: 1 });
  await eventually(async () => (await versionOfRun()) === v3.versionId);

  // The kept move to version 2 arrives late; the run stays on version 3 and finishes there.
  advance(REDELIVERY_SCHEDULE.firstDelayMs);
  expect(await reachable.redeliverDue()).toEqual({ delivered: 1, failed: 0, stuck: 0 });
  // The run has weighed the late move (its second) before the invoice is paid.
  await eventually(async () => (await movesWeighed(workflowId)) === 2);
  const paid = await recordEvent(env, cy, 'invoice.paid');
  await env.runtime.eventsRecorded(workspaceId, [paid]);
  expect(await env.temporal.client.workflow.getHandle(workflowId).result()).toMatchObject({
    status: 'completed',
  });
  expect(await versionOfRun()).toBe(v3.versionId);
  expect(await tagsOf(cy)).toEqual(['paid-v3']);
});
