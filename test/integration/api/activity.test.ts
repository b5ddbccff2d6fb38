// The activity feed (`GET /api/events`): the workspace's latest events, newest first, of every
// name or of one, paged by a cursor that neither skips nor repeats an event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let call: ReturnType<typeof createTestApp>['call'];
let writeKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call } = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher }));
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

interface Shown {
  name: string;
  occurredAt: string;
  source: string;
  properties: Record<string, unknown>;
  contact: { id: string; email: string | null; externalId: string | null };
}

/** Every page of `query`, `limit` at a time. */
async function pages(query: string, limit: number): Promise<Shown[][]> {
  const all: Shown[][] = [];
  let cursor: string | null = null;
  do {
    const qs: string = `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await call('GET', `/api/events?${qs}`);
    expect(response.status).toBe(200);
    all.push(response.body.events as Shown[]);
    cursor = response.body.nextCursor as string | null;
  } while (cursor);
  return all;
}

const at = (minute: number) =>
  `2026-03-0${1 + Math.floor(minute / 60)}T10:${String(minute % 60).padStart(2, '0')}:00.000Z`;

describe('the activity feed', () => {
  it('lists the latest events of every name, newest first, with who they are about', async () => {
    const sent = await call(
      'POST',
      '/v1/batch',
      {
        batch: [
          {
            type: 'identify',
            userId: 'ada',
            traits: { email: 'ada@example.com' },
            timestamp: at(0),
          },
          {
            type: 'track',
            userId: 'ada',
            event: 'Order Completed',
            properties: { amount: 30 },
            timestamp: at(5),
          },
          {
            type: 'track',
            userId: 'bob',
            event: 'page.viewed',
            properties: { path: '/pricing' },
            timestamp: at(7),
          },
          {
            type: 'track',
            userId: 'ada',
            event: 'page.viewed',
            properties: { path: '/' },
            timestamp: at(3),
          },
          {
            type: 'track',
            userId: 'bob',
            event: 'Order Completed',
            properties: { amount: 12 },
            timestamp: at(9),
          },
        ],
      },
      writeKey,
    );
    expect(sent.status).toBe(200);

    const [first, ...rest] = await pages('', 2);
    expect(rest.flat().length + first!.length).toBe(5);
    const feed = [first!, ...rest].flat();
    expect(feed.map((e) => [e.name, e.occurredAt])).toEqual([
      ['Order Completed', at(9)],
      ['page.viewed', at(7)],
      ['Order Completed', at(5)],
      ['page.viewed', at(3)],
      ['$identify', at(0)],
    ]);
    expect(feed[2]).toMatchObject({
      properties: { amount: 30 },
      contact: { email: 'ada@example.com', externalId: 'ada' },
    });
    expect(first).toHaveLength(2);

    const orders = (await pages('name=Order%20Completed', 1)).flat();
    expect(orders.map((e) => e.contact.externalId)).toEqual(['bob', 'ada']);
    expect((await pages('name=never.sent', 10)).flat()).toEqual([]);
  });

  it('pages through events of the same millisecond without skipping or repeating one', async () => {
    const [contact] = await db.sql<{ id: string }[]>`
      select id from contacts where external_id = 'bob'`;
    // Microseconds apart, in an order their ids do not follow.
    await db.sql`
      insert into events (workspace_id, contact_id, name, occurred_at, properties)
      select ${db.workspaceId}, ${contact!.id}, 'tick', t::timestamptz, jsonb_build_object('n', n)
      from (values ('2026-04-01T10:00:00.123456Z', 1), ('2026-04-01T10:00:00.123789Z', 2),
                   ('2026-04-01T10:00:00.123100Z', 3), ('2026-04-01T10:00:00.123456Z', 4)) v(t, n)`;
    const ticks = (await pages('name=tick', 1)).flat();
    expect(ticks.map((e) => e.properties.n)).toEqual([2, 4, 1, 3]);
  });

  it('refuses a cursor it did not hand out and a limit out of range, naming the field', async () => {
    const cursor = await call('GET', '/api/events?cursor=bm9wZQ');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.issues).toEqual([
      { field: 'cursor', message: 'The cursor is not one this API returned' },
    ]);
    const limit = await call('GET', '/api/events?limit=0');
    expect(limit.status).toBe(400);
    expect(limit.body.error.issues).toEqual([
      { field: 'query.limit', message: 'The limit is at least 1' },
    ]);
  });
});
