import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// The home page's "N contacts in them now" counts people, not runs: a buyer with two orders in a
// post-purchase journey (one run per order) is one contact in it.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let test: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  test = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

it('counts the contacts in journeys now, once each, whatever their number of runs', async () => {
  const contacts = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, email)
    values (${db.workspaceId}, 'ada@example.com'), (${db.workspaceId}, 'bob@example.com')
    returning id`;
  const [ada, bob] = contacts.map((c) => c.id) as [string, string];
  const journey = async (name: string) => {
    const [row] = await db.sql<{ id: string; version: string }[]>`
      with j as (
        insert into journeys (workspace_id, name, draft, status)
        values (${db.workspaceId}, ${name}, '{}', 'active') returning id)
      insert into journey_versions (workspace_id, journey_id, version, document, plan, trigger_kind)
      select ${db.workspaceId}, j.id, 1, '{}', '{}', 'event' from j
      returning journey_id as id, id as version`;
    return row!;
  };
  const postPurchase = await journey('Post-purchase');
  const welcome = await journey('Welcome');
  let n = 0;
  const run = (j: { id: string; version: string }, contactId: string, status: string) => db.sql`
    insert into journey_runs (id, workspace_id, journey_id, version_id, contact_id, workflow_id,
      entry_key, entry, status, started_at)
    values (gen_random_uuid(), ${db.workspaceId}, ${j.id}, ${j.version}, ${contactId},
      ${`run-${++n}`}, ${`ORD-${n}`}, ${db.sql.json({ kind: 'manual' })}, ${status}, now())`;
  // Ada: two orders in Post-purchase and the Welcome journey; Bob: one run held, one finished.
  await run(postPurchase, ada, 'active');
  await run(postPurchase, ada, 'active');
  await run(welcome, ada, 'active');
  await run(postPurchase, bob, 'held');
  await run(welcome, bob, 'completed');

  const overview = await test.call('GET', '/api/overview');
  expect(overview.status).toBe(200);
  expect(overview.body.journeys).toEqual({ active: 2, paused: 0, inFlight: 2 });
});
