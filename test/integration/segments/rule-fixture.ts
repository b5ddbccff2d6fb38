import type postgres from 'postgres';

/** The instant every fixture fact is relative to, and rules are evaluated at. */
export const NOW = new Date('2025-06-15T12:00:00Z');
const DAY = 86_400_000;
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const [M1, M2, M3, M4, M5, M6] = [1, 2, 3, 4, 5, 6].map(
  (n) => `aaaaaaaa-0000-4000-8000-00000000000${n}`,
);
// How the tracking routes flag a machine's open or click (classifyEngagement in packages/email).
const APPLE = { agent: 'apple_privacy_proxy', machine: true, machineReason: 'apple_privacy' };
const SCANNER = { agent: 'scanner', machine: true, machineReason: 'scanner' };

interface FixtureContact {
  key: string;
  email: string | null;
  externalId?: string;
  timezone: string | null;
  properties: Record<string, unknown>;
  tags: string[];
  score: number;
  createdAt: Date;
  events: { name: string; daysAgo: number; properties?: Record<string, unknown> }[];
}

/**
 * Six people with known facts, chosen so that each rule case separates them: time zones from
 * UTC−11 to UTC+14, numbers stored as strings, arrays, nested objects, a malformed date, a
 * 29 February birthday, a contact who never did anything, one whose opens and clicks are all
 * machines' (Apple Mail Privacy Protection, a link scanner), and one merged away.
 */
export const CONTACTS: FixtureContact[] = [
  {
    key: 'ana',
    email: 'ana@x.test',
    externalId: 'u-ana',
    timezone: 'Europe/Paris',
    properties: {
      plan: 'pro',
      age: 34,
      vip: true,
      city: 'Paris',
      interests: ['shoes', 'bags'],
      birthday: '1991-06-17',
      renews_at: '2025-06-20',
      signup: '2023-01-10',
      address: { city: 'Lyon' },
      nickname: "O'Brien",
      tier: 'Gold',
    },
    tags: ['vip', 'newsletter'],
    score: 40,
    createdAt: new Date('2025-01-01T00:00:00Z'),
    events: [
      { name: 'order.completed', daysAgo: 10, properties: { amount: 300, category: 'shoes' } },
      { name: 'order.completed', daysAgo: 200, properties: { amount: 250, category: 'bags' } },
      // Three emails: m1 opened and two of its links clicked, m2 opened (by a browser, flagged
      // as no machine), m3 opened three times (Apple's privacy proxy on delivery, then two reads).
      { name: 'email.clicked', daysAgo: 3, properties: { templateId: 't1', messageId: M1 } },
      { name: 'email.clicked', daysAgo: 3, properties: { templateId: 't1', messageId: M1 } },
      { name: 'email.opened', daysAgo: 3, properties: { templateId: 't1', messageId: M1 } },
      {
        name: 'email.opened',
        daysAgo: 4,
        properties: { templateId: 't1', messageId: M2, agent: 'browser', machine: false },
      },
      {
        name: 'email.opened',
        daysAgo: 5,
        properties: { templateId: 't2', messageId: M3, ...APPLE },
      },
      { name: 'email.opened', daysAgo: 5, properties: { templateId: 't2', messageId: M3 } },
      { name: 'email.opened', daysAgo: 5, properties: { templateId: 't2', messageId: M3 } },
    ],
  },
  {
    key: 'bob',
    email: 'bob@x.test',
    timezone: 'America/New_York',
    properties: {
      plan: 'free',
      age: '29',
      vip: false,
      interests: 'shoes and socks',
      birthday: '1980-06-15',
      renews_at: '2025-06-01',
      signup: '2023-01-11',
      // Dates as toISOString writes them (midnight UTC), and an instant that is not midnight.
      tier: 'silver',
      zip: '02139',
      born_utc: '1980-06-15T00:00:00.000Z',
      trial_utc: '2025-06-17T00:00:00Z',
      seen_at: '2025-06-15T02:00:00Z',
    },
    tags: ['newsletter'],
    score: 5,
    createdAt: daysAgo(5),
    // A click, and no open: the images were blocked.
    events: [
      { name: 'email.clicked', daysAgo: 20, properties: { templateId: 't2', messageId: M4 } },
    ],
  },
  {
    key: 'cy',
    email: 'cy@x.test',
    timezone: null,
    properties: { trial_ends: '2025-06-15' },
    tags: [],
    score: 0,
    createdAt: daysAgo(40),
    events: [],
  },
  {
    key: 'dan',
    email: 'dan@x.test',
    timezone: 'Asia/Tokyo',
    properties: {
      plan: 'pro',
      age: 51,
      birthday: '2000-02-29',
      renews_at: '2025-07-30',
      tier: 'gold',
      zip: 2139,
    },
    tags: [],
    score: 80,
    createdAt: daysAgo(365),
    events: [
      { name: 'order.completed', daysAgo: 1, properties: { amount: 100 } },
      { name: 'order.completed', daysAgo: 5, properties: { amount: 200 } },
      { name: 'order.completed', daysAgo: 20, properties: { amount: 50 } },
      { name: 'email.bounced', daysAgo: 2 },
      { name: 'email.unsubscribed', daysAgo: 2 },
    ],
  },
  {
    key: 'eve',
    email: null,
    externalId: 'u-eve',
    timezone: 'Pacific/Kiritimati',
    properties: { plan: 'trial', birthday: '1999-06-16' },
    tags: [],
    score: 0,
    createdAt: daysAgo(100),
    events: [],
  },
  {
    key: 'fay',
    email: 'fay@x.test',
    timezone: 'Pacific/Pago_Pago',
    properties: { birthday: '1990-06-15', broken_date: '2021-02-30' },
    tags: [],
    score: 0,
    createdAt: daysAgo(400),
    // An Apple Mail reader behind a link-scanning gateway: machines' opens and clicks only.
    events: [
      {
        name: 'email.opened',
        daysAgo: 2,
        properties: { templateId: 't3', messageId: M5, ...APPLE },
      },
      {
        name: 'email.clicked',
        daysAgo: 60,
        properties: { templateId: 't3', messageId: M6, ...SCANNER },
      },
    ],
  },
];

