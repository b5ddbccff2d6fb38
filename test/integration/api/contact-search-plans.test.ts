import { afterAll, beforeAll, expect, it } from 'vitest';
import { countContactsFound, listContacts } from '@relance/db';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { scansOf, statementsOf } from '../../support/plans';

// A contact search reads indexes, not the base: an email (or an id: anything with an @) through
// the email and external-id indexes, a part of a name through the folded names' trigram index
// (accents and case away, migration 0097). Before, every search read the whole base: 400–700 ms
// at a million contacts. Its count reads no more than the cap's worth of contacts.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`
    insert into contacts (workspace_id, external_id, email, properties)
    select ${db.workspaceId}, 'user-' || n, 'person' || n || '@x.test',
      jsonb_build_object('first_name', 'Person ' || n, 'last_name', 'Smith')
    from generate_series(1, 20000) n`;
  await db.sql`
    insert into contacts (workspace_id, email, properties)
    values (${db.workspaceId}, 'helene@y.test', '{"first_name": "Hélène", "last_name": "Lefèvre"}'),
      (${db.workspaceId}, 'helene.plain@y.test', '{"name": "HELENE LEFEVRE"}')`;
  await db.sql`analyze contacts`;
});
afterAll(async () => {
  await db?.drop();
});

/**
 * Searches for `q`, and explains the statement the search sent. `bitmapsOnly` leaves the
 * planner bitmap scans alone: at a test's size a sequential scan is cheaper than any index, so
 * this shows which index can answer, the choice a large base makes.
 */
async function searched(q: string, bitmapsOnly = false) {
  let found: string[] = [];
  const sent = await statementsOf(db.url, async (sql) => {
    const page = await listContacts(sql, db.workspaceId, { q, limit: 50, now: new Date() });
    found = page.contacts.map((c) => c.email ?? c.externalId ?? c.id);
  });
  return { found, ...(await explained(sent, bitmapsOnly)) };
}

/** The plan of the statement that read contacts, with `analyze`'s rows when asked. */
async function explained(
  sent: { text: string; params: unknown[] }[],
  bitmapsOnly: boolean,
  analyze = false,
) {
  const statement = sent.find((s) => /from contacts c/.test(s.text))!;
  const [row] = await db.sql.begin(async (tx) => {
    if (bitmapsOnly)
      await tx`set local enable_seqscan = off; set local enable_indexscan = off`.simple();
    return tx.unsafe<{ 'QUERY PLAN': unknown }[]>(
      `explain (format json${analyze ? ', analyze' : ''}) ${statement.text}`,
      statement.params as never[],
    );
  });
  const plan = row!['QUERY PLAN'];
  const scans = scansOf(plan).filter((s) => s.relation === 'contacts');
  return { plan, scans, indexes: indexesIn(plan) };
}

/** The most rows any read of contacts returned in an analyzed plan. */
function rowsRead(node: unknown): number {
  if (Array.isArray(node)) return Math.max(0, ...node.map(rowsRead));
  if (typeof node !== 'object' || node === null) return 0;
  const n = node as Record<string, unknown>;
  const here = n['Relation Name'] === 'contacts' ? Number(n['Actual Rows']) : 0;
  return Math.max(here, ...Object.values(n).map(rowsRead));
}

/** Every index a plan reads, bitmap scans under a BitmapOr included. */
function indexesIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const child of node) indexesIn(child, found);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Index Name' && typeof value === 'string') found.push(value);
      else indexesIn(value, found);
    }
  }
  return found;
}

it.each([
  ['an exact email', 'Person123@x.test', ['person123@x.test']],
  ['the start of an email', 'person1999@', ['person1999@x.test']],
])('finds %s through the indexes, without reading the base', async (_what, q, emails) => {
  const { found, scans, indexes } = await searched(q);
  expect(found).toEqual(emails);
  expect(scans.length).toBeGreaterThan(0);
  expect(scans.filter((s) => s.node === 'Seq Scan')).toEqual([]);
  expect(indexes.filter((index) => /^contacts_.*email/.test(index))).not.toEqual([]);
});

it('finds the contact a duplicate was merged into by the duplicate’s email or id, through the indexes', async () => {
  await db.sql`
    update contacts set merged_into = (select id from contacts where email = 'person6@x.test')
    where email in ('person5@x.test', 'person7@x.test')`;
  for (const q of ['Person5@x.test', 'user-7']) {
    // Without an @ the names are searched too, which a base this small reads whole.
    const { found, scans, indexes } = await searched(q, !q.includes('@'));
    expect(found).toEqual(['person6@x.test']);
    expect(scans.filter((s) => s.node === 'Seq Scan')).toEqual([]);
    expect(indexes.filter((index) => /^contacts_merged_/.test(index))).not.toEqual([]);
  }
  // The start of a duplicate's email is not enough: only the survivor's own are searched so.
  expect((await searched('person5@')).found).toEqual([]);
});

it('finds a part of a name through the names’ trigram index', async () => {
  const { found, scans, indexes } = await searched('son 19999', true);
  expect(found).toEqual(['person19999@x.test']);
  expect(scans.filter((s) => s.node === 'Seq Scan')).toEqual([]);
  expect(indexes).toContain('contacts_folded_name_search');
});

it.each([
  ['without its accents', 'helene lefevre'],
  ['with accents the other name lacks', 'Hélène Lefèvre'],
])('finds a name typed %s through the folded names’ index', async (_how, q) => {
  const { found, scans, indexes } = await searched(q, true);
  expect(found.sort()).toEqual(['helene.plain@y.test', 'helene@y.test']);
  expect(scans.filter((s) => s.node === 'Seq Scan')).toEqual([]);
  expect(indexes).toContain('contacts_folded_name_search');
});

it('counts a name search through the folded names’ index', async () => {
  let count: unknown;
  const sent = await statementsOf(db.url, async (sql) => {
    count = await countContactsFound(sql, db.workspaceId, { q: 'lefevre', now: new Date() });
  });
  expect(count).toEqual({ count: 2, more: false });
  const { scans, indexes } = await explained(sent, true);
  expect(scans.filter((s) => s.node === 'Seq Scan')).toEqual([]);
  expect(indexes).toContain('contacts_folded_name_search');
});

it('counts a large match up to the cap, reading no more contacts than the cap and one', async () => {
  for (const q of [undefined, 'person 1']) {
    let count: unknown;
    const sent = await statementsOf(db.url, async (sql) => {
      count = await countContactsFound(sql, db.workspaceId, { q, now: new Date() }, 500);
    });
    expect(count).toEqual({ count: 500, more: true });
    const { plan } = await explained(sent, false, true);
    expect(rowsRead(plan)).toBeLessThanOrEqual(501);
  }
});

it('finds a part spanning first and last name', async () => {
  const { found } = await searched('person 7777 smith');
  expect(found).toEqual(['person7777@x.test']);
});
