import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reconcileSegments } from '@relance/db';
import { createTestApp, TEST_ADMIN_TOKEN } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { dropWhileItsStatementWaits } from '../../support/held-statements';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
const recorded = createRecordingDispatcher();
let call: ReturnType<typeof createTestApp>['call'];
let app: ReturnType<typeof createTestApp>['app'];
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call, app } = createTestApp({ db, temporal, dispatcher: recorded.dispatcher }));
  for (const [key, plan] of [
    ['p1', 'pro'],
    ['p2', 'pro'],
    ['p3', 'pro'],
    ['f1', 'free'],
  ] as const) {
    const created = await call('POST', '/api/contacts', {
      email: `${key}@x.test`,
      properties: { plan },
    });
    ids[key] = created.body.contact.id;
  }
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const proRule = { kind: 'property', property: 'plan', op: 'eq', value: 'pro' };

describe('segments API', () => {
  it('lists the built-in segments with their counts', async () => {
    const response = await call('GET', '/api/segments');
    expect(response.status).toBe(200);
    const prospects = response.body.segments.find(
      (s: { builtin: string }) => s.builtin === 'prospects',
    );
    expect(prospects).toMatchObject({
      kind: 'dynamic',
      memberCount: 4,
      totalContacts: 4,
      share: 1,
    });
    expect(prospects.warning).toContain('more than half');
  });

  it('previews a rule: count, share, warning and a sample', async () => {
    const response = await call('POST', '/api/segments/preview', { rule: proRule });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      count: 3,
      memberCount: 3,
      totalContacts: 4,
      share: 0.75,
    });
    expect(response.body.warning).toContain('75%');
    expect(response.body.sample).toHaveLength(3);
    expect(response.body.sample[0]).toMatchObject({
      email: expect.stringMatching(/@x\.test$/),
      properties: { plan: 'pro' },
    });
  });

  it('cancels the statement of a preview whose client went away', async () => {
    // A preview stuck behind a lock stands for one that takes seconds over a large base.
    const lines: string[] = [];
    const logged = createTestApp({
      db,
      temporal,
      dispatcher: recorded.dispatcher,
      overrides: { log: (line) => lines.push(line) },
    });
    await dropWhileItsStatementWaits({
      sql: db.sql,
      fetch: logged.app.fetch,
      table: 'contacts',
      statement: 'with m as',
      path: '/api/segments/preview',
      init: {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ rule: proRule }),
      },
    });
    await vi.waitFor(() =>
      expect(lines).toContainEqual(
        expect.stringContaining('the client closed the request, so its work was stopped'),
      ),
    );
    expect(lines.filter((line) => line.includes('failed'))).toEqual([]);
  });

  it('creates a dynamic segment, evaluates it at once and logs each entry', async () => {
    const response = await call('POST', '/api/segments', {
      kind: 'dynamic',
      name: 'Pro plan',
      rule: proRule,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      name: 'Pro plan',
      kind: 'dynamic',
      memberCount: 3,
      share: 0.75,
    });
    ids.pro = response.body.id;
    const changes = await call('GET', `/api/segments/${ids.pro}/changes`);
    expect(changes.body.changes).toHaveLength(3);
    expect(changes.body.changes[0]).toMatchObject({ change: 'entered', cause: 'rule' });
    // Pages, newest first: the next page starts below the last change shown.
    const first = await call('GET', `/api/segments/${ids.pro}/changes?limit=2`);
    expect(first.body.changes).toHaveLength(2);
    const rest = await call('GET', `/api/segments/${ids.pro}/changes?before=${first.body.next}`);
    expect(rest.body.changes).toHaveLength(1);
    expect([...first.body.changes, ...rest.body.changes].map((c: { id: string }) => c.id)).toEqual(
      changes.body.changes.map((c: { id: string }) => c.id),
    );
  });

  it('re-evaluates when the rule changes', async () => {
    const response = await call('PATCH', `/api/segments/${ids.pro}`, {
      rule: { kind: 'property', property: 'plan', op: 'in', value: ['pro', 'free'] },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ memberCount: 4, share: 1 });
  });

  it('keeps static members by API and refuses that on a dynamic segment', async () => {
    const created = await call('POST', '/api/segments', { kind: 'static', name: 'Webinar guests' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const added = await call('POST', `/api/segments/${id}/members`, {
      contactIds: [ids.p1, ids.f1, '00000000-0000-4000-8000-000000000001'],
    });
    expect(added.body).toEqual({
      added: 2,
      unknownContactIds: ['00000000-0000-4000-8000-000000000001'],
    });
    const members = await call('GET', `/api/segments/${id}/members`);
    expect(members.body.members.map((m: { id: string }) => m.id).sort()).toEqual(
      [ids.p1, ids.f1].sort(),
    );
    const removed = await call('DELETE', `/api/segments/${id}/members`, {
      contactIds: [ids.p1],
      cause: 'manual',
    });
    expect(removed.body).toEqual({ removed: 1, unknownContactIds: [] });
    // The change log says who made each change: an integration (the default) or a person.
    const log = await call('GET', `/api/segments/${id}/changes`);
    expect(
      log.body.changes.map((c: { contactId: string; change: string; cause: string }) => [
        c.contactId,
        c.change,
        c.cause,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [ids.p1, 'entered', 'api'],
        [ids.p1, 'exited', 'manual'],
      ]),
    );
    const badCause = await call('POST', `/api/segments/${id}/members`, {
      contactIds: [ids.p1],
      cause: 'robot',
    });
    expect(badCause.status).toBe(400);
    expect(badCause.body.error.issues).toEqual([
      { field: 'cause', message: 'The cause is "api" (the default) or "manual"' },
    ]);
    const dynamic = await call('POST', `/api/segments/${ids.pro}/members`, {
      contactIds: [ids.p1],
    });
    expect(dynamic.status).toBe(409);
    expect(dynamic.body.error.code).toBe('not_static');
    ids.guests = id;
  });

  it.each([
    ['a missing name', { kind: 'static' }, 'name'],
    ['a dynamic segment without a rule', { kind: 'dynamic', name: 'x' }, 'rule'],
    ['an unknown kind', { kind: 'smart', name: 'x' }, 'kind'],
    [
      'a malformed rule',
      { kind: 'dynamic', name: 'x', rule: { kind: 'property', property: 'plan', op: 'eq' } },
      'rule.value',
    ],
    [
      'a rule reading a segment that does not exist',
      {
        kind: 'dynamic',
        name: 'x',
        rule: { kind: 'segment', op: 'in', segmentId: '00000000-0000-4000-8000-000000000002' },
      },
      'rule.segmentId',
    ],
  ])('refuses %s with 400 naming %s', async (_name, body, field) => {
    const response = await call('POST', '/api/segments', body);
    expect(response.status).toBe(400);
    expect(response.body.error.issues.map((i: { field: string }) => i.field)).toContain(field);
  });

  it('refuses a duplicate name with 409', async () => {
    const response = await call('POST', '/api/segments', { kind: 'static', name: 'pro PLAN' });
    expect(response.status).toBe(409);
    expect(response.body.error.issues).toEqual([
      { field: 'name', message: expect.stringContaining('already exists') },
    ]);
  });

  it('refuses a cycle of segments with 400 naming the rule', async () => {
    const reader = await call('POST', '/api/segments', {
      kind: 'dynamic',
      name: 'Guests on pro',
      rule: {
        kind: 'all',
        conditions: [
          { kind: 'segment', op: 'in', segmentId: ids.pro },
          { kind: 'segment', op: 'in', segmentId: ids.guests },
        ],
      },
    });
    expect(reader.status).toBe(201);
    expect(reader.body.memberCount).toBe(1);
    const cycle = await call('PATCH', `/api/segments/${ids.pro}`, {
      rule: { kind: 'not', condition: { kind: 'segment', op: 'in', segmentId: reader.body.id } },
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error).toMatchObject({ code: 'segment_cycle', issues: [{ field: 'rule' }] });
    expect(cycle.body.error.message).toContain('Pro plan → Guests on pro → Pro plan');
    const inUse = await call('DELETE', `/api/segments/${ids.pro}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.message).toContain('Guests on pro');
  });

  it('refuses "since they entered the journey" in a rule, a preview or a search, naming the field', async () => {
    const rule = {
      kind: 'all',
      conditions: [
        proRule,
        {
          kind: 'event_count',
          event: 'order.completed',
          op: 'exactly',
          count: 0,
          sinceEntry: true,
        },
      ],
    };
    const message = 'Only a journey can count since the contact entered it: choose a time window';
    const created = await call('POST', '/api/segments', {
      kind: 'dynamic',
      name: 'No entry',
      rule,
    });
    expect(created.status).toBe(400);
    expect(created.body.error.issues).toEqual([
      expect.objectContaining({ field: 'rule.conditions.1.sinceEntry', message }),
    ]);
    const preview = await call('POST', '/api/segments/preview', { rule });
    expect(preview.status).toBe(400);
    expect(preview.body.error.issues).toEqual([
      expect.objectContaining({ field: 'rule.conditions.1.sinceEntry', message }),
    ]);
  });

  it('deletes a segment nobody reads and 404s afterwards', async () => {
    const created = await call('POST', '/api/segments', { kind: 'static', name: 'Scratch' });
    expect((await call('DELETE', `/api/segments/${created.body.id}`)).status).toBe(204);
    expect((await call('GET', `/api/segments/${created.body.id}`)).status).toBe(404);
    expect((await call('GET', '/api/segments/not-a-uuid')).status).toBe(400);
  });

  it('needs the admin token', async () => {
    expect((await call('GET', '/api/segments', undefined, null)).status).toBe(401);
  });
});

describe('segment export', () => {
  it('streams every member as CSV, a page of 1,000 after another, with cells that are safe to open', async () => {
    const list = await call('POST', '/api/segments', { kind: 'static', name: 'Webinar, autumn' });
    // 1,005 members through an import, two of them with awkward values.
    const rows = Array.from({ length: 1_003 }, (_, i) => `m${i}@x.test,Plain ${i},`);
    rows.push('quote@x.test,"Said ""hi"", twice",');
    rows.push('formula@x.test,=HYPERLINK("http://evil.test"),-3');
    const imported = await app.request(
      `/api/contacts/import?segmentId=${list.body.id}&mapping=${encodeURIComponent(JSON.stringify({ balance: { property: 'balance', type: 'number' } }))}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/csv' },
        body: ['email,company,balance', ...rows].join('\n'),
      },
    );
    expect(imported.status, await imported.clone().text()).toBe(200);

    const response = await app.request(`/api/segments/${list.body.id}/export`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('Webinar-autumn.csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A byte-order mark first, so that spreadsheets read the file as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 5)).toEqual(['email', 'external_id', 'member_since', 'score', 'tags']);
    expect(header).toEqual(expect.arrayContaining(['company', 'balance', 'plan']));
    expect(lines).toHaveLength(1 + 1_005 + 1);
    const emails = new Set(lines.slice(1, -1).map((l) => l.split(',')[0]));
    expect(emails.size).toBe(1_005);
    const company = header.indexOf('company');
    const balance = header.indexOf('balance');
    const quoted = lines.find((l) => l.startsWith('quote@x.test'))!;
    expect(quoted).toContain('"Said ""hi"", twice"');
    const formula = lines.find((l) => l.startsWith('formula@x.test'))!.split(',');
    // The formula a contact could type is defused; the number Relance stored stays a number.
    expect(formula[company]).toBe(`"'=HYPERLINK(""http://evil.test"")"`);
    expect(formula[balance]).toBe('-3');
  });

  it('answers 404 for a segment that does not exist', async () => {
    const response = await call('GET', '/api/segments/00000000-0000-4000-8000-000000000000/export');
    expect(response.status).toBe(404);
  });
});

describe('properties and scoring', () => {
  it('registers properties with their types as they arrive', async () => {
    await call('POST', '/api/contacts', {
      email: 'typed@x.test',
      properties: { seats: 3, trial_ends: '2025-09-01', beta: true },
    });
    const response = await call('GET', '/api/properties');
    const types = Object.fromEntries(
      response.body.contact.map((p: { name: string; type: string }) => [p.name, p.type]),
    );
    expect(types).toMatchObject({
      plan: 'string',
      seats: 'number',
      trial_ends: 'date',
      beta: 'boolean',
    });
    const declared = await call('PUT', '/api/properties/contact/plan', {
      type: 'string',
      description: 'Billing plan',
    });
    expect(declared.body).toMatchObject({ declared: true, description: 'Billing plan' });
    const bad = await call('PUT', '/api/properties/contact/plan', { type: 'money' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].field).toBe('type');
  });

  it('replaces scoring rules and re-scores the base', async () => {
    const current = await call('GET', '/api/scoring');
    expect(current.body.rules.length).toBeGreaterThan(0);
    const response = await call('PUT', '/api/scoring', {
      rules: [{ name: 'Pro plan signup', event: '$identify', points: 0 }],
      tags: [],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0].field).toBe('rules.0.points');
    const ok = await call('PUT', '/api/scoring', {
      rules: [{ name: 'Clicks', event: 'email.clicked', points: 3 }],
      tags: [{ tag: 'hot', minScore: 1 }],
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      rules: [{ name: 'Clicks', event: 'email.clicked', points: 3 }],
      tags: [{ tag: 'hot', minScore: 1 }],
    });
  });

  it('tells what the latest full reconciliations repaired, newest first', async () => {
    const created = await call('POST', '/api/segments', {
      kind: 'dynamic',
      name: 'Pro plan (drift)',
      rule: proRule,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // Drift no settle would cause: a member lost, and a member who should not be there.
    await db.sql`delete from segment_members where segment_id = ${id} and contact_id = ${ids.p1!}`;
    await db.sql`
      insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
      values (${id}, ${ids.f1!}, ${db.workspaceId}, now())`;
    await reconcileSegments(db.sql, { now: new Date(), workspaceId: db.workspaceId });
    await reconcileSegments(db.sql, { now: new Date(), workspaceId: db.workspaceId });

    const response = await call('GET', '/api/segments/reconciliations?limit=2');
    expect(response.status).toBe(200);
    const [latest, before] = response.body.reconciliations;
    expect(latest).toMatchObject({ scoresFixed: 0, segments: [] });
    expect(before.segments).toEqual([
      { segmentId: id, segmentName: 'Pro plan (drift)', entered: 1, exited: 1 },
    ]);
    expect(Date.parse(before.finishedAt)).toBeGreaterThanOrEqual(Date.parse(before.startedAt));
    const bad = await call('GET', '/api/segments/reconciliations?limit=500');
    expect(bad.body.error.issues).toEqual([
      { field: 'query.limit', message: 'The limit is at most 50' },
    ]);
  });
  it('tells a segment’s size at the end of each day, by the workspace’s calendar', async () => {
    const created = await call('POST', '/api/segments', { kind: 'static', name: 'History' });
    const id = created.body.id as string;
    const [{ zone } = { zone: 'UTC' }] = await db.sql<{ zone: string }[]>`
      select timezone as zone from workspaces where id = ${db.workspaceId}`;
    await db.sql`update workspaces set timezone = 'Asia/Tokyo' where id = ${db.workspaceId}`;
    try {
      const contacts = await db.sql<{ id: string }[]>`
        insert into contacts (workspace_id, email)
        select ${db.workspaceId}, 'history-' || n || '@x.test' from generate_series(1, 3) n
        returning id`;
      const [a, b, c] = contacts.map((r) => r.id);
      // Half past midnight in Tokyo, k days ago: still the day before in UTC.
      const change = (contact: string, change: string, daysAgo: number, time: string) => db.sql`
        insert into segment_changes (workspace_id, segment_id, contact_id, change, at, cause)
        values (${db.workspaceId}, ${id}, ${contact}, ${change},
          (((now() at time zone 'Asia/Tokyo')::date - ${daysAgo}::int)::timestamp + ${time}::text::time)
            at time zone 'Asia/Tokyo', 'api')`;
      await change(a!, 'entered', 3, '00:30');
      await change(c!, 'entered', 2, '00:30');
      await change(b!, 'entered', 1, '00:30');
      await change(c!, 'exited', 0, '00:00');
      await db.sql`
        insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
        values (${id}, ${a!}, ${db.workspaceId}, now()), (${id}, ${b!}, ${db.workspaceId}, now())`;

      const response = await call('GET', `/api/segments/${id}/history?days=4`);
      expect(response.status).toBe(200);
      const [{ today } = { today: '' }] = await db.sql<{ today: string }[]>`
        select to_char((now() at time zone 'Asia/Tokyo')::date, 'YYYY-MM-DD') as today`;
      const day = (back: number) =>
        new Date(Date.parse(`${today}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);
      expect(response.body).toEqual({
        timezone: 'Asia/Tokyo',
        days: [
          { day: day(3), members: 1 },
          { day: day(2), members: 2 },
          { day: day(1), members: 3 },
          { day: day(0), members: 2 },
        ],
      });
    } finally {
      await db.sql`update workspaces set timezone = ${zone} where id = ${db.workspaceId}`;
    }
    const unknown = await call('GET', '/api/segments/00000000-0000-4000-8000-000000000001/history');
    expect(unknown.status).toBe(404);
    const tooLong = await call('GET', `/api/segments/${id}/history?days=365`);
    expect(tooLong.body.error.issues).toEqual([
      { field: 'query.days', message: 'The number of days is at most 90' },
    ]);
  });
});
