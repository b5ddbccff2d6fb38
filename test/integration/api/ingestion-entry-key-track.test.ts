import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// POST /v1/track and /v1/batch answer an order without an orderId with a warning when a live
// journey on that event runs "One journey per: orderId": the order is stored, and starts a run
// of its own.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let app: ReturnType<typeof createTestApp>['app'];
let writeKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
  ({ app } = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher }));
  const [journey] = await db.sql<{ id: string }[]>`
    insert into journeys (workspace_id, name, draft)
    values (${db.workspaceId}, 'Post-purchase', '{}') returning id`;
  const trigger = {
    kind: 'trigger.event',
    config: { event: 'order.completed', entryKey: 'orderId' },
  };
  const [version] = await db.sql<{ id: string }[]>`
    insert into journey_versions (workspace_id, journey_id, version, document, plan, trigger_kind)
    values (${db.workspaceId}, ${journey!.id}, 1, '{}', ${db.sql.json({ trigger })}, 'event')
    returning id`;
  await db.sql`
    update journeys set live_version_id = ${version!.id}, status = 'active' where id = ${journey!.id}`;
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const send = async (path: string, body: unknown) => {
  const response = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${writeKey}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
};

const warning = {
  field: 'properties.orderId',
  message:
    'The event has no orderId: each such order.completed starts its own run of ' +
    '"Post-purchase", which is one per orderId',
};

it('warns at properties.orderId, and stores the order', async () => {
  const keyless = await send('/v1/track', {
    userId: 'anna',
    event: 'order.completed',
    properties: { amount: 40 },
  });
  expect(keyless).toEqual({
    status: 200,
    body: { success: true, status: 'accepted', warnings: [warning] },
  });
  const keyed = await send('/v1/track', {
    userId: 'anna',
    event: 'order.completed',
    properties: { orderId: 'ORD-1042', amount: 40 },
  });
  expect(keyed).toEqual({ status: 200, body: { success: true, status: 'accepted' } });
  const batch = await send('/v1/batch', {
    batch: [
      {
        type: 'track',
        userId: 'anna',
        event: 'order.completed',
        properties: { orderId: 'ORD-7', amount: 40 },
      },
      { type: 'track', userId: 'anna', event: 'order.completed', properties: { amount: 40 } },
    ],
  });
  expect(batch.body.results).toEqual([
    { index: 0, status: 'accepted' },
    {
      index: 1,
      status: 'accepted',
      warnings: [{ ...warning, field: 'batch.1.properties.orderId' }],
    },
  ]);
  const stored = await db.sql`select 1 from events where name = 'order.completed'`;
  expect(stored).toHaveLength(4);
});
