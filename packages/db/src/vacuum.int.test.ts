import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';

const TABLES = ['contacts', 'contact_event_rollups', 'segment_queue'] as const;
const LIVE = 20_000;
const DEAD = 3_000;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function autovacuums(): Promise<Record<string, number>> {
  const rows = await db.sql<{ relname: string; n: number }[]>`
    select relname, autovacuum_count::int as n from pg_stat_user_tables
    where relname = any(${[...TABLES]})`;
  return Object.fromEntries(rows.map((r) => [r.relname, r.n]));
}

describe('vacuuming the tables every event rewrites', () => {
  // PostgreSQL vacuums a table once a fifth of its rows are dead: 4,050 here. Relance's hot
  // tables go at a few thousand dead rows (migration 0028), and the embedded server looks every
  // 10 s rather than every minute.
  it(`vacuums contacts, rollups and the segment queue once ${DEAD} of ${LIVE} rows are dead`, async () => {
    const { sql, workspaceId } = db;
    await sql`
        insert into contacts (workspace_id, external_id)
        select ${workspaceId}, 'vacuum-' || i from generate_series(1, ${LIVE}) i`;
    await sql`
        insert into contact_event_rollups (workspace_id, contact_id, name, count, first_at, last_at)
        select workspace_id, id, 'email.opened', 1, now(), now() from contacts
        where external_id like 'vacuum-%'`;
    await sql`
        insert into segment_queue (workspace_id, contact_id, queued_at)
        select workspace_id, id, now() from contacts where external_id like 'vacuum-%'`;
    // Nothing pending: row counts known, inserts accounted for.
    await sql.unsafe(`vacuum (analyze) ${TABLES.join(', ')}`);
    const before = await autovacuums();

    const some = (
      await sql<{ id: string }[]>`
          select id from contacts where external_id like 'vacuum-%' order by id limit ${DEAD}`
    ).map((r) => r.id);
    await sql`update contacts set score = score + 1 where id = any(${some}::uuid[])`;
    await sql`
        update contact_event_rollups set count = count + 1 where contact_id = any(${some}::uuid[])`;
    await sql`delete from segment_queue where contact_id = any(${some}::uuid[])`;

    let after = before;
    for (let waited = 0; waited < 75_000; waited += 500) {
      after = await autovacuums();
      if (TABLES.every((t) => after[t]! > before[t]!)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(Object.fromEntries(TABLES.map((t) => [t, after[t]! > before[t]!]))).toEqual(
      Object.fromEntries(TABLES.map((t) => [t, true])),
    );
  }, 90_000);

  it('the embedded server looks every 10 s and writes dirty buffers back ahead of need', async () => {
    const settings = await db.sql<{ name: string; setting: string; unit: string | null }[]>`
      select name, setting, unit from pg_settings
      where name in ('autovacuum_naptime', 'bgwriter_delay', 'bgwriter_lru_maxpages',
        'bgwriter_lru_multiplier')
      order by name`;
    expect(settings.map((s) => `${s.name}=${s.setting}${s.unit ?? ''}`)).toEqual([
      'autovacuum_naptime=10s',
      'bgwriter_delay=10ms',
      'bgwriter_lru_maxpages=1000',
      'bgwriter_lru_multiplier=4',
    ]);
  });
});
