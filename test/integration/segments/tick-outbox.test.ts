import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { JourneyDispatcher } from '@relance/db';
import { createSegmentActivities } from '@relance/activities/segments';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// The segment clock's tick keeps the changes it commits in the journey outbox until they are
// dispatched: a worker stopped between the tick's commit and its dispatch leaves them to the
// redelivery loop instead of losing the journeys they start.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const DAY = 86_400_000;

const outbox = () =>
  db.sql<{ changeIds: string[] }[]>`
    select change_ids::text[] as change_ids from journey_outbox order by id`;

it('a tick whose dispatch fails leaves its segment changes in the outbox; one dispatched leaves none', async () => {
  let now = new Date('2025-04-01T08:00:00Z');
  const { dispatcher, calls } = createRecordingDispatcher();
  const { app } = createTestApp({ db, temporal, dispatcher, overrides: { clock: () => now } });
  const writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!
    .writeKey;
  const track = (userId: string) =>
    app.request('/v1/track', {
      method: 'POST',
      headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId, event: 'email.clicked', timestamp: now.toISOString() }),
    });
  expect((await track('zoe')).status).toBe(200);
  await vi.waitFor(() => expect(calls.events).toHaveLength(1));
  await vi.waitFor(async () => expect(await outbox()).toEqual([]));

  // 15 days later "Inactive" takes Zoe in; the worker's dispatch fails (Postgres gone, say).
  const failing: JourneyDispatcher = {
    eventsRecorded: () => Promise.reject(new Error('connection lost')),
    segmentsChanged: () => Promise.reject(new Error('connection lost')),
    contactsChanged: () => Promise.reject(new Error('connection lost')),
  };
  const lines: string[] = [];
  const working = createSegmentActivities({ sql: db.sql, dispatcher });
  // The tick looks at the crossings since the last tick.
  now = new Date(now.getTime() + 14 * DAY);
  await working.segmentTick({ now: now.getTime() });
  now = new Date(now.getTime() + DAY + 60_000);
  const broken = createSegmentActivities({
    sql: db.sql,
    dispatcher: failing,
    log: (line) => lines.push(line),
  });
  const tick = await broken.segmentTick({ now: now.getTime() });
  expect(tick).toMatchObject({ changes: 1 });
  const [entered] = await db.sql<{ id: string }[]>`
    select id::text as id from segment_changes where cause = 'tick'`;
  expect(await outbox()).toEqual([{ changeIds: [entered!.id] }]);
  expect(lines.join('\n')).toContain('connection lost');

  // A second contact crosses later; this tick dispatches and clears its own row only.
  await db.sql`delete from journey_outbox`;
  now = new Date(now.getTime() + DAY);
  expect((await track('yan')).status).toBe(200);
  await vi.waitFor(() => expect(calls.events).toHaveLength(2));
  await vi.waitFor(async () => expect(await outbox()).toEqual([]));
  now = new Date(now.getTime() + 14 * DAY);
  await working.segmentTick({ now: now.getTime() });
  now = new Date(now.getTime() + DAY + 60_000);
  expect(await working.segmentTick({ now: now.getTime() })).toMatchObject({ changes: 1 });
  const [yanEntered] = await db.sql<{ id: string }[]>`
    select id::text as id from segment_changes where cause = 'tick' order by id desc limit 1`;
  expect(calls.segmentChanges).toContain(yanEntered!.id);
  expect(await outbox()).toEqual([]);
});
