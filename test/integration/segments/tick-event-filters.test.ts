import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition } from '@relance/flow';
import { createSegment, ingestMessages, tickSegments } from '@relance/db';
import { createTestDatabase, type TestDatabase } from '../../support/db';

// Dates inside an event filter move as time passes, as contact dates do: the tick finds the
// contacts whose filtered events crossed a boundary, instead of leaving them to the reconciliation.
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

describe('the tick and dates inside event filters', () => {
  it('lets a contact in when a filtered date comes within the window, and out when it passes', async () => {
    const t0 = new Date('2026-05-19T12:00:00Z');
    await ingestMessages(
      db.sql,
      db.workspaceId,
      [
        {
          type: 'track',
          identity: { userId: 'subscriber' },
          event: 'subscription.started',
          properties: { ends_at: '2026-05-30' },
          occurredAt: new Date('2026-05-01T10:00:00Z'),
        },
        {
          type: 'track',
          identity: { userId: 'member' },
          event: 'membership.started',
          properties: { since: '2025-05-23' },
          occurredAt: new Date('2026-05-01T10:00:00Z'),
        },
      ],
      { now: t0 },
    );
    const endingSoon = await segment(
      'Subscription ending soon',
      {
        kind: 'event_count',
        event: 'subscription.started',
        op: 'at_least',
        count: 1,
        where: { kind: 'property', property: 'ends_at', op: 'within_next', value: '7d' },
      },
      t0,
    );
    const anniversary = await segment(
      'Membership anniversary today',
      {
        kind: 'event_count',
        event: 'membership.started',
        op: 'at_least',
        count: 1,
        where: {
          kind: 'all',
          conditions: [{ kind: 'property', property: 'since', op: 'anniversary_in', days: 0 }],
        },
      },
      t0,
    );
    expect(await members(endingSoon)).toEqual([]);
    expect(await members(anniversary)).toEqual([]);

    // Ticks of a minute, as the segment clock runs them, around the edges that matter.
    const tickThrough = async (from: Date, minutes: number) => {
      for (let m = 1; m <= minutes; m++) {
        await tickSegments(db.sql, { now: new Date(from.getTime() + m * 60_000) });
      }
    };
    await tickSegments(db.sql, { now: new Date(t0.getTime() + 60_000) });
    // 23 May, local midnight in New York (04:00 UTC): 30 May is within the next 7 days, and the
    // membership's anniversary is today.
    await tickSegments(db.sql, { now: new Date('2026-05-23T03:58:00Z') });
    expect(await members(endingSoon)).toEqual([]);
    expect(await members(anniversary)).toEqual([]);
    await tickThrough(new Date('2026-05-23T03:58:00Z'), 3);
    expect(await members(endingSoon)).toEqual(['subscriber']);
    expect(await members(anniversary)).toEqual(['member']);
    // The next local midnight: the anniversary has passed.
    await tickSegments(db.sql, { now: new Date('2026-05-24T03:58:00Z') });
    await tickThrough(new Date('2026-05-24T03:58:00Z'), 3);
    expect(await members(anniversary)).toEqual([]);
    // 30 May, local midnight: the subscription has ended.
    await tickSegments(db.sql, { now: new Date('2026-05-30T03:58:00Z') });
    expect(await members(endingSoon)).toEqual(['subscriber']);
    await tickThrough(new Date('2026-05-30T03:58:00Z'), 3);
    expect(await members(endingSoon)).toEqual([]);
  });
});
