import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IngestMessage } from '@relance/db';
import { createEntryKeyWarnings } from '../../../apps/api/src/ingest/entry-key-warnings';
import { createTestDatabase, type TestDatabase } from '../../support/db';

// A developer tracking orders without an orderId into a workspace whose post-purchase journey
// runs "One journey per: orderId" hears that each such order starts its own run, from a lookup
// read once per half minute, not per request.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function liveJourney(name: string, trigger: object, status = 'active') {
  const [journey] = await db.sql<{ id: string }[]>`
    insert into journeys (workspace_id, name, draft)
    values (${db.workspaceId}, ${name}, '{}') returning id`;
  const [version] = await db.sql<{ id: string }[]>`
    insert into journey_versions (workspace_id, journey_id, version, document, plan, trigger_kind)
    values (${db.workspaceId}, ${journey!.id}, 1, '{}',
      ${db.sql.json({ trigger } as never)}, 'event')
    returning id`;
  await db.sql`
    update journeys set live_version_id = ${version!.id}, status = ${status}
    where id = ${journey!.id}`;
}

const track = (event: string, properties: Record<string, unknown>): IngestMessage => ({
  type: 'track',
  identity: { userId: 'anna' },
  event,
  properties,
  occurredAt: new Date(),
});

it('warns at properties.orderId when a live journey keys its runs by it, from a cached lookup', async () => {
  await liveJourney('Post-purchase', {
    kind: 'trigger.event',
    config: { event: 'order.completed', entryKey: 'orderId', where: null },
  });
  await liveJourney('Big orders', {
    kind: 'trigger.event',
    config: {
      event: 'order.completed',
      entryKey: 'orderId',
      where: { kind: 'property', property: 'amount', op: 'gte', value: 100 },
    },
  });
  await liveJourney(
    'Paused thanks',
    { kind: 'trigger.event', config: { event: 'order.completed', entryKey: 'orderId' } },
    'paused',
  );
  let now = Date.UTC(2026, 10, 25, 10);
  const queries: string[] = [];
  const sql = new Proxy(db.sql, {
    apply(target, self, args: Parameters<typeof db.sql>) {
      queries.push('query');
      return Reflect.apply(target, self, args);
    },
  });
  const warningsFor = createEntryKeyWarnings({ sql, now: () => new Date(now) });
  const w = db.workspaceId;

  expect(await warningsFor(w, track('order.completed', { amount: 40 }))).toEqual([
    {
      field: 'properties.orderId',
      message:
        'The event has no orderId: each such order.completed starts its own run of ' +
        '"Post-purchase", which is one per orderId',
    },
  ]);
  expect(await warningsFor(w, track('order.completed', { amount: 140, orderId: '' }))).toEqual([
    {
      field: 'properties.orderId',
      message:
        'The event has no orderId: each such order.completed starts its own run of ' +
        '"Big orders", "Post-purchase", which is one per orderId',
    },
  ]);
  expect(await warningsFor(w, track('order.completed', { orderId: 'ORD-1042' }))).toEqual([]);
  expect(await warningsFor(w, track('order.completed', { orderId: 1042 }))).toEqual([]);
  expect(await warningsFor(w, track('page.viewed', {}))).toEqual([]);
  expect(queries).toHaveLength(1);

  // A journey published since is heard of once the lookup is read again.
  await liveJourney('Refunds', {
    kind: 'trigger.event',
    config: { event: 'order.refunded', entryKey: 'refundId' },
  });
  expect(await warningsFor(w, track('order.refunded', {}))).toEqual([]);
  now += 30_001;
  expect(await warningsFor(w, track('order.refunded', {}))).toMatchObject([
    { field: 'properties.refundId' },
  ]);
  expect(queries).toHaveLength(2);
});
