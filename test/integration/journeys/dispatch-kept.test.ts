import { afterAll, beforeAll, expect, it } from 'vitest';
import { countStepsByNode, createSql, dispatchCommitted, getJourney, type Sql } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createJourneyRuntime, type JourneyRuntime } from '@relance/journeys';
import { runWorkflowId } from '@relance/workflows/contracts';
import { createTestApp } from '../../support/app';
import { holdTableLock } from '../../support/held-statements';
import { createContact, eventually, publish, recordEvent, useJourneyEnv } from './harness';

// A dispatch Postgres fails on every attempt after the facts were committed is kept in
// journey_dispatch_pending (kind 'dispatch'), listed among the journey deliveries, and run again
// by the worker's redelivery loop once Postgres answers; only when Postgres does not take even
// that is the log all that is left, one line naming the ids. The dispatcher's own pool gives up
// on any statement after 300 ms while a table it needs is locked: the failures are Postgres's.

const env = useJourneyEnv({ worker: true });
let impatient: Sql;
const lines: string[] = [];

beforeAll(() => {
  const url = new URL(env.db.url);
  url.searchParams.set('statement_timeout', '300');
  impatient = createSql({ databaseUrl: url.toString(), max: 4 });
});
afterAll(async () => {
  await impatient?.end();
});

/** The runtime over `sql`, trying a dispatch three times in quick succession, logging to `lines`. */
const runtimeOn = (sql: Sql): JourneyRuntime =>
  createJourneyRuntime({
    sql,
    client: env.temporal.client,
    taskQueue: env.temporal.taskQueue,
    log: (line) => lines.push(line),
    dispatchRetryMs: [50, 50],
  });

