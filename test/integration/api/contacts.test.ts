import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { dropWhileItsStatementWaits } from '../../support/held-statements';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
const recorded = createRecordingDispatcher();
let test: ReturnType<typeof createTestApp>;
let writeKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  test = createTestApp({ db, temporal, dispatcher: recorded.dispatcher });
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const csv = (text: string, query = '') =>
  test.app.request(`/api/contacts/import${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/csv' },
    body: text,
  });

async function track(body: object) {
  await test.app.request('/v1/track', {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('CSV import', () => {
  it('maps headers, types values, dedupes, adds to a static segment and reports rejected rows and skipped values', async () => {
    await test.call('PUT', '/api/properties/contact/seats', { type: 'number' });
    const segment = await test.call('POST', '/api/segments', { kind: 'static', name: 'Imported' });
    const mapping = encodeURIComponent(
      JSON.stringify({ 'Full name': 'name', Customer: { property: 'customer', type: 'boolean' } }),
    );
    const response = await csv(
      [
        'Email,Full name,Seats,Customer,Tags,Signed up',
        'ADA@x.test,Ada Lovelace,3,yes,"vip, beta",2024-05-01',
        'bob@x.test,Bob,many,no,,2024-05-02',
        'not-an-email,Nobody,1,no,,',
        'ada@x.test,Ada L.,4,yes,newsletter,',
        ',No identity,1,no,,',
      ].join('\n'),
      `?segmentId=${segment.body.id}&mapping=${mapping}`,
    );
    expect(response.status).toBe(200);
    const report = (await response.json()) as any;
    expect(report).toMatchObject({
      rows: 5,
      created: 2,
      updated: 1,
      rejected: 2,
      rowsWithSkippedValues: 1,
    });
    // Bob is imported without the seats the file could not say.
    expect(report.warnings).toEqual([
      { line: 3, field: 'Seats', reason: '"many" is not a number' },
    ]);
    expect(report.rejections).toEqual([
      { line: 4, field: 'Email', reason: '"not-an-email" is not an email address' },
      { line: 6, field: 'email', reason: 'The row has neither an email nor an external id' },
    ]);
    expect(report.columns).toContainEqual({ header: 'Seats', target: 'seats', type: 'number' });
    const list = await test.call('GET', `/api/contacts?segmentId=${segment.body.id}`);
    expect(list.body.contacts).toHaveLength(2);
    const byEmail = (email: string) =>
      list.body.contacts.find((c: { email: string }) => c.email === email);
    expect(byEmail('bob@x.test').properties).toEqual({
      name: 'Bob',
      customer: false,
      signed_up: '2024-05-02',
    });
    expect(byEmail('ada@x.test')).toMatchObject({
      email: 'ada@x.test',
      properties: { name: 'Ada L.', seats: 4, customer: true, signed_up: '2024-05-01' },
      tags: ['vip', 'beta', 'newsletter'],
    });
  });

  it('creates new contacts with their fields, time zone, stage and dates as the rows give them', async () => {
    const response = await csv(
      [
        'Email,Birthday,Time zone,Lifecycle stage,Plan,Tags',
        'zoe@x.test,1990-03-14,Asia/Tokyo,lead,free,"a, b"',
        'zoe@x.test,,,customer,,c',
        'yan@x.test,1985-12-01,,,team,',
      ].join('\n'),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ rows: 3, created: 2, updated: 1, rejected: 0 });
    const rows = await db.sql<
      {
        email: string;
        properties: object;
        tags: string[];
        timezone: string | null;
        lifecycleStage: string | null;
      }[]
    >`select email, properties, tags, timezone, lifecycle_stage from contacts
      where email in ('zoe@x.test', 'yan@x.test') order by email`;
    expect(rows).toEqual([
      {
        email: 'yan@x.test',
        properties: { birthday: '1985-12-01', plan: 'team' },
        tags: [],
        timezone: null,
        lifecycleStage: null,
      },
      {
        email: 'zoe@x.test',
        properties: { birthday: '1990-03-14', plan: 'free' },
        tags: ['a', 'b', 'c'],
        timezone: 'Asia/Tokyo',
        lifecycleStage: 'customer',
      },
    ]);
    // The dates anniversaries read are indexed in the contact's own zone from the first write.
    const dates = await db.sql<{ email: string; monthDay: number }[]>`
      select c.email, d.month_day from contact_date_properties d join contacts c on c.id = d.contact_id
      where d.name = 'birthday' and c.email in ('zoe@x.test', 'yan@x.test') order by c.email`;
    expect(dates).toEqual([
      { email: 'yan@x.test', monthDay: 1201 },
      { email: 'zoe@x.test', monthDay: 314 },
    ]);
  });

  it('streams 5,000 rows in chunks and reports them', async () => {
    const lines = ['email,plan'];
    for (let i = 0; i < 5_000; i++) lines.push(`bulk${i}@x.test,${i % 2 ? 'pro' : 'free'}`);
    const response = await csv(lines.join('\n'));
    expect((await response.json()) as any).toMatchObject({
      rows: 5_000,
      created: 5_000,
      rejected: 0,
    });
    const [count] = await db.sql`select count(*)::int as n from contacts where email like 'bulk%'`;
    expect(count!.n).toBe(5_000);
    // Answered once every chunk's segments are settled: each new contact is already in
    // "Prospects" (no order yet), the last chunk's too.
    const [prospects] = await db.sql`
      select count(*)::int as n from segment_members m
      join segments s on s.id = m.segment_id join contacts c on c.id = m.contact_id
      where s.builtin = 'prospects' and c.email like 'bulk%'`;
    expect(prospects!.n).toBe(5_000);
  });

  it('refuses only the row holding a null character; the rest of its chunk is stored', async () => {
    const response = await csv(
      [
        'email,note,external_id',
        'nul-a@x.test,fine,',
        'nul-b@x.test,a\u0000b,',
        'nul-c@x.test,,crm\u0000',
      ].join('\n') + '\nnul-d@x.test,also fine,',
    );
    expect(response.status).toBe(200);
    const report = (await response.json()) as any;
    expect(report).toMatchObject({ rows: 4, created: 2, rejected: 2 });
    expect(report.rejections).toEqual([
      { line: 3, field: 'note', reason: expect.stringContaining('null character') },
      { line: 4, field: 'external_id', reason: expect.stringContaining('null character') },
    ]);
    const stored = await db.sql<{ email: string }[]>`
      select email from contacts where email like 'nul-%' order by email`;
    expect(stored.map((r) => r.email)).toEqual(['nul-a@x.test', 'nul-d@x.test']);
  });

  it('reads headers named like what every object has (constructor, toString) as properties', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ valueOf: 'worth' }));
    const response = await csv(
      'email,constructor,toString,valueOf,hasOwnProperty\nproto@x.test,Ada,text,3,yes\n',
      `?mapping=${mapping}`,
    );
    expect(response.status).toBe(200);
    expect((await response.json()) as any).toMatchObject({ created: 1, rejected: 0 });
    const [stored] = await db.sql<{ properties: Record<string, string> }[]>`
      select properties from contacts where email = 'proto@x.test'`;
    expect(stored!.properties).toEqual({
      constructor: 'Ada',
      tostring: 'text',
      worth: '3',
      hasownproperty: 'yes',
    });
  });

  it('reads plain numbers and skips one that could be read two ways, saying how to write it', async () => {
    const mapping = encodeURIComponent(
      JSON.stringify({ n: { property: 'amount', type: 'number' } }),
    );
    const cells = [
      '1500',
      '-3',
      '1500.5',
      '0.125',
      '2.5e3',
      '+7',
      '1,500',
      '1.500',
      '3.141',
      '1,5',
      '1 500',
      '1.500.000',
      '0x10',
      'many',
    ];
    const response = await csv(
      ['email,n', ...cells.map((cell, i) => `num${i}@x.test,"${cell}"`)].join('\n'),
      `?mapping=${mapping}`,
    );
    const report = (await response.json()) as any;
    const stored = await db.sql<{ email: string; amount: number }[]>`
      select email, (properties ->> 'amount')::float8 as amount from contacts
      where email like 'num%' and properties ? 'amount'`;
    expect(
      Object.fromEntries(stored.map((r) => [cells[Number(r.email.slice(3, -7))], r.amount])),
    ).toEqual({
      '1500': 1500,
      '-3': -3,
      '1500.5': 1500.5,
      '0.125': 0.125,
      '2.5e3': 2500,
      '+7': 7,
    });
    const plain =
      'is not a plain number: use a dot for decimals and no thousands separators, such as 1500 or 1500.5';
    // Each contact is imported; the cell it could not read is left out and warned.
    expect(report).toMatchObject({ created: cells.length, rejected: 0 });
    expect(report.warnings.map((r: { reason: string }) => r.reason)).toEqual([
      `"1,500" ${plain}`,
      '"1.500" could be 1.5 or 1500: write 1500, or 1.5 for the decimal number',
      '"3.141" could be 3.141 or 3141: write 3141, or 3.1410 for the decimal number',
      `"1,5" ${plain}`,
      `"1 500" ${plain}`,
      `"1.500.000" ${plain}`,
      '"0x10" is not a number',
      '"many" is not a number',
    ]);
  });

  it('stops at a quote never closed with a clear error instead of reading the rest of the file as one value', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `unclosed${i}@x.test,pro`);
    const response = await csv(
      ['email,plan', 'open-a@x.test,pro', '"open-b@x.test,pro', ...rows].join('\n'),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.error).toMatchObject({
      code: 'invalid_csv',
      issues: [
        {
          field: '(body)',
          message: expect.stringMatching(
            /^The row after line 2 is over 1 MB: a quote \("\) that opens a value is probably never closed/,
          ),
        },
      ],
    });
  });

  it('refuses a dynamic segment as the import target and unreadable CSV', async () => {
    const [prospects] = await db.sql<
      { id: string }[]
    >`select id from segments where builtin = 'prospects'`;
    const dynamic = await csv('email\na@x.test', `?segmentId=${prospects!.id}`);
    expect(dynamic.status).toBe(409);
    const broken = await csv('email,plan\n"unterminated@x.test,pro\n');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as any).error.code).toBe('invalid_csv');
    // A quote inside an unquoted value is read as it stands, not a broken file.
    const quoted = await csv('email,height,offer\nquote@x.test,5\'11",the "best" one\n');
    expect(quoted.status).toBe(200);
    const [stored] = await db.sql<{ properties: Record<string, string> }[]>`
      select properties from contacts where email = 'quote@x.test'`;
    expect(stored!.properties).toMatchObject({ height: '5\'11"', offer: 'the "best" one' });
    // Every parser error is the file's fault (400), whatever the parser's code for it.
    const badQuote = await csv('email,plan\n"a@x.test"x,pro\n');
    expect(badQuote.status).toBe(400);
    expect(((await badQuote.json()) as any).error.code).toBe('invalid_csv');
    const mapping = await csv('email\na@x.test', '?mapping=notjson');
    expect(mapping.status).toBe(400);
    expect(((await mapping.json()) as any).error.issues[0].field).toBe('query.mapping');
    // A target that is none of the kinds says which kinds there are.
    const target = encodeURIComponent(JSON.stringify({ Seats: { property: 'seats' } }));
    const badTarget = await csv('email,Seats\na@x.test,3', `?mapping=${target}`);
    expect(badTarget.status).toBe(400);
    expect(((await badTarget.json()) as any).error.issues[0]).toMatchObject({
      field: 'query.mapping.Seats',
      message: expect.stringContaining('"$email"'),
    });
  });

  it('warns when the mapping names a column the file does not have', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ 'E-mail': '$email', Plan: 'plan' }));
    const response = await csv('Mail,Plan\ntypo@x.test,pro\n', `?mapping=${mapping}`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as any;
    // The row has no email for want of its column: the warning says why.
    expect(report).toMatchObject({ created: 0, rejected: 1 });
    expect(report.warnings).toEqual([
      {
        line: 1,
        field: 'E-mail',
        reason:
          'The mapping names "E-mail" but the file has no such column (its columns: Mail, Plan)',
      },
    ]);
  });
});

describe('contacts', () => {
  it('searches by email prefix, name and filter, a page at a time', async () => {
    const byEmail = await test.call('GET', '/api/contacts?q=ADA');
    expect(byEmail.body.contacts.map((c: { email: string }) => c.email)).toEqual(['ada@x.test']);
    const byName = await test.call('GET', '/api/contacts?q=lovel');
    expect(byName.body.contacts).toHaveLength(0);
    const byNickname = await test.call('GET', '/api/contacts?q=ada%20l');
    expect(byNickname.body.contacts).toHaveLength(1);
    const filter = encodeURIComponent(
      JSON.stringify({ kind: 'property', property: 'plan', op: 'eq', value: 'pro' }),
    );
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await test.call(
        'GET',
        `/api/contacts?filter=${filter}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(...page.body.contacts.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages).toHaveLength(2_500);
    expect(new Set(pages).size).toBe(2_500);
    const bad = await test.call('GET', '/api/contacts?filter=%7B%22kind%22%3A%22nope%22%7D');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].field).toMatch(/^query\.filter/);
  });

  it('cancels the statement of a search whose client went away', async () => {
    // A search stuck behind a lock stands for one that reads the whole base.
    await dropWhileItsStatementWaits({
      sql: db.sql,
      fetch: test.app.fetch,
      table: 'contacts',
      statement: 'select c.id, c.external_id',
      path: '/api/contacts?q=nobody-has-this',
      init: { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } },
    });
  });

  it('lists contacts by highest score, page by page, ties in a stable order', async () => {
    const scores: Record<string, number> = { a: 5, b: 40, c: 5, d: -3, e: 12 };
    const ids: Record<string, string> = {};
    for (const [key, score] of Object.entries(scores)) {
      const created = await test.call('POST', '/api/contacts', { email: `rank-${key}@x.test` });
      ids[key] = created.body.contact.id;
      await db.sql`update contacts set score = ${score} where id = ${ids[key]!}`;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await test.call(
        'GET',
        `/api/contacts?q=rank-&sort=score&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.contacts.map((c: { email: string }) => c.email.slice(5, 6)));
      cursor = page.body.nextCursor;
    } while (cursor);
    // Equal scores by id, highest first, so a page boundary between them skips nobody.
    const fives = ['a', 'c'].sort((x, y) => (ids[x]! < ids[y]! ? 1 : -1));
    expect(seen).toEqual(['b', 'e', ...fives, 'd']);

    // A cursor belongs to its order.
    const newest: any = await test.call('GET', '/api/contacts?q=rank-&limit=2');
    const mixed = await test.call(
      'GET',
      `/api/contacts?q=rank-&sort=score&cursor=${newest.body.nextCursor}`,
    );
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.issues).toEqual([
      { field: 'cursor', message: 'The cursor is not one this API returned' },
    ]);
    const bad = await test.call('GET', '/api/contacts?sort=name');
    expect(bad.body.error.issues).toEqual([
      { field: 'query.sort', message: 'Sort by "newest" (the default) or "score"' },
    ]);
  });

  it('creates or updates by identity and edits a contact', async () => {
    const created = await test.call('POST', '/api/contacts', {
      externalId: 'crm-9',
      email: 'nine@x.test',
      tags: ['lead'],
    });
    expect(created.status).toBe(201);
    const again = await test.call('POST', '/api/contacts', {
      email: 'NINE@x.test',
      properties: { plan: 'pro' },
    });
    expect(again.status).toBe(200);
    expect(again.body.contact).toMatchObject({
      id: created.body.contact.id,
      properties: { plan: 'pro' },
    });
    const edited = await test.call('PATCH', `/api/contacts/${created.body.contact.id}`, {
      properties: { 'address.city': 'Nantes', plan: null },
      tags: { add: ['vip'], remove: ['lead'] },
      timezone: 'Europe/Paris',
      scoreDelta: 5,
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      properties: { address: { city: 'Nantes' } },
      tags: ['vip'],
      timezone: 'Europe/Paris',
      score: 5,
    });
    const badZone = await test.call('PATCH', `/api/contacts/${created.body.contact.id}`, {
      timezone: 'Mars/Olympus',
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.issues).toEqual([
      { field: 'timezone', message: expect.stringContaining('Unknown time zone') },
    ]);
    expect(
      (await test.call('GET', '/api/contacts/00000000-0000-4000-8000-000000000009')).status,
    ).toBe(404);
  });

  it('takes an email with spaces and capitals as identify and the import do; an edit’s refusal names its field', async () => {
    const created = await test.call('POST', '/api/contacts', { email: ' Grace@X.test ' });
    expect(created.status).toBe(201);
    expect(created.body.contact.email).toBe('grace@x.test');
    const other = await test.call('POST', '/api/contacts', { externalId: 'crm-grace-2' });
    const id = other.body.contact.id;
    const edited = await test.call('PATCH', `/api/contacts/${id}`, { email: '  Hopper@X.test' });
    expect(edited.status).toBe(200);
    expect(edited.body.email).toBe('hopper@x.test');
    const refusals: [unknown, number, string][] = [
      [{ email: 'Grace@x.test' }, 409, 'email'],
      [{ email: 'not an email' }, 400, 'email'],
      [{ properties: { $score: 3 } }, 400, 'properties.$score'],
      [{ properties: { $timezone: 3 } }, 400, 'properties.$timezone'],
    ];
    for (const [body, status, field] of refusals) {
      const response = await test.call('PATCH', `/api/contacts/${id}`, body);
      expect({
        body,
        status: response.status,
        fields: response.body.error.issues.map((i: { field: string }) => i.field),
      }).toEqual({
        body,
        status,
        fields: [field],
      });
    }
    const lone = await test.call('POST', '/api/contacts', { email: 'lone@x.test' });
    const cleared = await test.call('PATCH', `/api/contacts/${lone.body.contact.id}`, {
      email: null,
    });
    expect(cleared.status).toBe(400);
    expect(cleared.body.error.issues).toEqual([
      { field: 'email', message: 'A contact needs an email or an external id' },
    ]);
  });

  it('refuses text that cannot be stored with a 400 naming the field, in contacts, searches and rules', async () => {
    const [{ id } = { id: '' }] = await db.sql<{ id: string }[]>`
      insert into contacts (workspace_id, email) values (${db.workspaceId}, 'nul@x.test') returning id`;
    const requests: [string, string, unknown, string][] = [
      [
        'POST',
        '/api/contacts',
        { email: 'nul2@x.test', properties: { note: 'a\u0000b' } },
        'properties.note',
      ],
      ['POST', '/api/contacts', { externalId: 'crm\ud800' }, 'externalId'],
      ['POST', '/api/contacts', { email: 'nul2@x.test', tags: ['vip\u0000'] }, 'tags.0'],
      [
        'PATCH',
        `/api/contacts/${id}`,
        { properties: { address: { city: 'x\u0000' } } },
        'properties.address.city',
      ],
      ['PATCH', `/api/contacts/${id}`, { lifecycleStage: '\u0000' }, 'lifecycleStage'],
      ['GET', '/api/contacts?q=%00', undefined, 'query.q'],
      [
        'GET',
        `/api/contacts?filter=${encodeURIComponent(JSON.stringify({ kind: 'property', property: 'plan', op: 'eq', value: 'a\u0000' }))}`,
        undefined,
        'query.filter.value',
      ],
      [
        'POST',
        '/api/segments',
        {
          kind: 'dynamic',
          name: 'Nul',
          rule: { kind: 'property', property: 'plan', op: 'eq', value: 'a\u0000' },
        },
        'rule.value',
      ],
    ];
    for (const [method, path, body, field] of requests) {
      const response = await test.call(method, path, body);
      expect({ path, status: response.status, issues: response.body.error?.issues }).toEqual({
        path,
        status: 400,
        issues: [{ field, message: expect.stringMatching(/null character|half of a character/) }],
      });
    }
    const [count] =
      await db.sql`select count(*)::int as n from contacts where email = 'nul2@x.test'`;
    expect(count!.n).toBe(0);
  });

  it('pages a timeline through events of one instant without skipping or repeating one', async () => {
    const [{ id } = { id: '' }] = await db.sql<{ id: string }[]>`
      insert into contacts (workspace_id, email) values (${db.workspaceId}, 'instant@example.com')
      returning id`;
    // Microseconds apart and equal, as events written by one transaction are.
    await db.sql`
      insert into events (workspace_id, contact_id, name, occurred_at, properties)
      select ${db.workspaceId}, ${id}, 'page.viewed', t::timestamptz, jsonb_build_object('n', n)
      from (values ('2026-04-01T10:00:00.123456Z', 1), ('2026-04-01T10:00:00.123789Z', 2),
                   ('2026-04-01T10:00:00.123100Z', 3), ('2026-04-01T10:00:00.123456Z', 4)) v(t, n)`;
    const seen: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await test.call(
        'GET',
        `/api/contacts/${id}/timeline?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((x: any) => x.properties.n));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([2, 4, 1, 3]);
  });

  it('pages journey steps and emails of one instant without skipping or repeating one', async () => {
    const [{ id } = { id: '' }] = await db.sql<{ id: string }[]>`
      insert into contacts (workspace_id, email) values (${db.workspaceId}, 'steps@example.com')
      returning id`;
    const [journey] = await db.sql<{ id: string }[]>`
      insert into journeys (workspace_id, name, draft) values (${db.workspaceId}, 'Ties', '{}')
      returning id`;
    const [version] = await db.sql<{ id: string }[]>`
      insert into journey_versions (workspace_id, journey_id, version, document, plan, trigger_kind)
      values (${db.workspaceId}, ${journey!.id}, 1, '{}', '{}', 'manual') returning id`;
    // Steps a workflow task wrote share its clock: one entered_at for all, across two runs.
    const at = '2026-04-02T10:00:00.000Z';
    for (const run of [1, 2]) {
      const [row] = await db.sql<{ id: string }[]>`
        insert into journey_runs (id, workspace_id, journey_id, version_id, contact_id, workflow_id, entry, started_at)
        values (gen_random_uuid(), ${db.workspaceId}, ${journey!.id}, ${version!.id}, ${id}, ${`run-ties-${run}`}, '{}', ${at})
        returning id`;
      await db.sql`
        insert into run_steps (run_id, seq, workspace_id, journey_id, version_id, node_id, kind, visit, entered_at, outcome)
        select ${row!.id}, seq, ${db.workspaceId}, ${journey!.id}, ${version!.id}, 'n' || seq, 'delay', 1, ${at}, 'done'
        from generate_series(1, 7) seq`;
    }
    await db.sql`
      insert into email_messages (workspace_id, idempotency_key, contact_id, kind, subject, created_at)
      select ${db.workspaceId}, 'ties-' || n, ${id}, 'marketing', 'Mail ' || n, ${at}
      from generate_series(1, 7) n`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await test.call(
        'GET',
        `/api/contacts/${id}/timeline?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((x: any) => `${x.kind}:${x.id}`));
      cursor = page.body.nextCursor;
    } while (cursor);
    // Each of the 2 runs: its entry and 7 steps; and 7 emails.
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
  });

  it('shows the profile with segments, and a timeline of events and segment changes, newest first', async () => {
    await track({
      userId: 'tim',
      event: 'order.completed',
      properties: { amount: 20 },
      timestamp: new Date(Date.now() - 60_000).toISOString(),
    });
    await track({ userId: 'tim', event: 'email.clicked' });
    const [tim] = await db.sql<{ id: string }[]>`select id from contacts where external_id = 'tim'`;
    let timeline: any;
    for (let i = 0; i < 50; i++) {
      timeline = await test.call('GET', `/api/contacts/${tim!.id}/timeline?limit=2`);
      if (timeline.body.items.some((x: { kind: string }) => x.kind === 'segment')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const all: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await test.call(
        'GET',
        `/api/contacts/${tim!.id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all.filter((x) => x.kind === 'event').map((x) => x.name)).toEqual([
      'email.clicked',
      'order.completed',
    ]);
    expect(
      all.some(
        (x) => x.kind === 'segment' && x.change === 'entered' && x.segmentName === 'New customers',
      ),
    ).toBe(true);
    const times = all.map((x) => new Date(x.at).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const profile = await test.call('GET', `/api/contacts/${tim!.id}`);
    expect(profile.body.segments.map((s: { name: string }) => s.name)).toContain('New customers');
  });

  it('merges two contacts into one: events, tags, static segments, score; the old id still resolves', async () => {
    const a = (
      await test.call('POST', '/api/contacts', {
        email: 'twin-a@x.test',
        tags: ['a'],
        properties: { plan: 'pro', city: 'Lyon' },
      })
    ).body.contact;
    const b = (
      await test.call('POST', '/api/contacts', {
        externalId: 'twin-b',
        tags: ['b'],
        properties: { plan: 'free', seats: 2 },
      })
    ).body.contact;
    await track({ userId: 'twin-b', event: 'order.completed', properties: { amount: 10 } });
    const guests = await test.call('POST', '/api/segments', { kind: 'static', name: 'Twins' });
    await test.call('POST', `/api/segments/${guests.body.id}/members`, { contactIds: [b.id] });
    const merged = await test.call('POST', `/api/contacts/${a.id}/merge`, { otherId: b.id });
    expect(merged.status).toBe(200);
    expect(merged.body.contact).toMatchObject({
      id: a.id,
      email: 'twin-a@x.test',
      externalId: 'twin-b',
      tags: ['a', 'b'],
      properties: { plan: 'pro', city: 'Lyon', seats: 2 },
      mergedFrom: [b.id],
    });
    expect(merged.body.merged.movedEvents).toBe(1);
    expect(merged.body.contact.segments.map((s: { name: string }) => s.name)).toContain('Twins');
    const viaOld = await test.call('GET', `/api/contacts/${b.id}`);
    expect(viaOld.body.id).toBe(a.id);
    const again = await test.call('POST', `/api/contacts/${a.id}/merge`, { otherId: b.id });
    expect(again.status).toBe(409);
    const self = await test.call('POST', `/api/contacts/${a.id}/merge`, { otherId: a.id });
    expect(self.status).toBe(400);
    expect(self.body.error.issues[0].field).toBe('otherId');
    // The merged contact's identity keeps leading to the survivor.
    await track({ userId: 'twin-b', event: 'after.merge' });
    const [row] = await db.sql`select contact_id from events where name = 'after.merge'`;
    expect(row!.contactId).toBe(a.id);
  });
});

describe('tags on many contacts at once', () => {
  it('adds and removes tags in one request, re-evaluates segments, and names unknown ids', async () => {
    const vip = await test.call('POST', '/api/segments', {
      kind: 'dynamic',
      name: 'Bulk VIPs',
      rule: { kind: 'tag', op: 'has', tag: 'bulk-vip' },
    });
    const make = async (email: string, tags: string[]) =>
      (await test.call('POST', '/api/contacts', { email, tags })).body.contact.id as string;
    const ana = await make('bulk-ana@x.test', ['lead', 'keep']);
    const ben = await make('bulk-ben@x.test', ['lead', 'bulk-vip']);
    const dup = await make('bulk-dup@x.test', []);
    const cleo = await make('bulk-cleo@x.test', ['keep']);
    expect((await test.call('POST', `/api/contacts/${cleo}/merge`, { otherId: dup })).status).toBe(
      200,
    );
    const unknown = '00000000-0000-4000-8000-00000000b0b0';
    const contactsBefore = recorded.calls.contacts.length;

    const res = await test.call('POST', '/api/contacts/tags', {
      // Ids are ids whatever their case.
      contactIds: [ana, ben.toUpperCase(), dup, unknown],
      add: ['bulk-vip'],
      remove: ['lead'],
      cause: 'manual',
    });
    expect(res.status).toBe(200);
    // Ben already had the tag but loses "lead"; the duplicate's id edits Cleo.
    expect(res.body).toEqual({ changed: 3, unknownContactIds: [unknown] });
    const tags = async (id: string) => (await test.call('GET', `/api/contacts/${id}`)).body.tags;
    expect(await tags(ana)).toEqual(['keep', 'bulk-vip']);
    expect(await tags(ben)).toEqual(['bulk-vip']);
    expect(await tags(cleo)).toEqual(['keep', 'bulk-vip']);
    const changes = await test.call('GET', `/api/segments/${vip.body.id}/changes`);
    expect(changes.body.changes.map((c: any) => [c.email, c.change, c.cause]).sort()).toEqual([
      ['bulk-ana@x.test', 'entered', 'manual'],
      ['bulk-ben@x.test', 'entered', 'api'], // when created with the tag
      ['bulk-cleo@x.test', 'entered', 'manual'],
    ]);
    // Waiting journey runs hear of every contact whose tags changed.
    expect(recorded.calls.contacts.slice(contactsBefore)).toEqual(
      expect.arrayContaining([ana, ben, cleo]),
    );

    const again = await test.call('POST', '/api/contacts/tags', {
      contactIds: [ana, ben],
      add: ['bulk-vip'],
    });
    expect(again.body).toEqual({ changed: 0, unknownContactIds: [] });
    const out = await test.call('POST', '/api/contacts/tags', {
      contactIds: [ana],
      remove: ['bulk-vip'],
    });
    expect(out.body.changed).toBe(1);
    const after = await test.call('GET', `/api/segments/${vip.body.id}/changes`);
    expect(after.body.changes[0]).toMatchObject({
      email: 'bulk-ana@x.test',
      change: 'exited',
      cause: 'api',
    });
  });

  it('names the field at fault', async () => {
    const id = (await test.call('POST', '/api/contacts', { email: 'bulk-bad@x.test' })).body.contact
      .id;
    const cases: [object, string, RegExp][] = [
      [{ contactIds: [id] }, 'add', /Name a tag/],
      [{ contactIds: [id], add: ['a'], remove: ['a'] }, 'remove', /both added and removed/],
      [{ contactIds: [], add: ['a'] }, 'contactIds', /at least one/],
      [{ contactIds: ['nope'], add: ['a'] }, 'contactIds.0', /Not a contact id/],
      [{ contactIds: [id], add: [' '] }, 'add.0', /cannot be empty/],
    ];
    for (const [body, field, message] of cases) {
      const res = await test.call('POST', '/api/contacts/tags', body);
      expect(res.status).toBe(400);
      expect(res.body.error.issues).toContainEqual({
        field,
        message: expect.stringMatching(message),
      });
    }
    expect((await test.call('GET', `/api/contacts/${id}`)).body.tags).toEqual([]);
  });
});

describe('the workspace’s tags', () => {
  it('lists every tag its contacts have had, however it arrived, and the score’s tags, alphabetically', async () => {
    const made = await test.call('POST', '/api/contacts', {
      email: 'tags-made@x.test',
      tags: ['Known-Zeta', 'known-alpha'],
    });
    const plain = await test.call('POST', '/api/contacts', { email: 'tags-plain@x.test' });
    await test.call('POST', '/api/contacts/tags', {
      contactIds: [made.body.contact.id, plain.body.contact.id],
      add: ['known-bulk'],
      remove: ['known-alpha'],
    });
    const imported = await csv('email,tags\ntags-csv@x.test,known-csv\n');
    expect(imported.status, await imported.clone().text()).toBe(200);
    const scoreTags = await db.sql<{ tag: string }[]>`select tag from score_tags`;

    const res = await test.call('GET', '/api/tags');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.truncated).toBe(false);
    const tags: string[] = res.body.tags;
    // A tag no contact has any more ("known-alpha") is still offered: it was used.
    for (const tag of ['Known-Zeta', 'known-alpha', 'known-bulk', 'known-csv']) {
      expect(tags).toContain(tag);
    }
    for (const { tag } of scoreTags) expect(tags).toContain(tag);
    // Alphabetical whatever the case.
    const lower = tags.map((t) => t.toLowerCase());
    expect(lower).toEqual([...lower].sort());
    expect(new Set(tags).size).toBe(tags.length);
  });
});

