import { gzipSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// Ingestion as Segment's and RudderStack's own libraries call it: analytics.js (one-letter
// paths, text/plain, the key in the body, CORS), analytics-kotlin (gzip), the server libraries
// (timestamp + sentAt, nulls from typed serialisers), group and alias calls.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let writeKey: string;
let app: ReturnType<typeof createTestApp>['app'];
/** The time of receipt: a fixed clock makes clock-skew corrections exact. */
const NOW = new Date('2026-06-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
  ({ app } = createTestApp({
    db,
    temporal,
    dispatcher: createRecordingDispatcher().dispatcher,
    overrides: { clock: () => NOW },
  }));
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${writeKey}` },
) {
  const response = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as any,
  };
}

const eventsOf = (externalId: string) =>
  db.sql<{ name: string; properties: Record<string, unknown>; occurredAt: Date }[]>`
    select e.name, e.properties, e.occurred_at from events e join contacts c on c.id = e.contact_id
    where c.external_id = ${externalId} or c.anonymous_id = ${externalId} order by e.id`;

const contact = async (externalId: string) => {
  const [row] = await db.sql<
    { email: string | null; properties: Record<string, unknown>; lifecycleStage: string | null }[]
  >`select email, properties, lifecycle_stage from contacts where external_id = ${externalId}`;
  return row;
};

describe('browser libraries (analytics.js 2.0)', () => {
  /** What analytics.js posts: text/plain, no Authorization, the key in the body. */
  const browser = (path: string, body: object) =>
    post(
      path,
      { ...body, writeKey },
      { 'content-type': 'text/plain', origin: 'https://shop.test' },
    );

  it('takes the write key from the body at the one-letter paths, readable from any site', async () => {
    const track = await browser('/v1/t', {
      type: 'track',
      event: 'Product Viewed',
      anonymousId: 'ajs-anon-1',
      properties: { sku: 'A1' },
      messageId: 'ajs-1',
    });
    expect(track).toMatchObject({ status: 200, body: { success: true, status: 'accepted' } });
    expect(track.headers.get('access-control-allow-origin')).toBe('*');
    const page = await browser('/v1/p', {
      type: 'page',
      name: 'Pricing',
      anonymousId: 'ajs-anon-1',
      properties: { path: '/pricing' },
    });
    expect(page.status).toBe(200);
    const identify = await browser('/v1/i', {
      type: 'identify',
      userId: 'ajs-user-1',
      anonymousId: 'ajs-anon-1',
      traits: { plan: 'pro' },
    });
    expect(identify.status).toBe(200);
    const screen = await browser('/v1/s', { type: 'screen', name: 'Home', userId: 'ajs-user-1' });
    expect(screen.status).toBe(200);
    expect((await eventsOf('ajs-user-1')).map((e) => e.name)).toEqual([
      'Product Viewed',
      'page.viewed',
      '$identify',
      'screen.viewed',
    ]);
  });

  it('takes a batch at /v1/b with the key on the envelope, and at /v1/import', async () => {
    const batched = await post(
      '/v1/b',
      { batch: [{ type: 'track', event: 'Batched', userId: 'ajs-b' }], writeKey },
      { 'content-type': 'text/plain' },
    );
    expect(batched).toMatchObject({ status: 200, body: { success: true, accepted: 1 } });
    const imported = await post('/v1/import', {
      batch: [{ type: 'track', event: 'Imported', userId: 'ajs-b' }],
    });
    expect(imported).toMatchObject({ status: 200, body: { success: true, accepted: 1 } });
    expect((await eventsOf('ajs-b')).map((e) => e.name)).toEqual(['Batched', 'Imported']);
  });

  it('answers a CORS preflight before asking for the key', async () => {
    const response = await app.request('/v1/track', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
  });

  it('refuses a wrong key in the body with a readable 401; a header wins over the body', async () => {
    const wrong = await post(
      '/v1/t',
      { type: 'track', event: 'x', userId: 'ajs-w', writeKey: 'wk_wrong' },
      { 'content-type': 'text/plain', origin: 'https://shop.test' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({
      code: 'unauthorized',
      message: 'The write key is not valid.',
    });
    expect(wrong.headers.get('access-control-allow-origin')).toBe('*');
    const none = await post('/v1/t', { type: 'track', event: 'x', userId: 'ajs-w' }, {});
    expect(none.status).toBe(401);
    expect(none.body.error.message).toContain('writeKey in the body');

    const goodHeader = await post('/v1/track', {
      event: 'x',
      userId: 'ajs-w',
      writeKey: 'wk_wrong',
    });
    expect(goodHeader.status).toBe(200);
    const badHeader = await post(
      '/v1/track',
      { event: 'x', userId: 'ajs-w', writeKey },
      { authorization: 'Bearer wk_wrong' },
    );
    expect(badHeader.status).toBe(401);
  });

  it('gives the admin API no CORS headers: it stays same-origin', async () => {
    const preflight = await app.request('/api/contacts', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const list = await app.request('/api/contacts', {
      headers: { origin: 'https://evil.test', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(list.status).toBe(200);
    expect(list.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('compressed bodies', () => {
  it('inflates a gzip batch as analytics-kotlin sends it (text/plain to /b, key in the body)', async () => {
    const body = gzipSync(
      JSON.stringify({
        batch: [
          { type: 'identify', userId: 'kt-1', traits: { plan: 'gold' } },
          { type: 'track', userId: 'kt-1', event: 'App Opened' },
        ],
        sentAt: NOW.toISOString(),
        writeKey,
      }),
    );
    const response = await post('/v1/b', body, {
      'content-type': 'text/plain',
      'content-encoding': 'gzip',
    });
    expect(response).toMatchObject({ status: 200, body: { success: true, accepted: 2 } });
    expect((await contact('kt-1'))!.properties).toEqual({ plan: 'gold' });
  });

  it('inflates a deflate message', async () => {
    const body = deflateSync(JSON.stringify({ userId: 'py-1', event: 'Deflated' }));
    const response = await post('/v1/track', body, {
      authorization: `Bearer ${writeKey}`,
      'content-encoding': 'deflate',
    });
    expect(response.status).toBe(200);
    expect((await eventsOf('py-1')).map((e) => e.name)).toEqual(['Deflated']);
  });

  it('holds the decoded body to the limit: a small gzip that inflates past 500 KB is 413', async () => {
    const pad = 'x'.repeat(600 * 1024);
    const body = gzipSync(
      JSON.stringify({
        batch: [{ type: 'track', userId: 'bomb', event: 'e', properties: { pad } }],
      }),
    );
    expect(body.length).toBeLessThan(10 * 1024);
    const response = await post('/v1/batch', body, {
      authorization: `Bearer ${writeKey}`,
      'content-encoding': 'gzip',
      'content-length': String(body.length),
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
    expect(await eventsOf('bomb')).toHaveLength(0);
  });

  it('holds each message of a small gzip batch to 32 KB once inflated', async () => {
    const pad = 'x'.repeat(40 * 1024);
    const body = gzipSync(
      JSON.stringify({
        batch: [
          { type: 'track', userId: 'gz-big', event: 'Small' },
          { type: 'track', userId: 'gz-big', event: 'Big', properties: { pad } },
        ],
      }),
    );
    const response = await post('/v1/batch', body, {
      authorization: `Bearer ${writeKey}`,
      'content-encoding': 'gzip',
      'content-length': String(body.length),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      { field: 'batch.1', message: 'A message is at most 32 KB' },
    ]);
    expect((await eventsOf('gz-big')).map((e) => e.name)).toEqual(['Small']);
  });

  it('refuses a body that is not the gzip it claims with 400', async () => {
    const response = await post('/v1/track', Buffer.from('{"userId":"u","event":"e"}'), {
      authorization: `Bearer ${writeKey}`,
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0].field).toBe('(body)');
  });
});

describe('deeply nested messages', () => {
  /** `{"a":[[…[1]…]]}` as text: too deep for the test's own JSON.stringify. */
  const nested = (levels: number) => `{"a":${'['.repeat(levels)}1${']'.repeat(levels)}}`;
  const track = (userId: string, event: string, levels: number) =>
    `{"type":"track","userId":"${userId}","event":"${event}","properties":${nested(levels)}}`;

  it('refuses only the message nested too deep, naming its path; the batch keeps the rest', async () => {
    const response = await post(
      '/v1/batch',
      `{"batch":[{"type":"track","userId":"deep-1","event":"Fine"},${track('deep-1', 'Deep', 5_000)}]}`,
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ accepted: 1, rejected: 1 });
    const [issue] = response.body.error.issues;
    expect(issue.field).toMatch(/^batch\.1\.properties\.a(\.0){63}$/);
    expect(issue.message).toContain('Nested more than 64 levels');
    expect((await eventsOf('deep-1')).map((e) => e.name)).toEqual(['Fine']);
  });

  it('reads a batch nested as deep as 500 KB allows without a 500', async () => {
    const levels = 240_000;
    const response = await post(
      '/v1/batch',
      `{"batch":[{"type":"track","userId":"deep-3","event":"Fine"},{"type":"track","userId":"deep-3","event":"Deep","properties":{"a":${'['.repeat(levels)}${']'.repeat(levels)}}}]}`,
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ accepted: 1, rejected: 1 });
  });

  it('answers a single message nested too deep with 400, and stores one 64 levels deep', async () => {
    const deep = await post('/v1/track', track('deep-2', 'Deep', 5_000));
    expect(deep.status).toBe(400);
    expect(deep.body.error.code).toBe('invalid_message');
    // properties (1) › a's 63 arrays: 64 levels.
    expect((await post('/v1/track', track('deep-2', 'At the limit', 63))).status).toBe(200);
    expect((await post('/v1/track', track('deep-2', 'Over', 64))).status).toBe(400);
    expect((await eventsOf('deep-2')).map((e) => e.name)).toEqual(['At the limit']);
  });
});

describe('clock-skew correction', () => {
  it('corrects timestamp by the message sentAt, as analytics.js sends them', async () => {
    // The device's clock is 2 h slow; the event happened 5 s before it was sent.
    const response = await post('/v1/track', {
      userId: 'skew-1',
      event: 'Skewed',
      timestamp: ago(2 * HOUR + 5_000),
      sentAt: ago(2 * HOUR),
    });
    expect(response.status).toBe(200);
    const [event] = await eventsOf('skew-1');
    expect(event!.occurredAt.toISOString()).toBe(ago(5_000));
  });

  it('corrects by the batch sentAt, as the Python, Go, Swift and Kotlin libraries send it', async () => {
    const response = await post('/v1/batch', {
      sentAt: ago(3 * DAY),
      batch: [
        { type: 'track', userId: 'skew-2', event: 'Batched', timestamp: ago(3 * DAY + 60_000) },
        {
          type: 'track',
          userId: 'skew-2',
          event: 'Own sentAt',
          timestamp: ago(HOUR + 1_000),
          sentAt: ago(HOUR),
        },
        {
          type: 'track',
          userId: 'skew-2',
          event: 'RudderStack',
          originalTimestamp: ago(3 * DAY + 2_000),
          timestamp: ago(10 * DAY),
        },
      ],
    });
    expect(response.status).toBe(200);
    expect((await eventsOf('skew-2')).map((e) => [e.name, e.occurredAt.toISOString()])).toEqual([
      ['Batched', ago(60_000)],
      ['Own sentAt', ago(1_000)],
      ['RudderStack', ago(2_000)],
    ]);
  });

  it('takes a timestamp without sentAt as it is (a server import)', async () => {
    await post('/v1/track', {
      userId: 'skew-3',
      event: 'Imported',
      timestamp: '2025-01-02T03:04:05Z',
    });
    const [event] = await eventsOf('skew-3');
    expect(event!.occurredAt.toISOString()).toBe('2025-01-02T03:04:05.000Z');
  });
});

describe('what Segment keeps', () => {
  it.each(['', 'N/A', 'Carol <carol@x.test>', 42])(
    'identify with traits.email %j stores the rest and warns about the email',
    async (email) => {
      const userId = `lenient-${JSON.stringify(email)}`;
      const response = await post('/v1/identify', {
        userId,
        traits: { email, plan: 'pro', name: 'Carol' },
      });
      expect(response).toMatchObject({
        status: 200,
        body: {
          success: true,
          status: 'accepted',
          warnings: [{ field: 'traits.email', message: expect.stringContaining('Not an email') }],
        },
      });
      expect(await contact(userId)).toMatchObject({
        email: null,
        properties: { plan: 'pro', name: 'Carol' },
      });
    },
  );

  it('a lifecycle stage that is not text is left out with a warning', async () => {
    const response = await post('/v1/identify', {
      userId: 'lenient-stage',
      traits: { lifecycleStage: 3, plan: 'pro' },
    });
    expect(response.body.warnings).toEqual([
      { field: 'traits.lifecycleStage', message: expect.stringContaining('as text') },
    ]);
    expect(await contact('lenient-stage')).toMatchObject({
      lifecycleStage: null,
      properties: { plan: 'pro' },
    });
  });

  it('takes null context, traits, properties, timestamp and messageId as absent', async () => {
    const nulls = { context: null, timestamp: null, messageId: null, sentAt: null };
    const identify = await post('/v1/identify', { userId: 'nulls', traits: null, ...nulls });
    expect(identify).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect(identify.body.warnings).toBeUndefined();
    const track = await post('/v1/track', {
      userId: 'nulls',
      event: 'Null Props',
      properties: null,
      ...nulls,
    });
    expect(track.status).toBe(200);
    const page = await post('/v1/page', {
      userId: 'nulls',
      name: null,
      properties: null,
      context: { page: null, timezone: null },
    });
    expect(page.status).toBe(200);
    expect((await eventsOf('nulls')).map((e) => [e.name, e.properties, e.occurredAt])).toEqual([
      ['$identify', {}, NOW],
      ['Null Props', {}, NOW],
      ['page.viewed', {}, NOW],
    ]);
  });

  it('reads a timestamp without a zone as UTC, with a warning', async () => {
    const response = await post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'zoneless', event: 'Local', timestamp: '2026-05-24T10:00:00' },
        { type: 'track', userId: 'zoneless', event: 'Spaced', timestamp: '2026-05-24 11:00' },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.results).toEqual([
      {
        index: 0,
        status: 'accepted',
        warnings: [{ field: 'batch.0.timestamp', message: expect.stringContaining('read as UTC') }],
      },
      {
        index: 1,
        status: 'accepted',
        warnings: [{ field: 'batch.1.timestamp', message: expect.stringContaining('read as UTC') }],
      },
    ]);
    expect((await eventsOf('zoneless')).map((e) => e.occurredAt.toISOString())).toEqual([
      '2026-05-24T10:00:00.000Z',
      '2026-05-24T11:00:00.000Z',
    ]);
  });
});

describe('group and alias calls', () => {
  it.each(['/v1/group', '/v1/g'])('%s is answered 200, ignored', async (path) => {
    const response = await post(path, { userId: 'grouped', groupId: 'acme' });
    expect(response).toMatchObject({
      status: 200,
      body: {
        success: true,
        status: 'ignored',
        warnings: [{ field: 'type', message: expect.stringContaining('not supported yet') }],
      },
    });
  });

  it.each(['/v1/alias', '/v1/a'])('%s is stored, as identify is', async (path) => {
    const response = await post(path, {
      userId: `aliased${path}`,
      previousId: `anon${path}`,
      anonymousId: `anon${path}`,
    });
    expect(response).toMatchObject({ status: 200, body: { success: true, status: 'accepted' } });
    expect(response.body.warnings).toBeUndefined();
    expect((await eventsOf(`aliased${path}`)).map((e) => [e.name, e.properties])).toEqual([
      ['$alias', { previousId: `anon${path}` }],
    ]);
  });

  it.each([
    ['no previousId', { userId: 'u-alias' }, 'previousId'],
    ['no userId', { previousId: 'anon-alias', anonymousId: 'anon-alias' }, 'userId'],
    ['previousId equal to userId', { userId: 'u-alias', previousId: ' u-alias ' }, 'previousId'],
  ])('an alias with %s is refused, naming the field', async (_, body, field) => {
    const response = await post('/v1/alias', body);
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([{ field, message: expect.any(String) }]);
    const [stored] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from events where name = '$alias' and properties->>'previousId' = ${(body as { previousId?: string }).previousId?.trim() ?? ''}`;
    expect(stored!.n).toBe(0);
  });

  it('a batch with group and alias calls: the group is ignored, the alias stored; a refused message still makes it 400', async () => {
    const ok = await post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'grouped', event: 'Joined' },
        { type: 'group', userId: 'grouped', groupId: 'acme' },
        { type: 'alias', userId: 'grouped', previousId: 'anon' },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ success: true, accepted: 2, ignored: 1, rejected: 0 });
    expect(ok.body.results[1]).toEqual({
      index: 1,
      status: 'ignored',
      warnings: [{ field: 'batch.1.type', message: 'Ignored: group calls are not supported yet' }],
    });
    expect(ok.body.results[2]).toEqual({ index: 2, status: 'accepted' });
    const refused = await post('/v1/batch', {
      batch: [
        { type: 'group', userId: 'grouped', groupId: 'acme' },
        { type: 'track', userId: 'grouped' },
        { type: 'alias', userId: 'grouped' },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ ignored: 1, rejected: 2 });
    expect(refused.body.error.issues.map((i: { field: string }) => i.field)).toEqual([
      'batch.1.event',
      'batch.2.previousId',
    ]);
  });
});
