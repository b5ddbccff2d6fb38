import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDateCandidates } from '@relance/db';
import { nextDateOccurrence, toLocal } from '@relance/flow';
import { compileMembersQuery } from '@relance/segments';
import { createTestDatabase, type TestDatabase } from '../../support/db';

// One rule for segments, the date index and the journey date trigger (migration 0074): a value
// at exactly midnight UTC is the calendar date written; any other time with an offset is an
// instant, on its date in the contact's zone.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const VALUES = [
  '1990-05-17',
  '1990-05-17T00:00:00Z',
  '1990-05-17T00:00:00.000Z',
  '1990-05-17T00:00+00:00',
  '1990-05-17T03:00:00Z',
  '1990-05-17T23:30:00+09:00',
  '1990-05-17T22:00',
];
const ZONES = ['America/New_York', 'Pacific/Pago_Pago', 'Asia/Tokyo', 'UTC'];

let made = 0;
async function contactWith(value: string, timezone: string): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, external_id, properties, timezone)
    values (${db.workspaceId}, ${`c${++made}`}, ${db.sql.json({ birthday: value })}, ${timezone})
    returning id`;
  return row!.id;
}

const monthDayOf = (d: { month: number; day: number }) => d.month * 100 + d.day;

describe('a date written as midnight UTC', () => {
  it('is indexed on its written date, where segments and the date trigger see it', async () => {
    for (const value of VALUES) {
      for (const zone of ZONES) {
        const id = await contactWith(value, zone);
        const [indexed] = await db.sql<{ at: Date; monthDay: number }[]>`
          select at, month_day from contact_date_properties
          where contact_id = ${id} and name = 'birthday'`;
        // The date trigger's day (at 09:00 local) for this contact.
        const fire = nextDateOccurrence(
          value,
          { offsetMs: 0, at: '09:00', repeat: 'yearly' },
          zone,
          Date.UTC(2025, 0, 1),
        )!;
        const day = toLocal(fire, zone);
        const why = `${value} in ${zone}`;
        expect(indexed!.monthDay, why).toBe(monthDayOf(day));
        // "birthday has its anniversary today" on that day, at the trigger's hour, in the zone.
        const rule = {
          kind: 'property',
          property: 'birthday',
          op: 'anniversary_in',
          days: 0,
        } as const;
        const query = compileMembersQuery(rule, {
          workspaceId: db.workspaceId,
          now: new Date(fire),
          contactIds: [id],
        });
        const rows = await db.sql.unsafe(query.text, query.values);
        expect(rows.length, why).toBe(1);
        // The date trigger's scan finds it by the index.
        const candidates = await findDateCandidates(db.sql, {
          workspaceId: db.workspaceId,
          property: 'birthday',
          fromMs: fire - 3_600_000,
          toMs: fire + 3_600_000,
          repeat: 'yearly',
        });
        expect(
          candidates.map((c) => c.contactId),
          why,
        ).toContain(id);
      }
    }
  });

  it('is moved in an index written by the earlier rule when the repair runs', async () => {
    const id = await contactWith('1990-05-17T00:00:00Z', 'America/New_York');
    const other = await contactWith('1990-05-17T00:00:00Z', 'UTC');
    // As the index held it before migration 0074: the instant midnight UTC, 16 May in New York.
    await db.sql`
      update contact_date_properties set at = '1990-05-17T00:00:00Z', month_day = 516
      where contact_id = ${id} and name = 'birthday'`;
    const [{ moved } = { moved: -1 }] = await db.sql<{ moved: number }[]>`
      select relance_reindex_utc_midnight_dates() as moved`;
    expect(moved).toBe(1);
    const rows = await db.sql<{ contactId: string; at: Date; monthDay: number }[]>`
      select contact_id, at, month_day from contact_date_properties
      where contact_id in (${id}, ${other}) and name = 'birthday' order by at`;
    expect(rows).toEqual([
      { contactId: other, at: new Date('1990-05-17T00:00:00Z'), monthDay: 517 },
      { contactId: id, at: new Date('1990-05-17T04:00:00Z'), monthDay: 517 },
    ]);
  });
});
