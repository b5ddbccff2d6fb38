import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// The group commit spreads a batch of tracks over its lanes by identity; each message's result
// must still come back at its own index, and a batch with identifies must apply in order.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let writeKey: string;
let test: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
  test = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function batch(messages: object[]) {
  const response = await test.app.request('/v1/batch', {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ batch: messages }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('a batch spread over the lanes', () => {
  it('answers every message at its own index: accepted, duplicate or rejected', async () => {
    const first = Array.from({ length: 30 }, (_, i) => ({
      type: 'track',
      userId: `lane-user-${i}`,
      event: 'lane.tested',
      properties: { n: i },
      messageId: `lane-${i}`,
    }));
    expect((await batch(first)).body.accepted).toBe(30);

    // Every third message replays one already stored; message 7 is bad.
    const second = Array.from({ length: 30 }, (_, i) =>
      i === 7
        ? { type: 'track', userId: 'lane-user-7' }
        : {
            type: 'track',
            userId: `lane-user-${(i * 7) % 30}`,
            event: 'lane.tested',
            properties: { n: 100 + i },
            messageId: i % 3 === 0 ? `lane-${(i * 7) % 30}` : `lane-again-${i}`,
          },
    );
    const response = await batch(second);
    expect(response.status).toBe(400);
    expect(response.body.results.map((r: { status: string }) => r.status)).toEqual(
      second.map((_, i) => (i === 7 ? 'rejected' : i % 3 === 0 ? 'duplicate' : 'accepted')),
    );
    expect(response.body.results.map((r: { index: number }) => r.index)).toEqual(
      second.map((_, i) => i),
    );
    // Each stored event landed on the contact its own message named.
    const rows = await db.sql<{ externalId: string; n: number }[]>`
      select c.external_id, (e.properties ->> 'n')::int as n
      from events e join contacts c on c.id = e.contact_id
      where e.name = 'lane.tested' and (e.properties ->> 'n')::int >= 100`;
    expect(rows).toHaveLength(19);
    for (const row of rows) expect(row.externalId).toBe(`lane-user-${((row.n - 100) * 7) % 30}`);
  });

  it('keeps a batch with identifies in order: the later trait wins', async () => {
    const response = await batch([
      { type: 'identify', anonymousId: 'lane-visitor', traits: { plan: 'trial' } },
      { type: 'track', userId: 'lane-buyer', event: 'lane.viewed' },
      {
        type: 'identify',
        userId: 'lane-buyer',
        anonymousId: 'lane-visitor',
        traits: { plan: 'pro' },
      },
    ]);
    expect(response.status).toBe(200);
    const [row] = await db.sql<{ plan: string }[]>`
      select properties ->> 'plan' as plan from contacts
      where external_id = 'lane-buyer' and merged_into is null`;
    expect(row!.plan).toBe('pro');
  });
});
