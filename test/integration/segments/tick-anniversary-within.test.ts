import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition } from '@relance/flow';
import { createSegment, ingestMessages, tickSegments } from '@relance/db';
import { createTestDatabase, type TestDatabase } from '../../support/db';

// "Birthday in the next 7 days": the tick lets a contact in when today + 7 reaches the
// birthday, in the contact's time zone, and out the day after it, reading only the crossings.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`update workspaces set timezone = 'America/New_York' where id = ${db.workspaceId}`;
});
afterAll(async () => {
  await db?.drop();
});

async function members(segmentId: string) {
  const rows = await db.sql<{ externalId: string }[]>`
    select c.external_id from segment_members m join contacts c on c.id = m.contact_id
    where m.segment_id = ${segmentId} order by 1`;
  return rows.map((r) => r.externalId);
}

async function segment(name: string, rule: Condition, now: Date) {
  const { segment } = await createSegment(db.sql, {
    workspaceId: db.workspaceId,
    name,
    kind: 'dynamic',
    rule,
    now,
  });
  return segment.id;
}

/** Ticks of a minute, as the segment clock runs them, from `from` (excluded). */
async function tickThrough(from: string, minutes: number) {
  const start = Date.parse(from);
  for (let m = 1; m <= minutes; m++) {
    await tickSegments(db.sql, { now: new Date(start + m * 60_000) });
  }
}

describe('the tick and “birthday is in the next 7 days”', () => {
  it('lets a contact in 7 days before the birthday and out the day after, in their zone', async () => {
    const t0 = new Date('2026-05-19T12:00:00Z');
    const contacts: [string, string | null, string][] = [
      ['ny', null, '1990-05-30'], // the workspace's New York: local midnight is 04:00 UTC
      ['tokyo', 'Asia/Tokyo', '1985-05-30'], // local midnight is 15:00 UTC the day before
      ['later', null, '1992-05-31'],
    ];
    for (const [key, timezone, birthday] of contacts) {
      await db.sql`
        insert into contacts (workspace_id, external_id, timezone, properties, created_at)
        values (${db.workspaceId}, ${key}, ${timezone}, ${db.sql.json({ birthday })}, ${new Date('2026-01-01T00:00:00Z')})`;
    }
    await ingestMessages(
      db.sql,
      db.workspaceId,
      [
        {
          type: 'track',
          identity: { userId: 'member' },
          event: 'membership.started',
          properties: { since: '2025-05-30' },
          occurredAt: new Date('2026-05-01T10:00:00Z'),
        },
      ],
      { now: t0 },
    );
    const birthdays = await segment(
      'Birthday in the next 7 days',
      { kind: 'property', property: 'birthday', op: 'anniversary_within', days: 7 },
      t0,
    );
    const renewals = await segment(
      'Membership anniversary in the next 7 days',
      {
        kind: 'event_count',
        event: 'membership.started',
        op: 'at_least',
        count: 1,
        where: { kind: 'property', property: 'since', op: 'anniversary_within', days: 7 },
      },
      t0,
    );
    expect(await members(birthdays)).toEqual([]);
    expect(await members(renewals)).toEqual([]);
    await tickSegments(db.sql, { now: new Date(t0.getTime() + 60_000) });

    // 23 May begins in Tokyo (22 May, 15:00 UTC): 30 May is 7 days away there only.
    await tickSegments(db.sql, { now: new Date('2026-05-22T14:58:00Z') });
    expect(await members(birthdays)).toEqual([]);
    await tickThrough('2026-05-22T14:58:00Z', 3);
    expect(await members(birthdays)).toEqual(['tokyo']);
    expect(await members(renewals)).toEqual([]);

    // 23 May begins in New York: 30 May is 7 days away, 31 May is 8.
    await tickSegments(db.sql, { now: new Date('2026-05-23T03:58:00Z') });
    expect(await members(birthdays)).toEqual(['tokyo']);
    await tickThrough('2026-05-23T03:58:00Z', 3);
    expect(await members(birthdays)).toEqual(['ny', 'tokyo']);
    expect(await members(renewals)).toEqual(['member']);

    // 24 May in New York: 31 May is 7 days away.
    await tickSegments(db.sql, { now: new Date('2026-05-24T03:58:00Z') });
    await tickThrough('2026-05-24T03:58:00Z', 3);
    expect(await members(birthdays)).toEqual(['later', 'ny', 'tokyo']);

    // The birthday itself keeps them in; 31 May in Tokyo lets the Tokyo contact out.
    await tickSegments(db.sql, { now: new Date('2026-05-30T14:58:00Z') });
    expect(await members(birthdays)).toEqual(['later', 'ny', 'tokyo']);
    await tickThrough('2026-05-30T14:58:00Z', 3);
    expect(await members(birthdays)).toEqual(['later', 'ny']);
    expect(await members(renewals)).toEqual(['member']);

    // 31 May in New York: the day after the birthday.
    await tickSegments(db.sql, { now: new Date('2026-05-31T03:58:00Z') });
    await tickThrough('2026-05-31T03:58:00Z', 3);
    expect(await members(birthdays)).toEqual(['later']);
    expect(await members(renewals)).toEqual([]);
  });
});
