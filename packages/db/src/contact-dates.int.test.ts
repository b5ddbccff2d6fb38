import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import { reindexWorkspaceDates } from './contact-dates';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`update workspaces set timezone = 'America/New_York' where id = ${db.workspaceId}`;
});
afterAll(async () => {
  await db.drop();
});

const datesOf = (email: string) =>
  db.sql<{ name: string; at: Date; monthDay: number }[]>`
    select d.name, d.at, d.month_day from contact_date_properties d
    join contacts c on c.id = d.contact_id where c.email = ${email} order by d.name`;

// Migration 0026 indexes new contacts' dates once per insert statement: every row of a
// multi-row insert, nested properties, each contact's zone or else the workspace's.
it('indexes the dates of every contact a statement creates, each in its own zone', async () => {
  const created = new Date('2025-03-01T10:00:00Z');
  await db.sql`
    insert into contacts (workspace_id, email, properties, timezone, created_at)
    values
      (${db.workspaceId}, 'tokyo@x.test',
        ${db.sql.json({ birthday: '1990-03-14T23:30', plan: 'pro', contract: { ends: '2026-01-31' } })},
        'Asia/Tokyo', ${created}),
      (${db.workspaceId}, 'nyc@x.test', ${db.sql.json({ birthday: '1990-03-14T23:30' })}, null,
        ${created}),
      (${db.workspaceId}, 'plain@x.test', ${db.sql.json({ plan: 'free' })}, null, ${created})`;
  expect(await datesOf('tokyo@x.test')).toEqual([
    { name: '$created_at', at: created, monthDay: 301 },
    { name: 'birthday', at: new Date('1990-03-14T14:30:00Z'), monthDay: 314 },
    { name: 'contract.ends', at: new Date('2026-01-30T15:00:00Z'), monthDay: 131 },
  ]);
  // Without its own zone a contact's wall-clock dates are the workspace's.
  expect(await datesOf('nyc@x.test')).toEqual([
    { name: '$created_at', at: created, monthDay: 301 },
    { name: 'birthday', at: new Date('1990-03-15T04:30:00Z'), monthDay: 314 },
  ]);
  expect(await datesOf('plain@x.test')).toEqual([
    { name: '$created_at', at: created, monthDay: 301 },
  ]);
});

it('re-indexes when properties or the zone change, and only then', async () => {
  await db.sql`
    insert into contacts (workspace_id, email, properties)
    values (${db.workspaceId}, 'moves@x.test', ${db.sql.json({ renews: '2025-06-20' })})`;
  await db.sql`update contacts set timezone = 'Pacific/Kiritimati' where email = 'moves@x.test'`;
  const [renews] = (await datesOf('moves@x.test')).filter((d) => d.name === 'renews');
  expect(renews).toEqual({ name: 'renews', at: new Date('2025-06-19T10:00:00Z'), monthDay: 620 });
  await db.sql`update contacts set properties = '{}' where email = 'moves@x.test'`;
  expect((await datesOf('moves@x.test')).map((d) => d.name)).toEqual(['$created_at']);
});

// A contact without a zone of its own reads its wall-clock dates in the workspace's zone, which
// its own triggers do not follow: the time-zone re-check indexes them again, in steps.
it('re-indexes the dates of contacts without a zone of their own in the workspace’s new zone', async () => {
  const created = new Date('2025-03-01T02:00:00Z');
  await db.sql`
    insert into contacts (workspace_id, email, properties, timezone, created_at)
    select ${db.workspaceId}, 'zoneless' || n || '@x.test', ${db.sql.json({ renews: '2025-07-01' })},
      null, ${created}
    from generate_series(1, 5) n`;
  await db.sql`
    insert into contacts (workspace_id, email, properties, timezone, created_at)
    values (${db.workspaceId}, 'paris@x.test', ${db.sql.json({ renews: '2025-07-01' })},
      'Europe/Paris', ${created})`;
  // Local midnight in New York, and 1 March there at 02:00 UTC is still 28 February.
  expect(await datesOf('zoneless3@x.test')).toEqual([
    { name: '$created_at', at: created, monthDay: 228 },
    { name: 'renews', at: new Date('2025-07-01T04:00:00Z'), monthDay: 701 },
  ]);

  await db.sql`update workspaces set timezone = 'Asia/Tokyo' where id = ${db.workspaceId}`;
  // Still the old instants: nothing of the contacts changed.
  expect((await datesOf('zoneless3@x.test'))[1]!.at).toEqual(new Date('2025-07-01T04:00:00Z'));

  const moved = await reindexWorkspaceDates(db.sql, db.workspaceId, { chunk: 2 });
  for (let n = 1; n <= 5; n++) {
    expect(await datesOf(`zoneless${n}@x.test`)).toEqual([
      { name: '$created_at', at: created, monthDay: 301 },
      { name: 'renews', at: new Date('2025-06-30T15:00:00Z'), monthDay: 701 },
    ]);
  }
  // A contact with its own zone keeps its instants.
  expect(await datesOf('paris@x.test')).toEqual([
    { name: '$created_at', at: created, monthDay: 301 },
    { name: 'renews', at: new Date('2025-06-30T22:00:00Z'), monthDay: 701 },
  ]);
  // Ten rows of the five contacts moved, and those of the earlier tests' zoneless contacts.
  expect(moved).toBeGreaterThanOrEqual(10);
  expect(await reindexWorkspaceDates(db.sql, db.workspaceId, { chunk: 2 })).toBe(0);
});
