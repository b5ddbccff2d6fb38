// Saving a setting that rules read (the scoring rules, the workspace's time zone) answers once
// it is stored; the real worker then re-checks the base (workflow `settingsRecheck`, the real
// activities), and the re-check's progress and end are read back through the API. Moves are
// logged with the setting's cause, not as a scheduled repair. With Temporal out of reach the
// re-check runs in the request instead, so the setting applies all the same.
import { beforeAll, expect, it } from 'vitest';
import { ingestMessages, settleContacts } from '@relance/db';
import { createTestApp } from '../../support/app';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { eventually, unreachableTemporal, useJourneyEnv } from '../journeys/harness';

const env = useJourneyEnv({ worker: true });
let call: ReturnType<typeof createTestApp>['call'];

beforeAll(() => {
  ({ call } = createTestApp({ db: env.db, temporal: env.temporal, dispatcher: env.runtime }));
});

/** The re-check as GET `path` tells it once it has ended. */
async function ended(path: string, field: string) {
  let recheck: Record<string, unknown> = {};
  await eventually(async () => {
    recheck = (await call('GET', path)).body[field] as Record<string, unknown>;
    return recheck.status !== 'running';
  }, 60_000);
  return recheck;
}

/** A contact who clicked `clicks` times, settled as ingestion settles it. */
async function clicker(userId: string, clicks: number) {
  const now = new Date();
  const ingested = await ingestMessages(
    env.db.sql,
    env.db.workspaceId,
    Array.from({ length: clicks }, () => ({
      type: 'track' as const,
      identity: { userId },
      event: 'email.clicked',
      properties: {},
      occurredAt: now,
    })),
  );
  await settleContacts(env.db.sql, {
    workspaceId: env.db.workspaceId,
    contactIds: ingested.contactIds,
    now,
    cause: 'ingest',
  });
  return ingested.contactIds[0]!;
}

const segmentOf = async (name: string, rule: object) => {
  const created = await call('POST', '/api/segments', { kind: 'dynamic', name, rule });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
};

