// The callers that record facts one request at a time (email engagement, form submissions, CSV
// imports, contact edits) keep them in the journey outbox until they are dispatched: a process
// stopping between its commit and its dispatch (here, a dispatcher that fails) leaves the row,
// and the worker's sweep starts the runs those facts trigger; a normal call leaves no row.
// The real API, Postgres and a worker on the Temporal dev server.

import { beforeAll, expect, it } from 'vitest';
import { performSegmentAction } from '@relance/activities/journeys/actions/database-actions';
import { createSegment, recordEvents, type JourneyDispatcher } from '@relance/db';
import { createDeploymentTracking, upsertEmailTopic } from '@relance/email';
import { createDocumentBuilder } from '@relance/flow';
import { createJourneyRuntime } from '@relance/journeys';
import { createTestApp, TEST_SIGNING_SECRET } from '../../support/app';
import { eventually, facts, publish, unreachableTemporal, useJourneyEnv } from './harness';

const env = useJourneyEnv({ worker: true });
const lines: string[] = [];
const PUBLIC_URL = 'http://relance.test';

/** A dispatcher whose every call fails: the facts are committed, nothing hears of them. */
const stopped = () => Promise.reject(new Error('the process stopped'));
const failing: JourneyDispatcher = {
  eventsRecorded: stopped,
  segmentsChanged: stopped,
  contactsChanged: stopped,
};

const appWith = (dispatcher: JourneyDispatcher) =>
  createTestApp({
    db: env.db,
    temporal: env.temporal,
    dispatcher,
    overrides: { log: (line) => lines.push(line) },
  });

beforeAll(async () => {
  await upsertEmailTopic(env.db.sql, {
    workspaceId: env.db.workspaceId,
    key: 'newsletter',
    name: 'Newsletter',
    optIn: true,
  });
});

