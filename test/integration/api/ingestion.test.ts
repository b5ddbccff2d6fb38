import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let writeKey: string;
const recorded = createRecordingDispatcher();
let app: ReturnType<typeof createTestApp>['app'];

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
  ({ app } = createTestApp({ db, temporal, dispatcher: recorded.dispatcher }));
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function send(
  path: string,
  body: unknown,
  auth: string | null = `Bearer ${writeKey}`,
  options: { declareLength?: boolean } = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers.authorization = auth;
  // As HTTP clients send a body they know: with its length (otherwise it streams in, unsized).
  if (options.declareLength) headers['content-length'] = String(Buffer.byteLength(text));
  const response = await app.request(path, { method: 'POST', headers, body: text });
  return { status: response.status, body: (await response.json()) as any };
}

const contact = async (externalId: string) => {
  const [row] = await db.sql<
    {
      id: string;
      email: string | null;
      properties: Record<string, unknown>;
      timezone: string | null;
      lifecycleStage: string | null;
      anonymousId: string | null;
    }[]
  >`
    select id, email, properties, timezone, lifecycle_stage, anonymous_id from contacts where external_id = ${externalId}`;
  return row;
};

describe('write key authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['a wrong key', 'Bearer wk_not-the-key'],
    ['a malformed scheme', 'Token abc'],
  ])('refuses %s with 401', async (_name, auth) => {
    const response = await send('/v1/track', { userId: 'u', event: 'x' }, auth);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
  });

  it('takes the key as HTTP Basic user name, as Segment libraries send it', async () => {
    const basic = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
    const response = await send('/v1/track', { userId: 'basic', event: 'signed.in' }, basic);
    expect(response).toEqual({ status: 200, body: { success: true, status: 'accepted' } });
  });
});

