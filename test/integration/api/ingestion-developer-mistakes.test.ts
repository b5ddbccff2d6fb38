import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuplicateWarnings } from '@relance/api/ingest/duplicate-warnings';
import { parseMessage } from '@relance/api/ingest/messages';
import { createOrderValueWarnings } from '@relance/api/ingest/order-value-warnings';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// What a developer wiring a site and a backend into /v1 gets wrong on the first day, and what
// the answer must tell them: where the mistake is and how to send it instead.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let writeKey: string;
let app: ReturnType<typeof createTestApp>['app'];

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
  ({ app } = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher }));
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await app.request(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${writeKey}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('property names with a dot', () => {
  it('stores them as sent and warns at each that no segment, template or journey will find it', async () => {
    const track = await post('/v1/track', {
      userId: 'dot-1',
      event: 'Product Viewed',
      properties: { 'product.id': 'p1', price: 12, variant: { 'size.eu': 42 } },
    });
    expect(track.status).toBe(200);
    expect(track.body.status).toBe('accepted');
    expect(track.body.warnings).toEqual([
      {
        field: 'properties.product.id',
        message:
          '"product.id" has a dot: segments, templates and journeys read product.id as id inside product, so they will not find this value. It was stored as sent; name it product_id, or send product: { id: … }',
      },
      expect.objectContaining({ field: 'properties.variant.size.eu' }),
    ]);
    const [event] = await db.sql<{ properties: Record<string, unknown> }[]>`
      select e.properties from events e join contacts c on c.id = e.contact_id
      where c.external_id = 'dot-1'`;
    expect(event!.properties).toEqual({
      'product.id': 'p1',
      price: 12,
      variant: { 'size.eu': 42 },
    });

    const identify = await post('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'dot-1', traits: { 'address.city': 'Lyon', plan: 'pro' } },
      ],
    });
    expect(identify.body.results[0].warnings).toEqual([
      expect.objectContaining({
        field: 'batch.0.traits.address.city',
        message: expect.stringContaining('name it address_city, or send address: { city: … }'),
      }),
    ]);
  });

  it('says nothing of names without one, nested or not', async () => {
    const track = await post('/v1/page', {
      userId: 'dot-2',
      name: 'Pricing',
      properties: { path: '/pricing', items: [[1, 2], [3]], referrer: { host: 'x.test' } },
    });
    expect(track.body).toEqual({ success: true, status: 'accepted' });
  });
});

describe('an email address as the userId', () => {
  it('is the contact id, with a warning that they have no email until traits.email says it', async () => {
    const identify = await post('/v1/identify', {
      userId: 'Bob@Shop.test',
      traits: { name: 'Bob' },
    });
    expect(identify.status).toBe(200);
    expect(identify.body.warnings).toEqual([
      {
        field: 'userId',
        message:
          'An email address: kept as the contact\'s id (external id), not as their email, so no email can be sent to them. Send it as traits.email too, such as { "userId": "Bob@Shop.test", "traits": { "email": "Bob@Shop.test" } }, or better, your own id for them as userId',
      },
    ]);
    const [contact] = await db.sql<{ email: string | null }[]>`
      select email from contacts where external_id = 'Bob@Shop.test'`;
    expect(contact!.email).toBeNull();

    const fixed = await post('/v1/identify', {
      userId: 'Bob@Shop.test',
      traits: { email: 'Bob@Shop.test' },
    });
    expect(fixed.body).toEqual({ success: true, status: 'accepted' });
  });
});

describe('the wrong credential', () => {
  const ADMIN_LIKE = 'rl_admin_0123456789abcdefghij';

  it('says the admin token is for /api when /v1 is sent it, and where the write key is', async () => {
    const sent = await post(
      '/v1/track',
      { userId: 'key-1', event: 'x' },
      { authorization: `Bearer ${ADMIN_LIKE}` },
    );
    expect(sent.status).toBe(401);
    expect(sent.body.error.message).toBe(
      "This is the admin token, which signs in to /api. Ingestion under /v1 takes the workspace's write key (wk_…): printed by npm start, shown in Settings and as writeKey by GET /api/workspace.",
    );
    const wrong = await post(
      '/v1/track',
      { userId: 'key-1', event: 'x' },
      { authorization: 'Bearer wk_not-this-workspaces-key' },
    );
    expect(wrong.body.error.message).toBe('The write key is not valid.');
  });

  it('says the write key is for /v1 when /api is sent it, as a Bearer token or a Basic user', async () => {
    expect(writeKey.startsWith('wk_')).toBe(true);
    const expected =
      'This is a write key, which sends data to /v1 (identify, track, batch). The admin API under /api takes the admin token: Authorization: Bearer rl_admin_… (printed by npm start).';
    const bearer = await app.request('/api/contacts', {
      headers: { authorization: `Bearer ${writeKey}` },
    });
    expect(bearer.status).toBe(401);
    expect(((await bearer.json()) as any).error.message).toBe(expected);
    const basic = await app.request('/api/contacts', {
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
    });
    expect(basic.status).toBe(401);
    expect(((await basic.json()) as any).error.message).toBe(expected);
  });
});