describe('downloading the contacts a search shows', () => {
  const download = (query: string) =>
    test.app.request(`/api/contacts/export${query}`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });

  it('streams every match, past a page, as CSV with their tags and properties', async () => {
    const rows = Array.from(
      { length: 1_203 },
      (_, i) => `export-${i}@x.test,${i % 2 === 0 ? 'even' : 'odd'},${i}`,
    );
    const imported = await csv(['email,$tags,rank', ...rows].join('\n'));
    expect(imported.status).toBe(200);
    await test.call('POST', '/api/contacts', {
      email: 'export-x@x.test',
      tags: ['even'],
      properties: { rank: '=1+1' },
    });

    const response = await download(
      `?q=export-&filter=${encodeURIComponent(JSON.stringify({ kind: 'tag', op: 'has', tag: 'even' }))}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('contacts.csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 7)).toEqual([
      'email',
      'external_id',
      'added',
      'score',
      'lifecycle_stage',
      'timezone',
      'tags',
    ]);
    const body = lines.slice(1, -1);
    // 602 even rows of the file and the contact made by hand; none of the odd ones.
    expect(body).toHaveLength(603);
    expect(new Set(body.map((l) => l.split(',')[0])).size).toBe(603);
    expect(body.every((l) => l.split(',')[6] === 'even')).toBe(true);
    const rank = header.indexOf('rank');
    const typed = body.find((l) => l.startsWith('export-x@x.test'))!.split(',');
    // What a contact typed is never run as a formula by a spreadsheet.
    expect(typed[rank]).toBe("'=1+1");
  });

  it('answers 400 naming the filter, before any CSV', async () => {
    const cases: [object, string][] = [
      [{ kind: 'nope' }, 'query.filter.kind'],
      // Well formed, refused by the rule compiler, which runs on the first page's query.
      [{ kind: 'segment', op: 'in', segmentId: 'abc' }, 'query.filter.segmentId'],
    ];
    for (const [filter, field] of cases) {
      const response = await download(`?filter=${encodeURIComponent(JSON.stringify(filter))}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { issues: { field: string }[] } };
      expect(body.error.issues[0]!.field).toBe(field);
    }
  });
});

