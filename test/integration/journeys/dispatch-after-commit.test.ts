import { afterAll, beforeAll, expect, it } from 'vitest';
import { countStepsByNode, createSql, dispatchCommitted, getJourney, type Sql } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createJourneyRuntime, type JourneyRuntime } from '@relance/journeys';
import { runWorkflowId } from '@relance/workflows/contracts';
import { holdTableLock } from '../../support/held-statements';
import { createContact, eventually, publish, recordEvent, useJourneyEnv } from './harness';

// The dispatcher runs after the facts were committed, so Postgres failing then (a dropped
// connection, a failover, a statement stuck behind a lock) must not lose the runs those facts
// start or wake. Here the dispatcher's own pool gives up on any statement after 300 ms while a
// table it reads is locked: the failure is real, from Postgres.

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

/** The runtime over the impatient pool, logging to `lines`. */
const runtimeOn = (sql: Sql, dispatchRetryMs: number[]): JourneyRuntime =>
  createJourneyRuntime({
    sql,
    client: env.temporal.client,
    taskQueue: env.temporal.taskQueue,
    log: (line) => lines.push(line),
    dispatchRetryMs,
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

/** Enrolled by hand, waits for `event`, then tags the contact `tag`. */
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

const tagsOf = async (contactId: string) => {
  const [row] = await env.db.sql<{ tags: string[] }[]>`
    select tags from contacts where id = ${contactId}`;
  return row!.tags;
};

it('an event whose dispatch Postgres fails after the commit still starts its run and wakes the waiting one, once', async () => {
  const started = await publish(env, tagOn('plan.upgraded', 'upgraded'));
  const waiting = await publish(env, waitFor('invoice.paid', 'paid'));
  const ada = await createContact(env, { email: 'ada@example.com' });
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, waiting.journeyId))!;
  await env.runtime.enrolContact({ journey, contactId: ada });
  await eventually(async () => (await countStepsByNode(env.db.sql, waiting.journeyId)).wait);

  const upgraded = await recordEvent(env, ada, 'plan.upgraded');
  const paid = await recordEvent(env, ada, 'invoice.paid');
  // The events are committed; the journeys' versions are locked, so the dispatcher's read of
  // the versions they trigger times out.
  const lock = await holdTableLock(env.db.sql, 'journey_versions');
  const runtime = runtimeOn(impatient, [1_000]);
  const dispatched = dispatchCommitted(
    runtime,
    env.db.workspaceId,
    {
      eventIds: [upgraded, paid],
    },
    (line) => lines.push(line),
  );
  try {
    await eventually(
      () => Promise.resolve(lines.some((l) => l.includes('trying again in 1 s'))),
      10_000,
    );
  } finally {
    await lock.release();
  }
  expect(lines.find((l) => l.includes('trying again'))).toMatch(
    new RegExp(`2 events \\(${upgraded}…${paid}\\) of workspace .*statement timeout`),
  );
  await dispatched;
  expect(lines.filter((l) => l.includes('journeys: ERROR'))).toEqual([]);

  // The triggered run ran and the waiting run took the event branch.
  await eventually(async () => (await tagsOf(ada)).includes('upgraded'));
  await eventually(async () => (await tagsOf(ada)).includes('paid'));
  expect(
    await env.temporal.client.workflow.getHandle(runWorkflowId(started.journeyId, ada)).result(),
  ).toMatchObject({ status: 'completed' });
  const runs = await env.db.sql`
    select id from journey_runs where journey_id = ${started.journeyId} and contact_id = ${ada}`;
  expect(runs).toHaveLength(1);
  const [waitStep] = await env.db.sql<{ port: string; why: { eventId: string } }[]>`
    select port, why from run_steps where journey_id = ${waiting.journeyId} and node_id = 'wait'`;
  expect(waitStep).toMatchObject({ port: 'event', why: { eventId: paid } });
});