describe('track and identify', () => {
  it('stores a track with its properties and rollup, then tells journeys after the commit', async () => {
    const response = await send('/v1/track', {
      userId: 'u1',
      event: 'order.completed',
      properties: { amount: 42, currency: 'EUR' },
      timestamp: '2025-01-02T03:04:05Z',
      messageId: 'm-1',
    });
    expect(response.status).toBe(200);
    const [event] = await db.sql<
      { id: string; name: string; properties: object; occurredAt: Date }[]
    >`
      select id::text as id, name, properties, occurred_at from events where message_id = 'm-1'`;
    expect(event).toMatchObject({
      name: 'order.completed',
      properties: { amount: 42, currency: 'EUR' },
      occurredAt: new Date('2025-01-02T03:04:05Z'),
    });
    const [rollup] =
      await db.sql`select count::int as count from contact_event_rollups where name = 'order.completed'`;
    expect(rollup!.count).toBe(1);
    await vi.waitFor(() => expect(recorded.calls.events).toContain(event!.id));
    // The contact's segments were re-evaluated at once: an order dated long ago makes an
    // inactive customer.
    await vi.waitFor(async () => {
      const rows = await db.sql`
        select 1 from segment_members m join segments s on s.id = m.segment_id
        join contacts c on c.id = m.contact_id where s.builtin = 'inactive-customers' and c.external_id = 'u1'`;
      expect(rows).toHaveLength(1);
    });
  });

  it('accepts a replayed messageId and ignores it', async () => {
    const replay = await send('/v1/track', {
      userId: 'u1',
      event: 'order.completed',
      properties: { amount: 42, currency: 'EUR' },
      messageId: 'm-1',
    });
    expect(replay).toEqual({ status: 200, body: { success: true, status: 'duplicate' } });
    const [count] = await db.sql`select count(*)::int as n from events where message_id = 'm-1'`;
    expect(count!.n).toBe(1);
    const [rollup] =
      await db.sql`select count::int as count from contact_event_rollups where name = 'order.completed'`;
    expect(rollup!.count).toBe(1);
  });

  it('clamps a timestamp from the future to the time of receipt', async () => {
    const before = Date.now();
    await send('/v1/track', {
      userId: 'u1',
      event: 'clock.skewed',
      timestamp: '2999-01-01T00:00:00Z',
    });
    const [event] = await db.sql<
      { occurredAt: Date }[]
    >`select occurred_at from events where name = 'clock.skewed'`;
    expect(event!.occurredAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(event!.occurredAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('identify sets traits, the normalised email, time zone and lifecycle stage; null removes a trait', async () => {
    await send('/v1/identify', {
      userId: 'u2',
      traits: { email: '  Ada@Example.COM ', plan: 'pro', lifecycleStage: 'lead', nickname: 'ada' },
      context: { timezone: 'Europe/Paris' },
    });
    await send('/v1/identify', { userId: 'u2', traits: { nickname: null, seats: 3 } });
    expect(await contact('u2')).toMatchObject({
      email: 'ada@example.com',
      properties: { plan: 'pro', seats: 3 },
      timezone: 'Europe/Paris',
      lifecycleStage: 'lead',
    });
  });

  it('the same person is one contact: anonymous visit, then signup, then an email-only identify', async () => {
    const page = await send('/v1/page', {
      anonymousId: 'anon-7',
      name: 'Pricing',
      context: { page: { url: 'https://x.test/pricing' } },
    });
    expect(page).toEqual({ status: 200, body: { success: true, status: 'accepted' } });
    await send('/v1/identify', {
      userId: 'u7',
      anonymousId: 'anon-7',
      traits: { email: 'seven@x.test' },
    });
    await send('/v1/identify', {
      anonymousId: 'anon-other',
      traits: { email: 'SEVEN@x.test', city: 'Lyon' },
    });
    const rows = await db.sql<{ id: string }[]>`
      select id from contacts where external_id = 'u7' or anonymous_id = 'anon-7' or email = 'seven@x.test'`;
    expect(rows).toHaveLength(1);
    const events = await db.sql<{ name: string; properties: Record<string, unknown> }[]>`
      select name, properties from events where contact_id = ${rows[0]!.id} order by id`;
    expect(events.map((e) => e.name)).toEqual(['page.viewed', '$identify', '$identify']);
    expect(events[0]!.properties).toEqual({ name: 'Pricing', url: 'https://x.test/pricing' });
    expect((await contact('u7'))!.properties).toEqual({ city: 'Lyon' });
  });

  it('an identify claiming an email another user holds keeps them apart: the email stays with its holder', async () => {
    await send('/v1/identify', { userId: 'holder', traits: { email: 'taken@x.test' } });
    const holder = (await contact('holder'))!;
    const response = await send('/v1/identify', {
      userId: 'claimer',
      traits: { email: 'taken@x.test', plan: 'pro' },
    });
    expect(response).toEqual({
      status: 200,
      body: {
        success: true,
        status: 'accepted',
        warnings: [{ field: 'traits.email', message: expect.stringContaining('its own userId') }],
      },
    });
    const claimer = (await contact('claimer'))!;
    expect(claimer).toMatchObject({ email: null, properties: { plan: 'pro' } });
    const [kept] = await db.sql<{ mergedInto: string | null; email: string }[]>`
      select merged_into, email from contacts where id = ${holder.id}`;
    expect(kept).toEqual({ mergedInto: null, email: 'taken@x.test' });
  });
});

describe('bad messages', () => {
  it.each([
    ['no event name', { userId: 'u' }, 'event'],
    ['neither userId nor anonymousId', { event: 'x' }, 'userId'],
    [
      'a timestamp that is no date',
      { userId: 'u', event: 'x', timestamp: 'yesterday' },
      'timestamp',
    ],
    [
      'properties that are not an object',
      { userId: 'u', event: 'x', properties: [1] },
      'properties',
    ],
    ['a reserved event name', { userId: 'u', event: '$identify' }, 'event'],
  ])('track with %s → 400 naming %s', async (_name, body, field) => {
    const response = await send('/v1/track', body);
    expect(response.status).toBe(400);
    expect(response.body.error.issues.map((i: { field: string }) => i.field)).toContain(field);
  });

  it.each([
    [
      'a null character in a property',
      '/v1/track',
      { userId: 'u', event: 'x', properties: { note: 'a\u0000b' } },
      'properties.note',
      'null character',
    ],
    [
      'half a character in a nested property',
      '/v1/track',
      { userId: 'u', event: 'x', properties: { items: [{ title: 'ok' }, { title: 'x\ud800' }] } },
      'properties.items.1.title',
      'unpaired surrogate \\ud800',
    ],
    [
      'a null character in a property name',
      '/v1/track',
      { userId: 'u', event: 'x', properties: { 'no\u0000te': 1 } },
      'properties.no\\u0000te',
      'This name contains a null character',
    ],
    [
      'a null character in the event name',
      '/v1/track',
      { userId: 'u', event: 'a\u0000' },
      'event',
      'null character',
    ],
    [
      'half a character in the userId',
      '/v1/track',
      { userId: '\udc00u', event: 'x' },
      'userId',
      'unpaired surrogate',
    ],
    [
      'a null character in the messageId',
      '/v1/track',
      { userId: 'u', event: 'x', messageId: 'm\u0000' },
      'messageId',
      'null character',
    ],
    [
      'a null character in a trait',
      '/v1/identify',
      { userId: 'u', traits: { plan: '\u0000' } },
      'traits.plan',
      'null character',
    ],
    [
      'a null character in the page name',
      '/v1/page',
      { userId: 'u', name: 'Home\u0000' },
      'name',
      'null character',
    ],
  ])('%s → 400 naming the field, nothing stored', async (_name, path, body, field, reason) => {
    const response = await send(path, body);
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      { field, message: expect.stringContaining(reason) },
    ]);
    const [count] =
      await db.sql`select count(*)::int as n from contacts where external_id in ('u', '\udc00u')`;
    expect(count!.n).toBe(0);
  });

  it('identify naming no one but by a malformed email → 400 naming traits.email and userId', async () => {
    const response = await send('/v1/identify', { traits: { email: 'not-an-email' } });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      { field: 'traits.email', message: expect.stringContaining('Not an email address') },
      { field: 'userId', message: 'Send a userId, an anonymousId or traits.email' },
    ]);
  });

  it('malformed JSON → 400 naming the body', async () => {
    const response = await send('/v1/track', '{"userId":');
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0].field).toBe('(body)');
  });

  it.each([
    ['streamed', false],
    ['with its Content-Length', true],
  ])('a message over 32 KB, %s → 413', async (_framing, declareLength) => {
    const response = await send(
      '/v1/track',
      { userId: 'u', event: 'big', properties: { blob: 'x'.repeat(40_000) } },
      undefined,
      { declareLength },
    );
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });
});