describe('the timeline of an email’s events', () => {
  it('names the email of each email event by its subject; a message id that is not one is left alone', async () => {
    const created = await test.call('POST', '/api/contacts', { email: 'reader@x.test' });
    const id = created.body.contact.id as string;
    const [message] = await db.sql<{ id: string }[]>`
      insert into email_messages (workspace_id, idempotency_key, contact_id, kind, to_address, subject, status, sent_at)
      values (${db.workspaceId}, 'timeline-1', ${id}, 'marketing', 'reader@x.test', 'Your cart misses you', 'sent', now())
      returning id::text as id`;
    await db.sql`
      insert into events (workspace_id, contact_id, name, properties, occurred_at, source) values
        (${db.workspaceId}, ${id}, 'email.opened', ${db.sql.json({ messageId: message!.id })}, now() - interval '3 seconds', 'email'),
        (${db.workspaceId}, ${id}, 'email.clicked', ${db.sql.json({ messageId: 'test-preview' })}, now() - interval '2 seconds', 'email'),
        (${db.workspaceId}, ${id}, 'page.viewed', '{}', now() - interval '1 second', 'api')`;
    const timeline = await test.call('GET', `/api/contacts/${id}/timeline`);
    expect(timeline.status).toBe(200);
    const events = timeline.body.items.filter((i: { kind: string }) => i.kind === 'event');
    expect(
      events.map((e: { name: string; emailSubject?: string | null }) => [e.name, e.emailSubject]),
    ).toEqual([
      ['page.viewed', undefined],
      ['email.clicked', null],
      ['email.opened', 'Your cart misses you'],
    ]);
  });
});

