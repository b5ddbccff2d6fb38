import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