/** `trigger` starts a run that tags the contact `tag` and ends; the contact may enter again. */
function tagOn(
  trigger:
    | { kind: 'trigger.event'; config: { event: string } }
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

const runsOf = (journeyId: string, contactId: string) =>
  env.db.sql<{ status: string; entry: Record<string, unknown> }[]>`
    select status, entry from journey_runs
    where journey_id = ${journeyId} and contact_id = ${contactId} order by started_at`;

const eventIdsOf = async (contactId: string, name: string) =>
  (
    await env.db.sql<{ id: string }[]>`
      select id::text as id from events where contact_id = ${contactId} and name = ${name} order by id`
  ).map((r) => r.id);

const changesOf = async (segmentId: string, contactId: string) =>
  (
    await env.db.sql<{ id: string }[]>`
      select id::text as id from segment_changes
      where segment_id = ${segmentId} and contact_id = ${contactId} order by id`
  ).map((r) => r.id);

const contactByEmail = async (email: string) => {
  const [row] = await env.db.sql<{ id: string }[]>`
    select id from contacts where workspace_id = ${env.db.workspaceId} and email = ${email}`;
  return row!.id;
};

/** The worker's loop once the grace period has passed for every row: sweep, then redeliver. */
async function workerSweep() {
  const worker = createJourneyRuntime({
    sql: env.db.sql,
    client: env.temporal.client,
    taskQueue: env.temporal.taskQueue,
    log: (line) => lines.push(line),
  });
  const swept = await worker.sweepJourneyOutbox({ graceMs: 0 });
  const pass = await worker.redeliverDue();
  return { swept, pass };
}

async function endedRuns(journeyId: string, contactId: string, count: number) {
  return eventually(async () => {
    const runs = await runsOf(journeyId, contactId);
    return runs.length >= count && runs.every((r) => r.status !== 'active') ? runs : null;
  }) as Promise<Awaited<ReturnType<typeof runsOf>>>;
}

async function staticSegment(name: string) {
  const { segment } = await createSegment(env.db.sql, {
    workspaceId: env.db.workspaceId,
    name,
    kind: 'static',
    now: new Date(),
  });
  return segment.id;
}

/** A sent newsletter to `email`, and its tracked link. */
async function clickLinkFor(email: string) {
  const app = appWith(failing);
  const created = await app.call('POST', '/api/contacts', { email });
  expect(created.status).toBe(201);
  const contactId = (created.body as { contact: { id: string } }).contact.id;
  const [message] = await env.db.sql<{ id: string }[]>`
    insert into email_messages (workspace_id, idempotency_key, contact_id, kind, to_address,
      status, sent_at)
    values (${env.db.workspaceId}, ${`outbox-callers:${email}`}, ${contactId}, 'marketing',
      ${email}, 'sent', now())
    returning id`;
  const tracking = createDeploymentTracking({ publicUrl: PUBLIC_URL, secret: TEST_SIGNING_SECRET });
  const click = tracking.clickUrl(message!.id, 'https://shop.test/sale');
  return { contactId, path: click.slice(PUBLIC_URL.length) };
}

it('a click recorded by a process that stopped before dispatching it starts its "clicked" journey from the worker’s sweep', async () => {
  const { journeyId } = await publish(
    env,
    tagOn({ kind: 'trigger.event', config: { event: 'email.clicked' } }, 'clicked'),
  );
  const { contactId, path } = await clickLinkFor('clicker@example.test');
  await env.db.sql`delete from journey_outbox`;

  const response = await appWith(failing).app.request(path, { redirect: 'manual' });
  expect(response.status).toBe(302);
  expect(response.headers.get('location')).toBe('https://shop.test/sale');
  const [clicked] = await eventIdsOf(contactId, 'email.clicked');
  // The event's transaction, then its settle's (the built-in segments a click can move).
  const rows = await outbox();
  expect(rows[0]).toEqual({ eventIds: [clicked], changeIds: [], contactIds: [] });
  expect(rows.slice(1).every((r) => r.eventIds.length === 0)).toBe(true);
  expect(await runsOf(journeyId, contactId)).toEqual([]);

  const { swept, pass } = await workerSweep();
  expect(swept.rows).toBe(rows.length);
  expect(pass).toMatchObject({ failed: 0 });
  expect(await outbox()).toEqual([]);
  const runs = await endedRuns(journeyId, contactId, 1);
  expect(runs).toEqual([
    { status: 'completed', entry: expect.objectContaining({ eventId: clicked }) },
  ]);

  // Dispatched as usual, a click leaves no row and starts its run at once.
  const again = await clickLinkFor('clicker-2@example.test');
  await env.db.sql`delete from journey_outbox`;
  expect((await appWith(env.runtime).app.request(again.path, { redirect: 'manual' })).status).toBe(
    302,
  );
  expect(await outbox()).toEqual([]);
  expect(await endedRuns(journeyId, again.contactId, 1)).toHaveLength(1);
}, 60_000);

it('a form sign-up whose dispatch never went out starts the welcome series from the worker’s sweep', async () => {
  const segmentId = await staticSegment('Newsletter sign-ups');
  const { journeyId } = await publish(
    env,
    tagOn({ kind: 'trigger.segment_entered', config: { segmentId } }, 'welcomed'),
  );
  const failingApp = appWith(failing);
  const created = await failingApp.call('POST', '/api/forms', {
    name: 'Newsletter',
    definition: {
      fields: [{ type: 'email', name: 'email', label: 'Email' }],
      topics: ['newsletter'],
      targetSegmentId: segmentId,
    },
  });
  expect(created.status).toBe(201);
  const formId = (created.body as { id: string }).id;
  const submit = (app: ReturnType<typeof appWith>, email: string) =>
    app.app.request(`/f/${formId}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email }).toString(),
    });

  const response = await submit(failingApp, 'joiner@example.test');
  expect(response.status).toBe(200);
  const joiner = await contactByEmail('joiner@example.test');
  const [entered] = await changesOf(segmentId, joiner);
  expect(entered).toBeDefined();
  const rows = await outbox();
  // The contact's transaction, the segment entry's, the events' (form.submitted and
  // email.subscribed): what a stopped process leaves behind.
  expect(rows.flatMap((r) => r.contactIds)).toContain(joiner);
  expect(rows.flatMap((r) => r.changeIds)).toContain(entered);
  expect(rows.flatMap((r) => r.eventIds)).toEqual(
    expect.arrayContaining(await eventIdsOf(joiner, 'form.submitted')),
  );
  expect(await runsOf(journeyId, joiner)).toEqual([]);

  const { swept } = await workerSweep();
  expect(swept.rows).toBe(rows.length);
  expect(await outbox()).toEqual([]);
  expect(await endedRuns(journeyId, joiner, 1)).toEqual([
    { status: 'completed', entry: expect.objectContaining({ kind: 'segment', changeId: entered }) },
  ]);

  // A sign-up dispatched as usual leaves no row.
  expect((await submit(appWith(env.runtime), 'joiner-2@example.test')).status).toBe(200);
  expect(await outbox()).toEqual([]);
  expect(await endedRuns(journeyId, await contactByEmail('joiner-2@example.test'), 1)).toHaveLength(
    1,
  );
}, 60_000);

it('a CSV import and a contact created through the API keep their segment entries in the outbox until dispatched', async () => {
  const segmentId = await staticSegment('Imported leads');
  const { journeyId } = await publish(
    env,
    tagOn({ kind: 'trigger.segment_entered', config: { segmentId } }, 'imported'),
  );
  const importCsv = (app: ReturnType<typeof appWith>, text: string) =>
    app.app.request(`/api/contacts/import?segmentId=${segmentId}`, {
      method: 'POST',
      headers: { authorization: `Bearer test-admin-token-0123456789`, 'content-type': 'text/csv' },
      body: text,
    });

  const response = await importCsv(
    appWith(failing),
    'email\nlead-1@example.test\nlead-2@example.test\n',
  );
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ rows: 2, created: 2 });
  const leads = [
    await contactByEmail('lead-1@example.test'),
    await contactByEmail('lead-2@example.test'),
  ];
  const entries = [
    ...(await changesOf(segmentId, leads[0]!)),
    ...(await changesOf(segmentId, leads[1]!)),
  ];
  expect(entries).toHaveLength(2);
  const rows = await outbox();
  expect(rows.flatMap((r) => r.changeIds)).toEqual(expect.arrayContaining(entries));
  expect(rows.flatMap((r) => r.contactIds)).toEqual(expect.arrayContaining(leads));

  // A contact created through the API whose dispatch failed: its row too.
  const created = await appWith(failing).call('POST', '/api/contacts', {
    email: 'api-lead@example.test',
  });
  expect(created.status).toBe(201);
  const apiLead = (created.body as { contact: { id: string } }).contact.id;
  expect((await outbox()).flatMap((r) => r.contactIds)).toContain(apiLead);

  await workerSweep();
  expect(await outbox()).toEqual([]);
  for (const lead of leads) expect(await endedRuns(journeyId, lead, 1)).toHaveLength(1);

  // An import dispatched as usual leaves no row.
  expect((await importCsv(appWith(env.runtime), 'email\nlead-3@example.test\n')).status).toBe(200);
  expect(await outbox()).toEqual([]);
  expect(await endedRuns(journeyId, await contactByEmail('lead-3@example.test'), 1)).toHaveLength(
    1,
  );
}, 60_000);

it('contact edits, bulk tags, tag renames and static members keep their facts in the outbox until dispatched', async () => {
  const segmentId = await staticSegment('Hand-picked');
  const { journeyId } = await publish(
    env,
    tagOn({ kind: 'trigger.segment_entered', config: { segmentId } }, 'picked'),
  );
  const normal = appWith(env.runtime);
  const createdIds: string[] = [];
  for (const email of ['edit-1@example.test', 'edit-2@example.test']) {
    const created = await normal.call('POST', '/api/contacts', { email });
    createdIds.push((created.body as { contact: { id: string } }).contact.id);
  }
  const [one, two] = createdIds as [string, string];
  expect(await outbox()).toEqual([]);

  const app = appWith(failing);
  const edited = await app.call('PATCH', `/api/contacts/${one}`, {
    properties: { plan: 'pro' },
    tags: { add: ['vip'] },
  });
  expect(edited.status).toBe(200);
  // One row per transaction: the property's, the tag's.
  expect(await outbox()).toEqual([
    { eventIds: [], changeIds: [], contactIds: [one] },
    { eventIds: [], changeIds: [], contactIds: [one] },
  ]);
  const bulk = await app.call('POST', '/api/contacts/tags', {
    contactIds: [one, two],
    add: ['spring'],
  });
  expect(bulk.status).toBe(200);
  expect((await outbox()).at(-1)!.contactIds.sort()).toEqual([one, two].sort());
  const renamed = await app.call('POST', '/api/tags/rename', { tag: 'spring', to: 'summer' });
  expect(renamed.status).toBe(200);
  expect((await outbox()).at(-1)!.contactIds.sort()).toEqual([one, two].sort());
  const added = await app.call('POST', `/api/segments/${segmentId}/members`, {
    contactIds: [two],
  });
  expect(added.status).toBe(200);
  const [entered] = await changesOf(segmentId, two);
  expect((await outbox()).at(-1)!.changeIds).toContain(entered);
  expect(await runsOf(journeyId, two)).toEqual([]);

  expect((await workerSweep()).swept.rows).toBe(5);
  expect(await outbox()).toEqual([]);
  expect(await endedRuns(journeyId, two, 1)).toEqual([
    { status: 'completed', entry: expect.objectContaining({ kind: 'segment', changeId: entered }) },
  ]);

  // Dispatched as usual, none leaves a row.
  expect(
    (await normal.call('PATCH', `/api/contacts/${two}`, { tags: { add: ['x'] } })).status,
  ).toBe(200);
  expect(
    (await normal.call('POST', `/api/segments/${segmentId}/members`, { contactIds: [one] })).status,
  ).toBe(200);
  expect(await outbox()).toEqual([]);
}, 60_000);

it('a scoring save re-checked in the request keeps each step’s changes in the outbox until dispatched', async () => {
  const { segment } = await createSegment(env.db.sql, {
    workspaceId: env.db.workspaceId,
    name: 'Hot leads',
    kind: 'dynamic',
    rule: { kind: 'tag', tag: 'hot', op: 'has' },
    now: new Date(),
  });
  const { journeyId } = await publish(
    env,
    tagOn({ kind: 'trigger.segment_entered', config: { segmentId: segment.id } }, 'hot-lead'),
  );
  const normal = appWith(env.runtime);
  const created = await normal.call('POST', '/api/contacts', { email: 'hot@example.test' });
  const hot = (created.body as { contact: { id: string } }).contact.id;
  expect((await normal.call('PATCH', `/api/contacts/${hot}`, { scoreDelta: 10 })).status).toBe(200);
  expect(await outbox()).toEqual([]);

  // Temporal out of reach: the re-check runs in the request; its dispatches fail.
  const down = await unreachableTemporal();
  try {
    const app = createTestApp({
      db: env.db,
      temporal: { client: down.client, taskQueue: env.temporal.taskQueue },
      dispatcher: failing,
      overrides: { log: (line) => lines.push(line) },
    });
    const saved = await app.call('PUT', '/api/scoring', {
      rules: [],
      tags: [{ tag: 'hot', minScore: 5 }],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.recheck).toMatchObject({ status: 'done', error: null });
  } finally {
    await down.close();
  }
  const [entered] = await changesOf(segment.id, hot);
  expect(entered).toBeDefined();
  const rows = await outbox();
  expect(rows.flatMap((r) => r.contactIds)).toContain(hot);
  expect(rows.flatMap((r) => r.changeIds)).toContain(entered);
  expect(await runsOf(journeyId, hot)).toEqual([]);

  await workerSweep();
  expect(await outbox()).toEqual([]);
  expect(await endedRuns(journeyId, hot, 1)).toEqual([
    { status: 'completed', entry: expect.objectContaining({ kind: 'segment', changeId: entered }) },
  ]);
}, 60_000);

it('a journey step that moved the contact into a segment and stopped before recording it leaves the entry to the worker’s sweep', async () => {
  const segmentId = await staticSegment('Moved by a journey');
  const { journeyId: follower } = await publish(
    env,
    tagOn({ kind: 'trigger.segment_entered', config: { segmentId } }, 'moved'),
  );
  // A run to act for: it waits, so its step is made here, by hand, as the activity makes it.
  const d = createDocumentBuilder('Waiting', { entryPolicy: { kind: 'after_exit' } });
  d.node('trigger', 'trigger.event', { event: 'promo.seen' }, 0, 0);
  d.node('wait', 'wait.delay', { duration: '2h' }, 0, 1);
  d.node('exit', 'logic.exit', {}, 0, 2);
  d.edge('trigger', 'wait');
  d.edge('wait', 'exit');
  const { journeyId } = await publish(env, d.build());
  const created = await appWith(env.runtime).call('POST', '/api/contacts', {
    email: 'mover@example.test',
  });
  const contactId = (created.body as { contact: { id: string } }).contact.id;
  await recordEvents(env.db.sql, env.db.workspaceId, [{ contactId, name: 'promo.seen' }], {
    dispatcher: env.runtime,
  });
  const run = (await eventually(
    async () =>
      (
        await env.db.sql<{ runId: string; workflowId: string; versionId: string }[]>`
          select id as run_id, workflow_id, version_id from journey_runs
          where journey_id = ${journeyId} and contact_id = ${contactId}`
      )[0],
  ))!;
  const input = {
    run: { ...run, workspaceId: env.db.workspaceId, journeyId, contactId },
    records: [],
    current: { nodeId: 'move', visit: 1 },
    at: Date.now(),
    guard: null,
    node: { id: 'move', kind: 'action.segment', config: { add: [segmentId], remove: [] } },
    key: `${run.workflowId}:${run.runId}:move:1`,
    entry: { kind: 'event', eventId: '0' },
  } as unknown as Parameters<typeof performSegmentAction>[1];
  await env.db.sql`delete from journey_outbox`;

  // The membership commits, then the worker stops before the step is recorded as done.
  const stopping = {
    ...facts,
    changeStaticMembership: async (...args: Parameters<typeof facts.changeStaticMembership>) => {
      await facts.changeStaticMembership(...args);
      throw new Error('the worker stopped');
    },
  };
  const deps = { sql: env.db.sql, runtime: env.runtime, facts };
  await expect(performSegmentAction({ ...deps, facts: stopping }, input)).rejects.toThrow(
    'the worker stopped',
  );
  const [entered] = await changesOf(segmentId, contactId);
  expect(entered).toBeDefined();
  expect((await outbox()).flatMap((r) => r.changeIds)).toContain(entered);
  // Temporal's retry finds the contact in the segment already: nothing changes, nothing to tell.
  const retried = await performSegmentAction(deps, input);
  expect(retried).toMatchObject({ outcome: 'done', result: { changeIds: [] } });
  expect(await runsOf(follower, contactId)).toEqual([]);

  await workerSweep();
  expect(await outbox()).toEqual([]);
  expect(await endedRuns(follower, contactId, 1)).toEqual([
    { status: 'completed', entry: expect.objectContaining({ kind: 'segment', changeId: entered }) },
  ]);
}, 60_000);

it('a segment rule edit keeps its rebuild in the outbox (segment and change range, not its ids) until dispatched', async () => {
  const normal = appWith(env.runtime);
  const created = await normal.call('POST', '/api/segments', {
    kind: 'dynamic',
    name: 'Gold plan',
    rule: { kind: 'property', property: 'plan', op: 'eq', value: 'gold' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const segmentId = (created.body as { id: string }).id;
  const { journeyId } = await publish(
    env,
    tagOn({ kind: 'trigger.segment_entered', config: { segmentId } }, 'gold'),
  );
  const members: string[] = [];
  for (const email of ['gold-1@example.test', 'gold-2@example.test']) {
    const contact = await normal.call('POST', '/api/contacts', {
      email,
      properties: { plan: 'platinum' },
    });
    members.push((contact.body as { contact: { id: string } }).contact.id);
  }
  await eventually(async () => ((await outbox()).length === 0 ? true : null));

  // The rule now matches both; the background dispatch of the rebuild fails.
  const edited = await appWith(failing).call('PATCH', `/api/segments/${segmentId}`, {
    rule: { kind: 'property', property: 'plan', op: 'eq', value: 'platinum' },
  });
  expect(edited.status, JSON.stringify(edited.body)).toBe(200);
  const rows = await env.db.sql<
    { rebuilds: { segmentId: string; first: string; last: string }[] }[]
  >`
    select rebuilds from journey_outbox`;
  expect(rows).toHaveLength(1);
  expect(rows[0]!.rebuilds).toEqual([
    { segmentId, first: expect.any(String), last: expect.any(String) },
  ]);
  await new Promise((r) => setTimeout(r, 300));
  expect(await outbox()).toHaveLength(1);
  for (const member of members) expect(await runsOf(journeyId, member)).toEqual([]);

  const { swept } = await workerSweep();
  expect(swept).toEqual({ rows: 1, dispatches: 1 });
  expect(await outbox()).toEqual([]);
  for (const member of members) {
    const [entered] = await changesOf(segmentId, member);
    expect(await endedRuns(journeyId, member, 1)).toEqual([
      {
        status: 'completed',
        entry: expect.objectContaining({ kind: 'segment', changeId: entered }),
      },
    ]);
  }

  // Dispatched as usual, the rebuild's row goes once its changes went out.
  const back = await normal.call('PATCH', `/api/segments/${segmentId}`, {
    rule: { kind: 'property', property: 'plan', op: 'eq', value: 'gold' },
  });
  expect(back.status).toBe(200);
  await eventually(async () => ((await outbox()).length === 0 ? true : null));
}, 60_000);
