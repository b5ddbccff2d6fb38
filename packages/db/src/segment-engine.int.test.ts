import { afterAll, beforeAll, expect, it } from 'vitest';
import { contactFromEvent, createTestDatabase, type TestDatabase } from '../../../test/support/db';
import { changeStaticMembers, createSegment, ingestMessages, settleContacts } from './index';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const now = new Date('2025-03-01T10:00:00Z');

const contact = (userId: string) => contactFromEvent(db, userId, now);

/** A static segment; its id. */
async function staticSegment(name: string): Promise<string> {
  const { segment } = await createSegment(db.sql, {
    workspaceId: db.workspaceId,
    name,
    kind: 'static',
    now,
  });
  return segment.id;
}

/** Adds contacts to a static segment (memberships and their `entered` changes). */
const addMembers = (segmentId: string, contactIds: string[]) =>
  changeStaticMembers(db.sql, {
    workspaceId: db.workspaceId,
    segmentId,
    contactIds,
    change: 'entered',
    cause: 'api',
    now,
  });

// Migration 0022 checks memberships' and changes' contacts once per statement instead of by
// foreign keys: what the keys guaranteed must still hold.
it('refuses memberships and changes of a contact that does not exist, naming it', async () => {
  const segmentId = await staticSegment('Checked');
  const ghost = '00000000-0000-4000-8000-000000000001';
  await expect(
    db.sql`insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
      values (${segmentId}, ${ghost}, ${db.workspaceId}, ${now})`,
  ).rejects.toThrow(`segment_members refers to contact ${ghost}, which does not exist`);
  await expect(
    db.sql`insert into segment_changes (workspace_id, segment_id, contact_id, change, at, cause)
      values (${db.workspaceId}, ${segmentId}, ${ghost}, 'entered', ${now}, 'test')`,
  ).rejects.toThrow(`segment_changes refers to contact ${ghost}, which does not exist`);
  const real = await contact('real');
  await addMembers(segmentId, [real]);
  await expect(
    db.sql`update segment_members set contact_id = ${ghost} where contact_id = ${real}`,
  ).rejects.toThrow(`segment_members refers to contact ${ghost}, which does not exist`);
});

it('deletes a deleted contact’s memberships and change log, and nobody else’s', async () => {
  const segmentId = await staticSegment('Cascade');
  const [gone, kept] = [await contact('gone'), await contact('kept')];
  await addMembers(segmentId, [gone, kept]);
  const rows = (table: 'segment_members' | 'segment_changes', id: string) =>
    db.sql<
      { n: number }[]
    >`select count(*)::int as n from ${db.sql(table)} where contact_id = ${id}`;
  expect((await rows('segment_changes', gone))[0]!.n).toBeGreaterThan(0);
  const keptBefore = [await rows('segment_members', kept), await rows('segment_changes', kept)];
  await db.sql`delete from contacts where id = ${gone}`;
  expect((await rows('segment_members', gone))[0]!.n).toBe(0);
  expect((await rows('segment_changes', gone))[0]!.n).toBe(0);
  expect([await rows('segment_members', kept), await rows('segment_changes', kept)]).toEqual(
    keptBefore,
  );
});

// Migration 0023 does the same for their segments, taking the lock a key takes once per segment.
it('refuses memberships and changes of a segment that does not exist, naming it', async () => {
  const real = await contact('segment-key');
  const ghost = '00000000-0000-4000-8000-000000000002';
  await expect(
    db.sql`insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
      values (${ghost}, ${real}, ${db.workspaceId}, ${now})`,
  ).rejects.toThrow(`segment_members refers to segment ${ghost}, which does not exist`);
  await expect(
    db.sql`insert into segment_changes (workspace_id, segment_id, contact_id, change, at, cause)
      values (${db.workspaceId}, ${ghost}, ${real}, 'entered', ${now}, 'test')`,
  ).rejects.toThrow(`segment_changes refers to segment ${ghost}, which does not exist`);
  const segmentId = await staticSegment('Segment key');
  await addMembers(segmentId, [real]);
  await expect(
    db.sql`update segment_changes set segment_id = ${ghost} where segment_id = ${segmentId}`,
  ).rejects.toThrow(`segment_changes refers to segment ${ghost}, which does not exist`);
});