describe('a body that is not JSON', () => {
  it('says where the parser stopped, and names a trailing comma', async () => {
    const comma = await post('/v1/track', '{\n  "userId": "json-1",\n  "event": "x",\n}');
    expect(comma.status).toBe(400);
    expect(comma.body.error).toMatchObject({
      code: 'invalid_json',
      message:
        'The body is not valid JSON: a comma before a closing bracket at line 3, column 15: remove it (JSON allows none there)',
    });
    const cut = await post('/v1/batch', '{"batch":[{"type":"track","userId":"json-1"', {
      'content-type': 'text/plain',
    });
    expect(cut.body.error.message).toBe(
      'The body is not valid JSON: it ends before the JSON does (a missing } or ], or a cut-off body)',
    );
    const quotes = await post('/v1/identify', "{'userId':'json-1'}");
    expect(quotes.body.error.message).toBe(
      "The body is not valid JSON: Expected property name or '}' at line 1, column 2",
    );
    expect(quotes.body.error.issues).toEqual([
      {
        field: '(body)',
        message:
          "Not valid JSON (Expected property name or '}' at line 1, column 2): send a JSON object with Content-Type: application/json",
      },
    ]);
  });
});

describe('a time sent as a number', () => {
  it.each([
    [1_764_000_000, 'seconds', '2025-11-24T16:00:00.000Z', '1764000000 * 1000'],
    [1_764_000_000_123, 'milliseconds', '2025-11-24T16:00:00.123Z', '1764000000123'],
    ['1764000000', 'seconds', '2025-11-24T16:00:00.000Z', '1764000000 * 1000'],
  ])('%s is refused saying it reads as %s and what to send', async (timestamp, unit, iso, code) => {
    const sent = await post('/v1/track', { userId: 'time-1', event: 'x', timestamp });
    expect(sent.status).toBe(400);
    expect(sent.body.error.issues).toEqual([
      {
        field: 'timestamp',
        message: `A number, which reads as ${unit} since 1970 (${iso}): send the date-time itself, such as "${iso}" (new Date(${code}).toISOString() in JavaScript)`,
      },
    ]);
  });

  it('names the field in a batch too, and keeps the plain advice for text that is no time', async () => {
    const sent = await post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'time-1', event: 'x', originalTimestamp: 1_764_000_000 },
        { type: 'track', userId: 'time-1', event: 'x', timestamp: 'yesterday' },
      ],
    });
    expect(sent.body.error.issues).toEqual([
      {
        field: 'batch.0.originalTimestamp',
        message: expect.stringContaining('reads as seconds since 1970 (2025-11-24T16:00:00.000Z)'),
      },
      {
        field: 'batch.1.timestamp',
        message: 'Use an ISO 8601 date-time, such as 2025-06-15T09:30:00Z',
      },
    ]);
  });
});

