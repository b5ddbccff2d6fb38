import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countStepsByNode, getJourney } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createJourneyRuntime, type JourneyRuntime } from '@relance/journeys';
import {
  createContact,
  eventually,
  publish,
  realActivities,
  recordEvent,
  unreachableTemporal,
  useJourneyEnv,
} from './harness';

// An event that happened long ago (a history replay after switching tools, an import, a device
// offline for days) is stored and counted in segments, but it is not news: it starts no journey
// and wakes no waiting run. The dispatcher runs against a Temporal that cannot be reached, so
// every start and signal it tries is kept in Postgres, where the test reads what it tried.

const env = useJourneyEnv({ worker: true });
let dead: Awaited<ReturnType<typeof unreachableTemporal>>;

const runtime = (eventMaxAgeMs?: number): JourneyRuntime =>
  createJourneyRuntime({
    sql: env.db.sql,
    client: dead.client,
    taskQueue: env.temporal.taskQueue,
    log: () => {},
    ...(eventMaxAgeMs === undefined ? {} : { eventMaxAgeMs }),
  });

beforeAll(async () => {
  dead = await unreachableTemporal();
});
afterAll(async () => {
  await dead?.close();
});

const tried = async () => {
  const rows = await env.db.sql<{ kind: string }[]>`
    select kind from journey_dispatch_pending order by id`;
  await env.db.sql`delete from journey_dispatch_pending`;
  return rows.map((r) => r.kind);
};

/** An event that happened `ago` before now (received now). */
async function eventFrom(contactId: string, name: string, ago: string) {
  const id = await recordEvent(env, contactId, name);
  await env.db.sql`
    update events set occurred_at = now() - ${ago}::interval where id = ${id}::bigint`;
  return id;
}

it('an event older than the window starts no run and wakes none; a recent one does both', async () => {
  const b = createDocumentBuilder('After purchase');
  b.node('trigger', 'trigger.event', { event: 'Order Completed' }, 0, 0);
  b.node('tag', 'action.tag', { add: ['thanked'] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'tag');
  b.edge('tag', 'exit');
  await publish(env, b.build());
  const w = createDocumentBuilder('Invoices');
  w.node('trigger', 'trigger.manual', {}, 0, 0);
  w.node('wait', 'wait.event', { event: 'Order Completed', timeout: '30d' }, 0, 1);
  w.node('exit', 'logic.exit', {}, 0, 2);
  w.node('late', 'logic.exit', {}, 1, 2);
  w.edge('trigger', 'wait');
  w.edge('wait', 'exit', 'event');
  w.edge('wait', 'late', 'timeout');
  const waiting = await publish(env, w.build());
  const ada = await createContact(env, { email: 'ada@example.com' });
  await env.runtime.enrolContact({
    journey: (await getJourney(env.db.sql, env.db.workspaceId, waiting.journeyId))!,
    contactId: ada,
  });
  await eventually(async () => (await countStepsByNode(env.db.sql, waiting.journeyId)).wait);

  const byDefault = runtime();
  // A replayed order from 2019, and one from ten days ago: history.
  const replayed = await recordEvent(env, ada, 'Order Completed');
  await env.db.sql`
    update events set occurred_at = '2019-03-01T10:00:00Z' where id = ${replayed}::bigint`;
  await byDefault.eventsRecorded(env.db.workspaceId, [
    replayed,
    await eventFrom(ada, 'Order Completed', '10 days'),
  ]);
  expect(await tried()).toEqual([]);

  // Two days ago is within the default window (72 hours): a start and a signal are tried.
  await byDefault.eventsRecorded(env.db.workspaceId, [
    await eventFrom(ada, 'Order Completed', '2 days'),
  ]);
  expect((await tried()).sort()).toEqual(['signal', 'start']);

  // The window is configurable (RELANCE_JOURNEY_EVENT_MAX_AGE_HOURS).
  const hour = runtime(3_600_000);
  await hour.eventsRecorded(env.db.workspaceId, [
    await eventFrom(ada, 'Order Completed', '2 hours'),
  ]);
  expect(await tried()).toEqual([]);
  await hour.eventsRecorded(env.db.workspaceId, [
    await eventFrom(ada, 'Order Completed', '1 minute'),
  ]);
  expect((await tried()).sort()).toEqual(['signal', 'start']);
});

it('an event that was already old when it was received answers no wait, even when the run looks for itself', async () => {
  const w = createDocumentBuilder('Wait for an order');
  w.node('trigger', 'trigger.manual', {}, 0, 0);
  w.node('wait', 'wait.event', { event: 'Order Completed', timeout: '30d' }, 0, 1);
  w.node('exit', 'logic.exit', {}, 0, 2);
  w.node('late', 'logic.exit', {}, 1, 2);
  w.edge('trigger', 'wait');
  w.edge('wait', 'exit', 'event');
  w.edge('wait', 'late', 'timeout');
  const { versionId } = await publish(env, w.build());
  const bob = await createContact(env, { email: 'bob@example.com' });
  const activities = realActivities(env.db.sql, env.runtime);
  const runId = randomUUID();
  const begun = await activities.beginRun({
    workflowId: `test:${runId}`,
    runId,
    journeyVersionId: versionId,
    contactId: bob,
    entry: { kind: 'manual', enrolmentId: null },
    at: Date.now(),
  });
  if (!begun.admitted) throw new Error(begun.reason);
  // What the wait asks at its deadline, or when time alone could answer it.
  const look = () =>
    activities.checkpoint({
      run: begun.run,
      records: [],
      current: { seq: 1, nodeId: 'wait', kind: 'wait.event', visit: 1, enteredAt: Date.now() },
      at: Date.now(),
      guard: null,
      holdIfPaused: false,
      check: {
        kind: 'event',
        event: 'Order Completed',
        where: null,
        afterEventId: begun.watermark,
      },
    });
  await eventFrom(bob, 'Order Completed', '10 days');
  expect(await look()).toEqual({ kind: 'clear', check: { kind: 'event', eventId: null } });
  const recent = await eventFrom(bob, 'Order Completed', '1 hour');
  expect(await look()).toEqual({ kind: 'clear', check: { kind: 'event', eventId: recent } });
});