export const EVERYONE = CONTACTS.map((c) => c.key);

/**
 * Inserts the fixture (and a contact merged into ana, who must never match) straight in SQL,
 * rollups included, so the compiler is tested independently of the ingestion code.
 */
export async function loadRuleFixture(sql: postgres.Sql, workspaceId: string) {
  await sql`update workspaces set timezone = 'America/Los_Angeles' where id = ${workspaceId}`;
  const ids = new Map<string, string>();
  for (const c of CONTACTS) {
    const [row] = await sql<{ id: string }[]>`
      insert into contacts (workspace_id, email, external_id, timezone, properties, tags, score, created_at)
      values (${workspaceId}, ${c.email}, ${c.externalId ?? null}, ${c.timezone},
        ${sql.json(c.properties as postgres.JSONValue)}, ${c.tags}, ${c.score}, ${c.createdAt})
      returning id`;
    ids.set(c.key, row!.id);
    for (const e of c.events) {
      await sql`
        insert into events (workspace_id, contact_id, name, properties, occurred_at)
        values (${workspaceId}, ${row!.id}, ${e.name}, ${sql.json((e.properties ?? {}) as postgres.JSONValue)}, ${daysAgo(e.daysAgo)})`;
    }
  }
  await sql`
    insert into contacts (workspace_id, email, properties, merged_into)
    values (${workspaceId}, 'gus@x.test', '{"plan":"pro","vip":true}', ${ids.get('ana')!})`;
  await sql`
    insert into contact_event_rollups (workspace_id, contact_id, name, count, first_at, last_at, human_last_at)
    select workspace_id, contact_id, name, count(*), min(occurred_at), max(occurred_at),
      -- A person's last open or click, as ingestion writes it.
      max(occurred_at) filter (
        where name in ('email.opened', 'email.clicked')
          and coalesce(properties ->> 'machine', '') <> 'true')
    from events group by 1, 2, 3`;
  const [segment] = await sql<{ id: string }[]>`
    insert into segments (workspace_id, name, kind) values (${workspaceId}, 'Hand-picked', 'static')
    returning id`;
  for (const key of ['ana', 'bob']) {
    await sql`
      insert into segment_members (workspace_id, segment_id, contact_id, entered_at)
      values (${workspaceId}, ${segment!.id}, ${ids.get(key)!}, ${NOW})`;
  }
  const keyOf = new Map([...ids].map(([key, id]) => [id, key]));
  return { ids, keyOf, staticSegmentId: segment!.id };
}