describe('a messageId used again for another message', () => {
  const track = (body: object) => {
    const parsed = parseMessage('track', body, new Date());
    if ('issues' in parsed) throw new Error(JSON.stringify(parsed.issues));
    return parsed.message;
  };

  it('warns at messageId that the second was not stored, and says nothing of a resend', async () => {
    const order = {
      userId: 'dup-1',
      event: 'order.completed',
      messageId: 'order-1042',
      properties: { orderId: '1042', amount: 59.9, items: [{ sku: 'A1' }] },
    };
    expect((await post('/v1/track', order)).body.status).toBe('accepted');
    const refund = { ...order, event: 'order.refunded', properties: { orderId: '1042' } };
    const changed = { ...order, properties: { orderId: '1042', amount: 12 } };
    // The same message again, its properties in another order: an SDK's retry.
    const resend = {
      ...order,
      properties: { items: [{ sku: 'A1' }], amount: 59.9, orderId: '1042' },
    };
    const warnings = createDuplicateWarnings({ sql: db.sql });
    const messages = [refund, changed, resend].map(track);
    const duplicate = { status: 'duplicate' as const, contactId: 'unused' };
    expect(await warnings(db.workspaceId, messages, [duplicate, duplicate, duplicate])).toEqual([
      [
        {
          field: 'messageId',
          message:
            'Already used by another event, order.completed: this order.refunded was not stored. A messageId names one message: give each its own (only a resend of the same message keeps it)',
        },
      ],
      [
        {
          field: 'messageId',
          message:
            'Already used by the same order.completed with other properties: this order.completed was not stored. A messageId names one message: give each its own (only a resend of the same message keeps it)',
        },
      ],
      [],
    ]);
    // An accepted message is never read back.
    expect(
      await warnings(
        db.workspaceId,
        [messages[0]!],
        [{ status: 'accepted', contactId: 'unused', eventId: '1' }],
      ),
    ).toEqual([[]]);
  });
});

describe('an order the reports would count with no value', () => {
  const order = (properties: Record<string, unknown>, event = 'order.completed') => {
    const parsed = parseMessage('track', { userId: 'ord-1', event, properties }, new Date());
    if ('issues' in parsed) throw new Error(JSON.stringify(parsed.issues));
    return parsed.message;
  };
  let clock = new Date('2026-06-01T12:00:00Z');
  const warnings = () => createOrderValueWarnings({ sql: db.sql, now: () => clock });

  it('names the value property it lacks, the one it has instead, a value that is no number and another currency', async () => {
    const check = warnings();
    // Segment's e-commerce spec: Order Completed { total, revenue, currency }.
    expect(await check(db.workspaceId, order({ orderId: '1', total: 59.9 }))).toEqual([
      {
        field: 'properties.amount',
        message:
          "This order.completed has no amount, the property the workspace reads an order's value from (Settings, What an order is): it counts as an order worth nothing in revenue. It has total: send its value as amount too, or choose total as the value property in Settings",
      },
    ]);
    expect(await check(db.workspaceId, order({ orderId: '2' }))).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("Send the order's total as amount, a number such as 59.9"),
      }),
    ]);
    expect(await check(db.workspaceId, order({ amount: '59,90 €' }))).toEqual([
      expect.objectContaining({
        field: 'properties.amount',
        message: expect.stringContaining('Not a number: the order counts with no value in revenue'),
      }),
    ]);
    expect(await check(db.workspaceId, order({ amount: 59.9, currency: 'usd' }))).toEqual([
      {
        field: 'properties.currency',
        message:
          "usd, not the workspace's EUR: the order counts with no value in revenue, there being no exchange rate. If your shop sells in USD, set the workspace's currency to it in Settings (What an order is)",
      },
    ]);
  });

  it('says nothing of an order the reports can count, nor of other events', async () => {
    const check = warnings();
    expect(await check(db.workspaceId, order({ amount: 59.9, currency: 'eur' }))).toEqual([]);
    expect(await check(db.workspaceId, order({ amount: '59.90' }))).toEqual([]);
    expect(await check(db.workspaceId, order({ total: 5 }, 'Product Viewed'))).toEqual([]);
  });

  it('follows the settings once its cache has expired', async () => {
    const check = warnings();
    expect(await check(db.workspaceId, order({ total: 59.9 }, 'Order Completed'))).toEqual([]);
    await db.sql`update workspaces set conversion_event = 'Order Completed',
      conversion_value_property = 'total', currency = 'USD' where id = ${db.workspaceId}`;
    try {
      clock = new Date(clock.getTime() + 31_000);
      expect(
        await check(db.workspaceId, order({ total: 59.9, currency: 'USD' }, 'Order Completed')),
      ).toEqual([]);
      expect(await check(db.workspaceId, order({ revenue: 59.9 }, 'Order Completed'))).toEqual([
        expect.objectContaining({
          field: 'properties.total',
          message: expect.stringContaining('It has revenue: send its value as total too'),
        }),
      ]);
    } finally {
      await db.sql`update workspaces set conversion_event = 'order.completed',
        conversion_value_property = 'amount', currency = 'EUR' where id = ${db.workspaceId}`;
    }
  });
});