describe('batch', () => {
  it('stores the good messages and reports each bad one by index and field', async () => {
    const response = await send('/v1/batch', {
      batch: [
        { type: 'track', userId: 'b1', event: 'clicked.link', messageId: 'b-1' },
        { type: 'track', userId: 'b1' },
        { type: 'merge', userId: 'b1' },
        { type: 'identify', userId: 'b1', traits: { plan: 'free' } },
        { type: 'track', userId: 'b1', event: 'clicked.link', messageId: 'b-1' },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      success: false,
      accepted: 2,
      duplicates: 1,
      rejected: 2,
      error: {
        code: 'invalid_messages',
        issues: [
          { field: 'batch.1.event', message: 'Name the event' },
          { field: 'batch.2.type', message: expect.stringContaining('Set type to') },
        ],
      },
    });
    expect(response.body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'rejected',
      'rejected',
      'accepted',
      'duplicate',
    ]);
    expect((await contact('b1'))!.properties).toEqual({ plan: 'free' });
  });

  it('rejects only the message holding text that cannot be stored and stores the rest', async () => {
    const tracks = Array.from({ length: 101 }, (_, i) => ({
      type: 'track',
      userId: `nul-${i % 10}`,
      event: 'nul.tested',
      properties: i === 3 ? { note: 'a\u0000b' } : { n: i },
    }));
    const response = await send('/v1/batch', { batch: tracks });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      accepted: 100,
      rejected: 1,
      error: {
        code: 'invalid_messages',
        issues: [
          { field: 'batch.3.properties.note', message: expect.stringContaining('null character') },
        ],
      },
    });
    const [stored] = await db.sql`select count(*)::int as n from events where name = 'nul.tested'`;
    expect(stored!.n).toBe(100);

    // A batch with an identify is applied in one transaction: the bad message still goes alone.
    const mixed = await send('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'nul-id', traits: { plan: 'pro' } },
        { type: 'identify', userId: 'nul-id', traits: { ['bad\ud800']: 'x' } },
        { type: 'track', userId: 'nul-id', event: 'nul.mixed' },
      ],
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'rejected',
      'accepted',
    ]);
    expect(mixed.body.error.issues).toEqual([
      {
        field: 'batch.1.traits.bad\\ud800',
        message: expect.stringContaining('This name contains half'),
      },
    ]);
    expect((await contact('nul-id'))!.properties).toEqual({ plan: 'pro' });
  });

  it('applies the batch context to every message', async () => {
    const response = await send('/v1/batch', {
      context: { timezone: 'Asia/Tokyo' },
      batch: [{ type: 'identify', userId: 'ctx', traits: {} }],
    });
    expect(response.status).toBe(200);
    expect((await contact('ctx'))!.timezone).toBe('Asia/Tokyo');
  });

  it('refuses more than 500 messages', async () => {
    const batch = Array.from({ length: 501 }, (_, i) => ({
      type: 'track',
      userId: `x${i}`,
      event: 'e',
    }));
    const response = await send('/v1/batch', { batch });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      { field: 'batch', message: 'A batch holds at most 500 messages' },
    ]);
  });

  it.each([
    ['streamed', false],
    ['with its Content-Length', true],
  ])('refuses a body over 500 KB, %s, with 413', async (_framing, declareLength) => {
    const batch = Array.from({ length: 40 }, (_, i) => ({
      type: 'track',
      userId: `y${i}`,
      event: 'e',
      properties: { pad: 'p'.repeat(14_000) },
    }));
    const response = await send('/v1/batch', { batch }, undefined, { declareLength });
    expect(response.status).toBe(413);
  });

  it('refuses an empty batch', async () => {
    const response = await send('/v1/batch', { batch: [] });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([{ field: 'batch', message: 'The batch is empty' }]);
  });
});

describe('group commit', () => {
  it('writes concurrent requests in shared transactions and answers each after the commit', async () => {
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        send('/v1/track', { userId: `g${i % 7}`, event: 'grouped', messageId: `g-${i}` }),
      ),
    );
    expect(responses.every((r) => r.status === 200 && r.body.status === 'accepted')).toBe(true);
    const [stats] = await db.sql<{ events: number; commits: number }[]>`
      select count(*)::int as events, count(distinct xmin::text)::int as commits from events where name = 'grouped'`;
    expect(stats!.events).toBe(60);
    expect(stats!.commits).toBeLessThan(60);
  });
});