it('saves the scoring rules at once, then the worker re-scores the base and moves the segments', async () => {
  await clicker('ann', 2);
  await clicker('bob', 1);
  const hot = await segmentOf('Hot leads', { kind: 'tag', op: 'has', tag: 'hot' });
  expect((await call('GET', `/api/segments/${hot}`)).body.memberCount).toBe(0);

  // 4 points a click (the built-in rules give 3); "hot" from 5: ann (8) is hot, bob (4) is not.
  const saved = await call('PUT', '/api/scoring', {
    rules: [{ name: 'Clicks', event: 'email.clicked', points: 4 }],
    tags: [{ tag: 'hot', minScore: 5 }],
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  expect(saved.body.rules).toEqual([{ name: 'Clicks', event: 'email.clicked', points: 4 }]);
  expect(['running', 'done']).toContain(saved.body.recheck.status);

  const recheck = await ended('/api/scoring', 'recheck');
  expect(recheck).toMatchObject({ cause: 'scoring', status: 'done', error: null });
  expect(recheck).toMatchObject({ scoresChanged: 2, membershipsChanged: 1 });
  expect(recheck.finishedAt).not.toBeNull();
  const log = await call('GET', `/api/segments/${hot}/changes`);
  expect(log.body.changes).toMatchObject([{ change: 'entered', cause: 'scoring' }]);
  const [ann] = await env.db.sql<{ score: number; tags: string[] }[]>`
    select score, tags from contacts where external_id = 'ann'`;
  expect(ann).toMatchObject({ score: 8, tags: ['hot'] });
  // A save is no repair: the reconciliations list stays as it was.
  expect((await call('GET', '/api/segments/reconciliations')).body.reconciliations).toEqual([]);
});

it('reads date rules in a new time zone once the worker has re-checked the segments', async () => {
  expect((await call('PUT', '/api/properties/contact/renewal', { type: 'date' })).status).toBe(200);
  const eve = await call('POST', '/api/contacts', {
    email: 'eve@x.test',
    properties: { renewal: '2026-03-09T23:30:00Z', renews: '2026-07-01' },
  });
  expect(eve.status, JSON.stringify(eve.body)).toBe(201);
  const segment = await segmentOf('Renewing before 10 March', {
    kind: 'property',
    property: 'renewal',
    op: 'before',
    value: '2026-03-10',
  });
  const count = async () =>
    (await call('GET', `/api/segments/${segment}`)).body.memberCount as number;
  // 23:30 UTC on 9 March is before 10 March in UTC…
  expect(await count()).toBe(1);
  expect((await call('GET', '/api/workspace')).body.timezoneRecheck).toBeNull();

  const changed = await call('PATCH', '/api/workspace', { timezone: 'Asia/Tokyo' });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  expect(changed.body).toMatchObject({ timezone: 'Asia/Tokyo', changed: ['timezone'] });
  const recheck = await ended('/api/workspace', 'timezoneRecheck');
  expect(recheck).toMatchObject({ cause: 'timezone', status: 'done', membershipsChanged: 1 });
  // …and already 10 March in Tokyo. The timeline says why she left.
  expect(await count()).toBe(0);
  const log = await call('GET', `/api/segments/${segment}/changes`);
  expect(log.body.changes).toMatchObject([
    { email: 'eve@x.test', change: 'exited', cause: 'timezone' },
    { email: 'eve@x.test', change: 'entered', cause: 'rule' },
  ]);
  // Her wall-clock dates are indexed at their instants in Tokyo, where the tick's crossing
  // windows and the anniversary triggers look for them.
  const [renews] = await env.db.sql<{ at: Date; monthDay: number }[]>`
    select d.at, d.month_day from contact_date_properties d
    where d.contact_id = ${eve.body.contact.id as string} and d.name = 'renews'`;
  expect(renews).toEqual({ at: new Date('2026-06-30T15:00:00Z'), monthDay: 701 });
  // A save of other settings starts no re-check.
  await call('PATCH', '/api/workspace', { name: 'Acme Shop' });
  expect((await call('GET', '/api/workspace')).body.timezoneRecheck).toEqual(recheck);
});

it('re-checks in the request when the worker cannot be reached', async () => {
  await clicker('cid', 3);
  const down = await unreachableTemporal();
  const recorded = createRecordingDispatcher();
  try {
    const test = createTestApp({
      db: env.db,
      temporal: { client: down.client, taskQueue: env.temporal.taskQueue },
      dispatcher: recorded.dispatcher,
    });
    // 3 points a click, "hot" from 9: cid's 3 clicks keep her hot, ann's 2 no more.
    const saved = await test.call('PUT', '/api/scoring', {
      rules: [{ name: 'Clicks', event: 'email.clicked', points: 3 }],
      tags: [{ tag: 'hot', minScore: 9 }],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.recheck).toMatchObject({ status: 'done', error: null });
    expect(saved.body.recheck).toMatchObject({ scoresChanged: 3, membershipsChanged: 1 });
  } finally {
    await down.close();
  }
  const people = await env.db.sql<{ id: string; externalId: string; tags: string[] }[]>`
    select id, external_id, tags from contacts where external_id in ('ann', 'cid') order by 2`;
  expect(people.map(({ externalId, tags }) => ({ externalId, tags }))).toEqual([
    { externalId: 'ann', tags: [] },
    { externalId: 'cid', tags: ['hot'] },
  ]);
  // The journeys were told of every score moved and of ann leaving the hot leads.
  expect(recorded.calls.contacts).toHaveLength(3);
  expect(recorded.calls.contacts).toContain(people[0]!.id);
  const [left] = await env.db.sql<{ id: string }[]>`
    select g.id::text from segment_changes g join contacts c on c.id = g.contact_id
    where c.external_id = 'ann' and g.cause = 'scoring' and g.change = 'exited'`;
  expect(recorded.calls.segmentChanges).toEqual([left!.id]);
});

it('takes a dropped or renamed score tag off the contacts at once; the worker gives the new one', async () => {
  const recorded = createRecordingDispatcher();
  const test = createTestApp({
    db: env.db,
    temporal: env.temporal,
    dispatcher: recorded.dispatcher,
  });
  const rules = [{ name: 'Clicks', event: 'email.clicked', points: 3 }];
  expect(
    (await test.call('PUT', '/api/scoring', { rules, tags: [{ tag: 'keen', minScore: 1 }] }))
      .status,
  ).toBe(200);
  await ended('/api/scoring', 'recheck');
  const created = await test.call('POST', '/api/contacts', { email: 'keen@x.test', tags: ['vip'] });
  const id = created.body.contact.id as string;
  expect((await test.call('PATCH', `/api/contacts/${id}`, { scoreDelta: 5 })).status).toBe(200);
  const tagsOf = async () => (await test.call('GET', `/api/contacts/${id}`)).body.tags as string[];
  expect(await tagsOf()).toEqual(['vip', 'keen']);
  const keen = await segmentOf('Keen', { kind: 'tag', op: 'has', tag: 'keen' });
  recorded.calls.contacts.length = 0;

  const renamed = await test.call('PUT', '/api/scoring', {
    rules,
    tags: [{ tag: 'eager', minScore: 1 }],
  });
  expect(renamed.status).toBe(200);
  // Taken off in the save itself, and the journeys told.
  expect(recorded.calls.contacts).toContain(id);
  expect((await tagsOf()).includes('keen')).toBe(false);
  await ended('/api/scoring', 'recheck');
  expect(await tagsOf()).toEqual(['vip', 'eager']);
  expect((await test.call('GET', `/api/segments/${keen}`)).body.memberCount).toBe(0);
});
