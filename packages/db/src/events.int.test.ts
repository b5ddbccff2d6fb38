import { afterAll, beforeAll, expect, it } from 'vitest';
import { contactFromEvent, createTestDatabase, type TestDatabase } from '../../../test/support/db';
import { scansOf, statementsOf } from '../../../test/support/plans';
import { insertEventRows } from './events';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const now = new Date('2025-03-01T10:00:00Z');

const contactWithEvent = (userId: string) => contactFromEvent(db, userId, now);

const eventsOf = async (contactId: string) =>
  (
    await db.sql<{ n: number }[]>`
      select count(*)::int as n from events where contact_id = ${contactId}`
  )[0]!.n;

// Migration 0024 checks events' contacts once per statement instead of by foreign keys: what the
// keys guaranteed must still hold, and the contact must be in the event's workspace.
it('refuses an event whose contact does not exist, or is in another workspace, naming it', async () => {
  const ghost = '00000000-0000-4000-8000-000000000003';
  await expect(
    db.sql`insert into events (workspace_id, contact_id, name, occurred_at)
      values (${db.workspaceId}, ${ghost}, 'page.viewed', ${now})`,
  ).rejects.toThrow(`events refers to contact ${ghost}, which does not exist in its workspace`);
  const real = await contactWithEvent('event-key');
  const elsewhere = '00000000-0000-4000-8000-000000000004';
  await expect(
    db.sql`insert into events (workspace_id, contact_id, name, occurred_at)
      values (${elsewhere}, ${real}, 'page.viewed', ${now})`,
  ).rejects.toThrow(`events refers to contact ${real}, which does not exist in its workspace`);
  await expect(
    db.sql`update events set contact_id = ${ghost} where contact_id = ${real}`,
  ).rejects.toThrow(`events refers to contact ${ghost}, which does not exist in its workspace`);
  expect(await eventsOf(real)).toBe(1);
});

it('deletes a deleted contact’s events, and nobody else’s', async () => {
  const [gone, kept] = [await contactWithEvent('gone'), await contactWithEvent('kept')];
  expect(await eventsOf(gone)).toBe(1);
  await db.sql`delete from contacts where id = ${gone}`;
  expect(await eventsOf(gone)).toBe(0);
  expect(await eventsOf(kept)).toBe(1);
});

it('gives a merged contact’s new events, rollups and queue row to the contact it was merged into', async () => {
  const merged = await contactWithEvent('merged-away');
  const survivor = await contactWithEvent('survivor');
  await db.sql`update contacts set merged_into = ${survivor} where id = ${merged}`;
  const later = new Date(now.getTime() + 60_000);
  const result = await insertEventRows(
    db.sql,
    db.workspaceId,
    [
      {
        contactId: merged,
        name: 'email.clicked',
        properties: {},
        occurredAt: later,
        messageId: null,
        source: 'test',
      },
    ],
    later,
  );
  expect(result.contactIds).toEqual([survivor]);
  expect(await eventsOf(merged)).toBe(1);
  expect(await eventsOf(survivor)).toBe(2);
  const rollups = await db.sql`
    select contact_id from contact_event_rollups where name = 'email.clicked'`;
  expect(rollups.map((r) => r.contactId)).toEqual([survivor]);
  const queued = await db.sql`
    select 1 from segment_queue where contact_id = ${survivor} and queued_at = ${later}`;
  expect(queued).toHaveLength(1);
});

it('finds merged contacts through their own index, without reading other contacts’ rows', async () => {
  const reader = await contactWithEvent('plan-reader');
  // A workspace of some size, a few of whose contacts were merged.
  await db.sql`
    insert into contacts (workspace_id, external_id)
    select ${db.workspaceId}, 'crowd-' || n from generate_series(1, 5000) n`;
  await db.sql`
    update contacts set merged_into = ${reader}
    where external_id in ('crowd-1', 'crowd-2', 'crowd-3')`;
  await db.sql`analyze contacts`;
  const sent = await statementsOf(db.url, (sql) =>
    insertEventRows(
      sql,
      db.workspaceId,
      [
        {
          contactId: reader,
          name: 'page.viewed',
          properties: {},
          occurredAt: now,
          messageId: null,
          source: 'test',
        },
      ],
      now,
    ),
  );
  const insert = sent.find((s) => s.text.includes('insert into events'))!;
  const [explained] = await db.sql.unsafe<{ 'QUERY PLAN': unknown }[]>(
    `explain (format json) ${insert.text}`,
    insert.params as never[],
  );
  const contactReads = scansOf(explained!['QUERY PLAN']).filter((s) => s.relation === 'contacts');
  expect(contactReads.map((s) => s.index)).toEqual(['contacts_merged_by_id']);
});
