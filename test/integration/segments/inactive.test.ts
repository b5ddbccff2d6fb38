import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createSegmentActivities } from '@relance/activities/segments';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// The acceptance path: a click arrives through the ingestion API; the clock (injected, no
// sleeping) moves past 15 days; the segment tick moves the contact into "Inactive" and logs
// it; a new click moves the contact out again.

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

it('moves a contact into "Inactive" 15 days after the last click, and out on the next click', async () => {
  let now = new Date('2025-04-01T08:00:00Z');
  const { dispatcher, calls } = createRecordingDispatcher();
  const { app } = createTestApp({ db, temporal, dispatcher, overrides: { clock: () => now } });
  const writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!
    .writeKey;
  const track = (body: object) =>
    app.request('/v1/track', {
      method: 'POST',
      headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const inactive = (
    await db.sql<{ id: string }[]>`select id from segments where builtin = 'inactive'`
  )[0]!.id;
  const memberOfInactive = async () =>
    (
      await db.sql`select 1 from segment_members m join contacts c on c.id = m.contact_id
      where m.segment_id = ${inactive} and c.external_id = 'zoe'`
    ).length === 1;
  const changes = () =>
    db.sql<{ change: string; cause: string; at: Date; id: string }[]>`
      select g.id::text as id, g.change, g.cause, g.at from segment_changes g
      where g.segment_id = ${inactive} order by g.id`;

  const clicked = await track({
    userId: 'zoe',
    event: 'email.clicked',
    properties: { templateId: 'welcome' },
    messageId: 'click-1',
    timestamp: now.toISOString(),
  });
  expect(clicked.status).toBe(200);
  await vi.waitFor(() => expect(calls.events).toHaveLength(1));

  const segments = createSegmentActivities({ sql: db.sql, dispatcher });
  now = new Date(now.getTime() + 14 * DAY);
  await segments.segmentTick({ now: now.getTime() });
  expect(await memberOfInactive()).toBe(false);

  // Past T0 + 15 days: the tick finds the crossing from the rollup alone.
  now = new Date(now.getTime() + DAY + 60_000);
  const tick = await segments.segmentTick({ now: now.getTime() });
  expect(tick).toMatchObject({ candidates: 1, changes: 1 });
  expect(await memberOfInactive()).toBe(true);
  const [entered] = await changes();
  expect(entered).toMatchObject({ change: 'entered', cause: 'tick', at: now });
  expect(calls.segmentChanges).toContain(entered!.id);

  now = new Date(now.getTime() + DAY);
  const again = await track({ userId: 'zoe', event: 'email.clicked', messageId: 'click-2' });
  expect(again.status).toBe(200);
  await vi.waitFor(async () => expect(await memberOfInactive()).toBe(false));
  const log = await changes();
  expect(log.map((c) => [c.change, c.cause])).toEqual([
    ['entered', 'tick'],
    ['exited', 'ingest'],
  ]);
  await vi.waitFor(() => expect(calls.segmentChanges).toContain(log[1]!.id));
});