describe('email preferences by a teammate', () => {
  it('shows and changes a contact’s topics, frequency and unsubscribe-from-all, recorded as a teammate’s', async () => {
    await test.call('POST', '/api/topics', { key: 'tips', name: 'Tips' });
    await test.call('POST', '/api/topics', { key: 'beta', name: 'Beta news', optIn: true });
    const created = await test.call('POST', '/api/contacts', { email: 'pref@x.test' });
    const id = created.body.contact.id as string;
    const subscribedTo = (state: { topics: { key: string; subscribed: boolean }[] }) =>
      state.topics.filter((t) => t.subscribed).map((t) => t.key);

    const before = await test.call('GET', `/api/contacts/${id}/preferences`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      email: 'pref@x.test',
      frequency: 'every',
      unsubscribedFromAll: false,
      suppressedFor: [],
    });
    // An opt-out topic mails everyone until they say no; an opt-in one waits for a yes.
    expect(subscribedTo(before.body)).toEqual(['tips']);

    const changed = await test.call('PUT', `/api/contacts/${id}/preferences`, {
      topics: ['beta'],
      frequency: 'monthly',
      unsubscribeAll: false,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ frequency: 'monthly', changes: 3 });
    expect(subscribedTo(changed.body)).toEqual(['beta']);
    const consents = await db.sql`
      select topic, status, source from contact_topic_consents where contact_id = ${id} order by topic`;
    expect(consents).toEqual([
      { topic: 'beta', status: 'subscribed', source: 'teammate' },
      { topic: 'tips', status: 'unsubscribed', source: 'teammate' },
    ]);
    const events = await db.sql<{ name: string; source: string }[]>`
      select name, properties->>'source' as source from events
      where contact_id = ${id} and name like 'email.%' order by id`;
    expect(events.map((e) => [e.name, e.source]).sort()).toEqual([
      ['email.preferences_changed', 'teammate'],
      ['email.subscribed', 'teammate'],
      ['email.unsubscribed', 'teammate'],
    ]);

    const all = await test.call('PUT', `/api/contacts/${id}/preferences`, {
      topics: ['beta'],
      frequency: 'monthly',
      unsubscribeAll: true,
    });
    expect(all.body).toMatchObject({
      unsubscribedFromAll: true,
      suppressedFor: ['unsubscribed'],
      changes: 1,
    });
    expect(subscribedTo(all.body)).toEqual([]);
    expect(
      await db.sql`select reason, detail from email_suppressions where email = 'pref@x.test'`,
    ).toEqual([{ reason: 'unsubscribed', detail: 'teammate' }]);
  });

  it('names the field at fault: an unknown topic, an address to unsubscribe that is missing', async () => {
    const created = await test.call('POST', '/api/contacts', { externalId: 'no-email-pref' });
    const id = created.body.contact.id as string;
    const bad = await test.call('PUT', `/api/contacts/${id}/preferences`, {
      topics: ['nope'],
      frequency: 'weekly',
      unsubscribeAll: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([
      { field: 'frequency', message: 'Choose every, monthly or important' },
    ]);
    const unknown = await test.call('PUT', `/api/contacts/${id}/preferences`, {
      topics: ['nope'],
      frequency: 'every',
      unsubscribeAll: true,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues).toEqual([
      { field: 'topics.0', message: 'No email topic has the key "nope"' },
      { field: 'unsubscribeAll', message: 'This contact has no email address to unsubscribe' },
    ]);
    expect(
      (await test.call('GET', `/api/contacts/${crypto.randomUUID()}/preferences`)).status,
    ).toBe(404);
  });
});
