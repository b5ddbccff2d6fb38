import { afterAll, beforeAll, expect, it } from 'vitest';
import { contactFromEvent, createTestDatabase, type TestDatabase } from '../../../test/support/db';

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