it('a segment deleted while rows for it are being written waits, then takes them with it', async () => {
  const segmentId = await staticSegment('Deleted meanwhile');
  const [member, other] = [await contact('deleted-meanwhile'), await contact('elsewhere')];
  const keptId = await staticSegment('Kept');
  await addMembers(keptId, [other]);
  const writer = await db.sql.reserve();
  let open = false;
  try {
    await writer`begin`;
    open = true;
    await writer`insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
      values (${segmentId}, ${member}, ${db.workspaceId}, ${now})`;
    // The writer holds the segment as a key would: the delete cannot go through meanwhile.
    await expect(
      db.sql.begin(async (tx) => {
        await tx`set local lock_timeout = '200ms'`;
        await tx`delete from segments where id = ${segmentId}`;
      }),
    ).rejects.toThrow(/lock timeout/);
    await writer`commit`;
    open = false;
  } finally {
    if (open) await writer`rollback`;
    writer.release();
  }
  await db.sql`delete from segments where id = ${segmentId}`;
  const left = await db.sql`
    select 1 from segment_members where segment_id = ${segmentId}
    union all select 1 from segment_changes where segment_id = ${segmentId}`;
  expect(left).toHaveLength(0);
  const elsewhere = await db.sql`
    select 1 from segment_members where segment_id = ${keptId} and contact_id = ${other}`;
  expect(elsewhere).toHaveLength(1);
});

// A settle judges each (segment, contact) pair it is given; a contact that is no longer a
// contact of its own (merged away) is no member of any dynamic segment, and its exits are logged.
it('a settle takes a merged-away contact out of its dynamic segments and logs the exits', async () => {
  const id = await contact('merged-away');
  const [prospects] = await db.sql<{ id: string }[]>`
    select id from segments where workspace_id = ${db.workspaceId} and builtin = 'prospects'`;
  const settle = () =>
    settleContacts(db.sql, { workspaceId: db.workspaceId, contactIds: [id], now, cause: 'test' });
  await settle();
  const member = () =>
    db.sql`select 1 from segment_members where segment_id = ${prospects!.id} and contact_id = ${id}`;
  expect(await member()).toHaveLength(1);
  const survivor = await contact('survivor');
  await db.sql`update contacts set merged_into = ${survivor} where id = ${id}`;
  const { changeIds } = await settle();
  expect(await member()).toHaveLength(0);
  const logged = await db.sql<{ segmentId: string; change: string }[]>`
    select segment_id, change from segment_changes where id = any(${changeIds}::bigint[])`;
  expect(logged).toContainEqual({ segmentId: prospects!.id, change: 'exited' });
  expect(logged.every((row) => row.change === 'exited')).toBe(true);
});

// A large settle runs in parts at once (separate transactions over disjoint contacts): every
// contact is judged once, whichever part it fell in.
it('a settle of many contacts judges each once, across its parts', async () => {
  const users = Array.from({ length: 700 }, (_, i) => `many-${i}`);
  const ingested = await ingestMessages(
    db.sql,
    db.workspaceId,
    users.map((userId) => ({
      type: 'track' as const,
      identity: { userId },
      event: 'page.viewed',
      properties: {},
      occurredAt: now,
    })),
    { now },
  );
  const ids = ingested.contactIds;
  expect(ids).toHaveLength(700);
  const [prospects] = await db.sql<{ id: string }[]>`
    select id from segments where workspace_id = ${db.workspaceId} and builtin = 'prospects'`;
  const settle = () =>
    settleContacts(db.sql, { workspaceId: db.workspaceId, contactIds: ids, now, cause: 'test' });

  const { changeIds } = await settle();
  const entered = await db.sql<{ contactId: string }[]>`
    select contact_id from segment_changes
    where id = any(${changeIds}::bigint[]) and segment_id = ${prospects!.id} and change = 'entered'`;
  expect(entered.map((r) => r.contactId).sort()).toEqual([...ids].sort());
  const [members] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from segment_members
    where segment_id = ${prospects!.id} and contact_id = any(${ids}::uuid[])`;
  expect(members!.n).toBe(700);
  const [queued] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from segment_queue where contact_id = any(${ids}::uuid[])`;
  expect(queued!.n).toBe(0);
  // Settled again, nothing has changed.
  expect((await settle()).changeIds).toEqual([]);
});