/** `event` starts a run that tags the contact `tag`. */
function tagOn(event: string, tag: string) {
  const b = createDocumentBuilder(`Tag on ${event}`);
  b.node('trigger', 'trigger.event', { event }, 0, 0);
  b.node('tag', 'action.tag', { add: [tag] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'tag');
  b.edge('tag', 'exit');
  return b.build();
}

/** Enrolled by hand, waits a month for `event`, then tags the contact `tag`. */
function waitFor(event: string, tag: string) {
  const b = createDocumentBuilder(`Wait for ${event}`);
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait', 'wait.event', { event, timeout: '30d' }, 0, 1);
  b.node('tag', 'action.tag', { add: [tag] }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.node('late', 'logic.exit', {}, 1, 2);
  b.edge('trigger', 'wait');
  b.edge('wait', 'tag', 'event');
  b.edge('wait', 'late', 'timeout');
  b.edge('tag', 'exit');
  return b.build();
}

/** Enrolled by hand, waits a month for the contact's plan to be "pro", then tags it `tag`. */
function waitForPro(tag: string) {
  const b = createDocumentBuilder('Wait for pro');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node(
    'wait',
    'wait.condition',
    {
      condition: { kind: 'property', property: 'plan', op: 'eq', value: 'pro' },
      timeout: '30d',
    },
    0,
    1,
  );
  b.node('tag', 'action.tag', { add: [tag] }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.node('late', 'logic.exit', {}, 1, 2);
  b.edge('trigger', 'wait');
  b.edge('wait', 'tag', 'met');
  b.edge('wait', 'late', 'timeout');
  b.edge('tag', 'exit');
  return b.build();
}

const tagsOf = async (contactId: string) => {
  const [row] = await env.db.sql<{ tags: string[] }[]>`
    select tags from contacts where id = ${contactId}`;
  return row!.tags;
};

const keptRows = () => env.db.sql<{ kind: string; workflowId: string; payload: unknown }[]>`
  select kind, workflow_id, payload from journey_dispatch_pending order by id`;

/** Enrols `contactId` by hand in `journeyId` and waits until its run waits. */
async function enrolAndWait(journeyId: string, contactId: string) {
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  await env.runtime.enrolContact({ journey, contactId });
  await eventually(async () => (await countStepsByNode(env.db.sql, journeyId)).wait);
}

/** The worker's redelivery loop, as apps/worker runs it, until `done` holds. */
async function runTheWorkersLoopUntil(done: () => Promise<boolean>) {
  const worker = createJourneyRuntime({
    sql: env.db.sql,
    client: env.temporal.client,
    taskQueue: env.temporal.taskQueue,
    log: (line) => lines.push(line),
  });
  const loop = worker.startRedeliveryLoop({ intervalMs: 200 });
  try {
    await eventually(done, 30_000);
  } finally {
    await loop.stop();
  }
}

it('events whose dispatch Postgres fails every time are kept, listed, and started and woken by the worker’s loop', async () => {
  const started = await publish(env, tagOn('plan.upgraded', 'upgraded'));
  const waiting = await publish(env, waitFor('invoice.paid', 'paid'));
  const ada = await createContact(env, { email: 'ada@example.com' });
  await enrolAndWait(waiting.journeyId, ada);
  const upgraded = await recordEvent(env, ada, 'plan.upgraded');
  const paid = await recordEvent(env, ada, 'invoice.paid');

  // The events are committed; the journeys' versions stay locked through all three attempts.
  lines.length = 0;
  const logged: string[] = [];
  const lock = await holdTableLock(env.db.sql, 'journey_versions');
  try {
    await dispatchCommitted(
      runtimeOn(impatient),
      env.db.workspaceId,
      { eventIds: [upgraded, paid] },
      (line) => logged.push(line),
    );
  } finally {
    await lock.release();
  }
  expect(logged).toEqual([]);
  expect(lines.at(-1)).toMatch(
    new RegExp(
      `2 events \\(${upgraded}…${paid}\\) of workspace ${env.db.workspaceId} after 3 attempts \\(.*statement timeout.*\\); kept`,
    ),
  );
  expect(await keptRows()).toEqual([
    {
      kind: 'dispatch',
      workflowId: 'dispatch:eventsRecorded',
      payload: { v: 1, method: 'eventsRecorded', ids: [upgraded, paid] },
    },
  ]);
  expect(await tagsOf(ada)).toEqual([]);

  // Settings' "Journey deliveries" reads this: two events not handed to the journeys yet.
  const app = createTestApp({ db: env.db, temporal: env.temporal, dispatcher: env.runtime });
  const backlog = await app.call('GET', '/api/journeys/dispatch-backlog');
  expect(backlog.status).toBe(200);
  expect(backlog.body).toMatchObject({
    pending: 1,
    stuck: 0,
    dispatches: { dispatches: 1, stuck: 0, events: 2, segmentChanges: 0, contactChanges: 0 },
    items: [{ kind: 'dispatch', workflowId: 'dispatch:eventsRecorded', attempts: 1 }],
  });

  await runTheWorkersLoopUntil(async () => (await keptRows()).length === 0);
  await eventually(async () => (await tagsOf(ada)).includes('paid'));
  expect(
    await env.temporal.client.workflow.getHandle(runWorkflowId(started.journeyId, ada)).result(),
  ).toMatchObject({ status: 'completed' });
  expect(await tagsOf(ada)).toEqual(expect.arrayContaining(['upgraded', 'paid']));
  const [waitStep] = await env.db.sql<{ port: string; why: { eventId: string } }[]>`
    select port, why from run_steps where journey_id = ${waiting.journeyId} and node_id = 'wait'`;
  expect(waitStep).toMatchObject({ port: 'event', why: { eventId: paid } });
  expect((await app.call('GET', '/api/journeys/dispatch-backlog')).body).toMatchObject({
    pending: 0,
    stuck: 0,
    dispatches: { dispatches: 0, events: 0 },
  });
}, 60_000);

it('a contact change whose dispatch Postgres fails every time wakes its waiting run through the worker’s loop', async () => {
  const waiting = await publish(env, waitForPro('pro'));
  const bo = await createContact(env, { email: 'bo@example.com' });
  await enrolAndWait(waiting.journeyId, bo);
  await env.db.sql`
    update contacts set properties = properties || '{"plan": "pro"}' where id = ${bo}`;

  lines.length = 0;
  const lock = await holdTableLock(env.db.sql, 'journey_runs');
  try {
    await runtimeOn(impatient).contactsChanged(env.db.workspaceId, [bo]);
  } finally {
    await lock.release();
  }
  expect(await keptRows()).toEqual([
    {
      kind: 'dispatch',
      workflowId: 'dispatch:contactsChanged',
      payload: { v: 1, method: 'contactsChanged', ids: [bo] },
    },
  ]);

  await runTheWorkersLoopUntil(async () => (await keptRows()).length === 0);
  // Woken now, not at the wait's deadline a month away.
  await eventually(async () => (await tagsOf(bo)).includes('pro'));
  const [waitStep] = await env.db.sql<{ port: string }[]>`
    select port from run_steps where journey_id = ${waiting.journeyId} and node_id = 'wait'`;
  expect(waitStep).toMatchObject({ port: 'met' });
}, 60_000);

it('a dispatch Postgres will not even keep is one error line naming the ids, without a stack', async () => {
  await publish(env, tagOn('trial.started', 'trial'));
  const cy = await createContact(env, { email: 'cy@example.com' });
  const event = await recordEvent(env, cy, 'trial.started');
  const logged: string[] = [];
  const versions = await holdTableLock(env.db.sql, 'journey_versions');
  const pending = await holdTableLock(env.db.sql, 'journey_dispatch_pending');
  try {
    await dispatchCommitted(runtimeOn(impatient), env.db.workspaceId, { eventIds: [event] }, (l) =>
      logged.push(l),
    );
  } finally {
    await pending.release();
    await versions.release();
  }
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatch(
    new RegExp(
      `^journeys: ERROR could not start or wake the runs for 1 event \\(${event}\\) of workspace ${env.db.workspaceId} after 3 attempts: .*statement timeout.*; nor keep them for the worker to retry: .*statement timeout.*Runs these should have started were not started`,
    ),
  );
  expect(logged[0]).not.toMatch(/\n\s+at /);
  expect(await keptRows()).toEqual([]);
  expect(await tagsOf(cy)).toEqual([]);
});
