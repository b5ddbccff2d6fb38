// A process that dies between committing facts and dispatching them (a deploy, an OOM kill)
// leaves their journey outbox row behind; the worker's sweep hands it to the redelivery loop,
// which starts the runs those facts trigger, once. Ingestion through the real API, the real
// settle, Postgres and a worker on the Temporal dev server. The "crash" is a settler that drops
// what it is handed, or a dispatcher that never answers: the commits happened, nothing else did.

import { beforeAll, expect, it } from 'vitest';
import type { Settler } from '@relance/api/ingest/settler';
import { createSettler } from '@relance/api/ingest/settler';
import {
  createSegment,
  dispatchCommitted,
  ingestMessages,
  tickSegments,
  type JourneyDispatcher,
} from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createJourneyRuntime } from '@relance/journeys';
import { createTestApp } from '../../support/app';
import { eventually, publish, useJourneyEnv } from './harness';

const env = useJourneyEnv({ worker: true });
let writeKey: string;
const lines: string[] = [];

beforeAll(async () => {
  writeKey = (await env.db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!
    .writeKey;
});

/** What a process that died right after its commits does with their facts: nothing. */
const crashed: Settler = { committed() {}, idle: () => Promise.resolve() };

/** A dispatcher that never answers: the process stops while it dispatches. */
const hung: JourneyDispatcher = {
  eventsRecorded: () => new Promise(() => {}),
  segmentsChanged: () => new Promise(() => {}),
  contactsChanged: () => new Promise(() => {}),
};

const appWith = (settler: Settler) =>
  createTestApp({
    db: env.db,
    temporal: env.temporal,
    dispatcher: env.runtime,
    overrides: { settler },
  });

async function send(app: ReturnType<typeof appWith>, path: string, body: unknown) {
  const response = await app.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

/** `trigger` starts a run that tags the contact `tag` and ends; the contact may enter again. */
function tagOn(
  trigger:
    | { kind: 'trigger.event'; config: { event: string; entryKey?: string } }
    | { kind: 'trigger.segment_entered'; config: { segmentId: string } },
  tag: string,
) {
  const b = createDocumentBuilder(`Tag ${tag}`, { entryPolicy: { kind: 'after_exit' } });
  b.node('trigger', trigger.kind, trigger.config, 0, 0);
  b.node('tag', 'action.tag', { add: [tag] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'tag');
  b.edge('tag', 'exit');
  return b.build();
}

const outbox = () =>
  env.db.sql<{ eventIds: string[]; changeIds: string[]; contactIds: string[] }[]>`
    select event_ids::text[] as event_ids, change_ids::text[] as change_ids,
      contact_ids::text[] as contact_ids
    from journey_outbox order by id`;

const contactOf = async (userId: string) => {
  const [row] = await env.db.sql<{ id: string }[]>`
    select id from contacts where external_id = ${userId}`;
  return row!.id;
};

const eventIdsOf = async (contactId: string, name: string) =>
  (
    await env.db.sql<{ id: string }[]>`
      select id::text as id from events where contact_id = ${contactId} and name = ${name} order by id`
  ).map((r) => r.id);

const runsOf = (journeyId: string, contactId: string) =>
  env.db.sql<{ status: string; entry: Record<string, unknown> }[]>`
    select status, entry from journey_runs
    where journey_id = ${journeyId} and contact_id = ${contactId} order by started_at`;

/** The segment changes of a contact (a new contact may enter other, built-in segments too). */
const changesOf = async (contactId: string) =>
  (
    await env.db.sql<{ id: string }[]>`
      select id::text as id from segment_changes where contact_id = ${contactId} order by id`
  ).map((r) => r.id);

const tagsOf = async (contactId: string) =>
  (await env.db.sql<{ tags: string[] }[]>`select tags from contacts where id = ${contactId}`)[0]!
    .tags;

/**
 * The worker's loop: the sweep, then a redelivery pass; by default once the grace period has
 * passed for every row (`graceMs` 0).
 */
async function workerSweep(graceMs = 0) {
  const worker = createJourneyRuntime({
    sql: env.db.sql,
    client: env.temporal.client,
    taskQueue: env.temporal.taskQueue,
    log: (line) => lines.push(line),
  });
  const swept = await worker.sweepJourneyOutbox({ graceMs });
  const pass = await worker.redeliverDue();
  return { swept, pass };
}

/** Waits until every run of `journeyId` for `contactId` ended, and returns them. */
async function endedRuns(journeyId: string, contactId: string, count: number) {
  return eventually(async () => {
    const runs = await runsOf(journeyId, contactId);
    return runs.length >= count && runs.every((r) => r.status !== 'active') ? runs : null;
  }) as Promise<Awaited<ReturnType<typeof runsOf>>>;
}

it('events committed by a process that died before dispatching them start their runs once, from the worker’s sweep', async () => {
  const { journeyId } = await publish(
    env,
    tagOn(
      { kind: 'trigger.event', config: { event: 'order.completed', entryKey: 'orderId' } },
      'bought',
    ),
  );
  const app = appWith(crashed);
  // One request, one lane, one transaction: three events, one outbox row.
  await send(app, '/v1/batch', {
    batch: ['o-1', 'o-2', 'o-3'].map((orderId) => ({
      type: 'track',
      userId: 'ada',
      event: 'order.completed',
      properties: { orderId },
    })),
  });
  const ada = await contactOf('ada');
  const events = await eventIdsOf(ada, 'order.completed');
  expect(events).toHaveLength(3);
  // The contact the batch created is a contact change too (waits on its facts wake up).
  expect(await outbox()).toEqual([{ eventIds: events, changeIds: [], contactIds: [ada] }]);

  // A tracked user seen before (the path without identity resolution) is in the outbox too.
  await send(app, '/v1/track', {
    userId: 'ada',
    event: 'order.completed',
    properties: { orderId: 'o-4' },
  });
  const [, , , fourth] = await eventIdsOf(ada, 'order.completed');
  expect((await outbox()).map((r) => r.eventIds)).toEqual([events, [fourth]]);

  // Within the grace period the worker leaves the rows to the process dispatching them.
  expect((await workerSweep(60_000)).swept).toEqual({ rows: 0, dispatches: 0 });
  expect(await runsOf(journeyId, ada)).toEqual([]);

  const { swept, pass } = await workerSweep();
  expect(swept).toEqual({ rows: 2, dispatches: 3 });
  expect(pass).toMatchObject({ delivered: 3, failed: 0 });
  expect(await outbox()).toEqual([]);
  const runs = await endedRuns(journeyId, ada, 4);
  expect(runs.map((r) => r.entry.eventId).sort()).toEqual([...events, fourth].sort());
  expect(await tagsOf(ada)).toContain('bought');

  // Dispatching the same events again (the process had dispatched them, then died before
  // deleting the row) starts nothing twice.
  await dispatchCommitted(env.runtime, env.db.workspaceId, { eventIds: [...events, fourth!] });
  expect((await workerSweep()).swept).toEqual({ rows: 0, dispatches: 0 });
  await new Promise((r) => setTimeout(r, 500));
  expect(await runsOf(journeyId, ada)).toHaveLength(4);
}, 60_000);

it('a segment entry a settle committed before its process died starts its run once, from the worker’s sweep', async () => {
  const { segment } = await createSegment(env.db.sql, {
    workspaceId: env.db.workspaceId,
    name: 'Trialists',
    kind: 'dynamic',
    rule: { kind: 'event_count', event: 'trial.started', op: 'at_least', count: 1 },
    now: new Date(),
  });
  const { journeyId } = await publish(
    env,
    tagOn({ kind: 'trigger.segment_entered', config: { segmentId: segment.id } }, 'trialist'),
  );
  // The real settler; its dispatches never come back, as when the process stops in them.
  const settler = createSettler({
    sql: env.db.sql,
    dispatcher: hung,
    log: (line) => lines.push(line),
    now: () => new Date(),
  });
  await send(appWith(settler), '/v1/track', { userId: 'bo', event: 'trial.started' });
  const bo = await contactOf('bo');
  const change = (await eventually(
    async () =>
      (
        await env.db.sql<{ id: string }[]>`
          select id::text as id from segment_changes where segment_id = ${segment.id}`
      )[0],
  ))!;
  const [event] = await eventIdsOf(bo, 'trial.started');
  // The ingest's row (its event) and the settle's (its segment entry), both still there.
  expect(await eventually(async () => ((await outbox()).length === 2 ? outbox() : null))).toEqual([
    { eventIds: [event], changeIds: [], contactIds: [bo] },
    { eventIds: [], changeIds: await changesOf(bo), contactIds: [] },
  ]);
  expect(await changesOf(bo)).toContain(change.id);
  expect(await runsOf(journeyId, bo)).toEqual([]);

  const { swept } = await workerSweep();
  expect(swept).toEqual({ rows: 2, dispatches: 3 });
  const runs = await endedRuns(journeyId, bo, 1);
  expect(runs).toEqual([
    {
      status: 'completed',
      entry: expect.objectContaining({ kind: 'segment', changeId: change.id }),
    },
  ]);
  expect(await tagsOf(bo)).toContain('trialist');

  await dispatchCommitted(env.runtime, env.db.workspaceId, { changeIds: [change.id] });
  await new Promise((r) => setTimeout(r, 500));
  expect(await runsOf(journeyId, bo)).toHaveLength(1);
}, 60_000);

it('a segment entry the segment tick committed with the outbox is swept when nothing dispatched it', async () => {
  const { segment } = await createSegment(env.db.sql, {
    workspaceId: env.db.workspaceId,
    name: 'Webinar guests',
    kind: 'dynamic',
    rule: { kind: 'event_count', event: 'webinar.joined', op: 'at_least', count: 1 },
    now: new Date(),
  });
  const { journeyId } = await publish(
    env,
    tagOn({ kind: 'trigger.segment_entered', config: { segmentId: segment.id } }, 'guest'),
  );
  // Ingested and never settled (the process died): the contact waits in the segment queue.
  const ingested = await ingestMessages(env.db.sql, env.db.workspaceId, [
    {
      type: 'track',
      identity: { userId: 'cy' },
      event: 'webinar.joined',
      properties: {},
      occurredAt: new Date(),
    },
  ]);
  const cy = ingested.contactIds[0]!;
  // The tick settles it; its worker dies before dispatching.
  const [report] = await tickSegments(env.db.sql, { now: new Date(), outbox: true });
  const [entered] = await env.db.sql<{ id: string }[]>`
    select id::text as id from segment_changes where segment_id = ${segment.id}`;
  expect(report!.changeIds).toEqual(await changesOf(cy));
  expect(report!.changeIds).toContain(entered!.id);
  expect(report!.outboxIds).toHaveLength(1);
  expect(await outbox()).toEqual([
    { eventIds: ingested.eventIds, changeIds: [], contactIds: [cy] },
    { eventIds: [], changeIds: report!.changeIds, contactIds: [] },
  ]);

  expect((await workerSweep()).swept).toEqual({ rows: 2, dispatches: 3 });
  const runs = await endedRuns(journeyId, cy, 1);
  expect(runs).toEqual([
    {
      status: 'completed',
      entry: expect.objectContaining({ kind: 'segment', changeId: entered!.id }),
    },
  ]);
}, 60_000);

it('a normal ingest, its settle and their dispatch leave no outbox row behind', async () => {
  const { segment } = await createSegment(env.db.sql, {
    workspaceId: env.db.workspaceId,
    name: 'Readers',
    kind: 'dynamic',
    rule: { kind: 'event_count', event: 'article.read', op: 'at_least', count: 1 },
    now: new Date(),
  });
  const { journeyId } = await publish(
    env,
    tagOn({ kind: 'trigger.segment_entered', config: { segmentId: segment.id } }, 'reader'),
  );
  const settler = createSettler({
    sql: env.db.sql,
    dispatcher: env.runtime,
    log: (line) => lines.push(line),
    now: () => new Date(),
  });
  const app = appWith(settler);
  await send(app, '/v1/identify', { userId: 'di', traits: { email: 'di@example.com' } });
  await send(app, '/v1/track', { userId: 'di', event: 'article.read' });
  await send(app, '/v1/track', { userId: 'di', event: 'article.read' });
  await settler.idle();
  expect(await outbox()).toEqual([]);
  const di = await contactOf('di');
  expect(await endedRuns(journeyId, di, 1)).toHaveLength(1);
}, 60_000);
