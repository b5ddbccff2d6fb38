import { afterAll, beforeAll, expect, it } from 'vitest';
import { previewEvents, SEARCH_READ } from '../../../apps/api/src/templates/preview-events';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { scansOf, statementsOf } from '../../support/plans';

// Searching a contact's events for the preview ("ORD-1042") reads that contact's events newest
// first, each name from events_contact_name_time merged in time order, and at most SEARCH_READ
// of them, however many page views the contact has: never the whole history, never the table.

let db: TestDatabase;
let contactId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const [contact] = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, email) values (${db.workspaceId}, 'shopper@x.test')
    returning id`;
  contactId = contact!.id;
  // Others' events around it: the table is not the contact's alone.
  await db.sql`
    insert into contacts (workspace_id, email)
    select ${db.workspaceId}, 'other' || n || '@x.test' from generate_series(1, 40) n`;
  await db.sql`
    insert into events (workspace_id, contact_id, name, properties, occurred_at)
    select ${db.workspaceId}, c.id, 'page.viewed', jsonb_build_object('url', '/p/' || n),
      timestamptz '2026-01-01' + n * interval '1 minute'
    from contacts c, generate_series(1, 2500) n where c.email like 'other%'`;
  await db.sql`
    insert into events (workspace_id, contact_id, name, properties, occurred_at)
    select ${db.workspaceId}, c.id, 'order.completed', jsonb_build_object('orderId', 'X-' || n),
      timestamptz '2025-01-01' + n * interval '1 day'
    from contacts c, generate_series(1, 200) n where c.email like 'other%'`;
  // The contact: 40 orders, then 100,000 page views and a few other events after them.
  await db.sql`
    insert into events (workspace_id, contact_id, name, properties, occurred_at)
    select ${db.workspaceId}, ${contactId}, 'order.completed',
      jsonb_build_object('orderId', 'ORD-' || (1000 + n),
        'products', jsonb_build_array(jsonb_build_object('name', 'Red boots', 'price', 80))),
      timestamptz '2025-06-01' + n * interval '1 hour'
    from generate_series(1, 40) n`;
  await db.sql`
    insert into events (workspace_id, contact_id, name, properties, occurred_at)
    select ${db.workspaceId}, ${contactId}, case when n % 1000 = 0 then 'cart.updated' else 'page.viewed' end,
      jsonb_build_object('url', '/p/' || n, 'title', 'Product ' || n),
      timestamptz '2025-07-01' + n * interval '2 minutes'
    from generate_series(1, 100000) n`;
  await db.sql`
    insert into contact_event_rollups (workspace_id, contact_id, name, count, first_at, last_at)
    select workspace_id, contact_id, name, count(*), min(occurred_at), max(occurred_at)
    from events group by workspace_id, contact_id, name`;
  await db.sql`analyze events`;
  await db.sql`analyze contact_event_rollups`;
});
afterAll(async () => {
  await db?.drop();
});

/** Searches the contact's events, and explains (with ANALYZE) the statement that read them. */
async function searched(words: string[], cursor: string | null = null, name?: string) {
  let page: Awaited<ReturnType<typeof previewEvents>> = null;
  const sent = await statementsOf(db.url, async (sql) => {
    page = await previewEvents(sql, {
      workspaceId: db.workspaceId,
      contactId,
      search: words,
      name,
      cursor,
      limit: 50,
    });
  });
  const statement = sent.find((s) => /row_number\(\)/.test(s.text))!;
  const [explained] = await db.sql.unsafe<{ 'QUERY PLAN': unknown }[]>(
    `explain (analyze, format json) ${statement.text}`,
    statement.params as never[],
  );
  return { page: page!, plan: explained!['QUERY PLAN'] };
}

/** Every node of a plan, with what it read. */
function nodesOf(node: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) for (const child of node) nodesOf(child, found);
  else if (typeof node === 'object' && node !== null) {
    const n = node as Record<string, unknown>;
    if (typeof n['Node Type'] === 'string') found.push(n);
    for (const value of Object.values(n)) nodesOf(value, found);
  }
  return found;
}

/** The events rows a plan read, over its loops (a parallel worker's count as theirs). */
function rowsRead(plan: unknown): number {
  return nodesOf(plan)
    .filter((n) => n['Relation Name'] === 'events')
    .reduce((sum, n) => sum + Number(n['Actual Rows']) * Number(n['Actual Loops'] ?? 1), 0);
}

it('reads at most SEARCH_READ of the contact’s events, by its own index, merged in time order', async () => {
  const { page, plan } = await searched(['ord-1012']);
  // The orders are behind 100,000 page views: the search stopped before them, and says so.
  expect(page.events).toEqual([]);
  expect(page.search?.stoppedAt).toBeInstanceOf(Date);
  expect(page.nextCursor).not.toBeNull();

  const scans = scansOf(plan).filter((s) => s.relation === 'events');
  expect(scans.length).toBeGreaterThan(0);
  expect(scans.filter((s) => s.index !== 'events_contact_name_time')).toEqual([]);
  const nodes = nodesOf(plan);
  expect(nodes.some((n) => n['Node Type'] === 'Merge Append')).toBe(true);
  // The page views' read stops at SEARCH_READ; its 40 orders and 100 cart updates may be read
  // whole (cheaper than in order, the planner finds), never its 100,000 page views.
  expect(rowsRead(plan)).toBeLessThanOrEqual(SEARCH_READ + 140 + 2);
});

it('goes on from where it stopped, a bounded read at a time, to the order behind the page views', async () => {
  let cursor: string | null = null;
  let found: { name: string; match?: unknown }[];
  let pages = 0;
  do {
    const { page } = await searched(['ord-1012'], cursor);
    found = page.events;
    cursor = page.nextCursor;
    pages += 1;
  } while (found.length === 0 && cursor);
  expect(found).toEqual([
    expect.objectContaining({
      name: 'order.completed',
      match: { property: 'orderId', value: 'ORD-1012' },
    }),
  ]);
  expect(pages).toBe(Math.ceil(100_000 / SEARCH_READ) + 1);
});

it('narrowed to orders, reads only the orders, and stops once the page is full', async () => {
  const { page, plan } = await searched(['red', 'boots'], null, 'order.completed');
  expect(page.events).toHaveLength(40);
  expect(page.events[0]).toMatchObject({
    name: 'order.completed',
    match: { property: 'products.0.name', value: 'Red boots' },
  });
  expect(page.search?.stoppedAt).toBeNull();
  expect(page.nextCursor).toBeNull();
  expect(rowsRead(plan)).toBe(40);

  // Any name: the page of 50 fills with the newest page views holding "product", and the read
  // stops there.
  const any = await searched(['product']);
  expect(any.page.events).toHaveLength(50);
  expect(any.page.search?.stoppedAt).toBeNull();
  // (the merge takes the page views a batch of 32 at a time, to order equal times by id)
  expect(rowsRead(any.plan)).toBeLessThanOrEqual(51 + 32 + 140 + 2);
});
