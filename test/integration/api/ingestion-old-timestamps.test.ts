import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// Times before 1970 are placeholders (Swift's Date.distantPast is year 1), not when something
// happened: refused, naming the field. Old but real times (a history replay) are stored as
// sent and handed to journeys, which leave history alone (test/integration/journeys/old-events).

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

async function send(path: string, body: unknown) {
  const response = await app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const storedAt = async (messageId: string) => {
  const [row] = await db.sql<{ occurredAt: Date }[]>`
    select occurred_at from events where message_id = ${messageId}`;
  return row?.occurredAt.toISOString();
};

describe('timestamps before 1970', () => {
  it.each([
    ['timestamp', '0001-01-01T00:00:00Z'],
    ['timestamp', '1969-12-31T23:59:59Z'],
    ['originalTimestamp', '0001-01-01T00:00:00.000Z'],
  ])('%s %s → 400 naming it, nothing stored', async (field, value) => {
    const messageId = `early-${field}-${value}`;
    const response = await send('/v1/track', {
      userId: 'u',
      event: 'Order Completed',
      [field]: value,
      messageId,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      { field, message: expect.stringContaining('Before 1970') },
    ]);
    expect(await storedAt(messageId)).toBeUndefined();
  });

  it('in a batch, only that message is refused', async () => {
    const response = await send('/v1/batch', {
      batch: [
        { type: 'track', userId: 'u', event: 'a', timestamp: '0001-01-01T00:00:00Z' },
        { type: 'track', userId: 'u', event: 'b', messageId: 'batch-good' },
      ],
    });
    expect(response.body.results[0]).toMatchObject({
      status: 'rejected',
      issues: [{ field: 'batch.0.timestamp', message: expect.stringContaining('Before 1970') }],
    });
    expect(response.body.results[1]).toMatchObject({ status: 'accepted' });
    expect(await storedAt('batch-good')).toBeDefined();
  });

  it('1970 and a 2019 order are stored as sent, and reach the dispatcher as events', async () => {
    for (const [messageId, timestamp] of [
      ['epoch', '1970-01-01T00:00:00Z'],
      ['replayed-2019', '2019-03-01T10:00:00Z'],
    ]) {
      const response = await send('/v1/track', {
        userId: 'u',
        event: 'Order Completed',
        timestamp,
        messageId,
      });
      expect(response).toEqual({ status: 200, body: { success: true, status: 'accepted' } });
      expect(await storedAt(messageId!)).toBe(new Date(timestamp!).toISOString());
    }
    const [replayed] = await db.sql<{ id: string }[]>`
      select id::text as id from events where message_id = 'replayed-2019'`;
    await vi.waitFor(() => expect(recorded.calls.events).toContain(replayed!.id));
  });
});
