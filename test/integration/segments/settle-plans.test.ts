import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { settleContacts } from '@relance/db';
import { createTestDatabase, type TestDatabase } from '../../support/db';

// A settle re-checks a thousand contacts or so, in a workspace of any size. Each of its lookups
// must go by key: contacts by id, memberships by (segment, contact), queue rows by their address.
// Joined by the planner instead, a 10,000-contact workspace with ordinary statistics had its
// contacts and memberships scanned whole for every settle, and the queue's (workspace, id)
// index walked to delete by id: 10–50 ms each, about what the whole settle should cost.

const CONTACTS = 10_000;
const SETTLED = 1_000;
let db: TestDatabase;
let settled: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  const w = db.workspaceId;
  const ids = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, external_id)
    select ${w}, 'reader-' || n from generate_series(1, ${CONTACTS}) n
    returning id`;
  await db.sql`
    insert into contact_event_rollups (workspace_id, contact_id, name, count, first_at, last_at)
    select ${w}, c.id, 'email.opened', 2, now() - interval '3 days', now() - interval '1 day'
    from contacts c where c.workspace_id = ${w}`;
  // Prospects, engaged ones: two memberships each, as the built-in segments give.
  await db.sql`
    insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
    select s.id, c.id, ${w}, now() from contacts c
    join segments s on s.builtin in ('prospects', 'engaged-prospects')
    where c.workspace_id = ${w}`;
  settled = ids.slice(0, SETTLED).map((r) => r.id);
  await db.sql`
    insert into segment_queue (workspace_id, contact_id, queued_at)
    select ${w}, c.id, now() from contacts c where c.workspace_id = ${w}`;
  await db.sql`analyze contacts, contact_event_rollups, segment_members, segment_queue`;
});
afterAll(async () => {
  await db?.drop();
});

interface Scan {
  node: string;
  relation: string;
  index?: string;
}

/** Every read of a table in a plan (from EXPLAIN's JSON), with the CTE or subplan it is in. */
function scansOf(node: unknown, within: string, found: (Scan & { within: string })[]) {
  if (Array.isArray(node)) for (const child of node) scansOf(child, within, found);
  else if (typeof node === 'object' && node !== null) {
    const n = node as Record<string, unknown>;
    const here = typeof n['Subplan Name'] === 'string' ? n['Subplan Name'] : within;
    if (typeof n['Relation Name'] === 'string' && n['Node Type'] !== 'ModifyTable') {
      // A bitmap scan names its index on the child that reads it.
      const index =
        n['Index Name'] ??
        (n['Plans'] as Record<string, unknown>[] | undefined)?.[0]?.['Index Name'];
      found.push({
        node: n['Node Type'] as string,
        relation: n['Relation Name'],
        ...(typeof index === 'string' ? { index } : {}),
        within: here,
      });
    }
    for (const value of Object.values(n)) scansOf(value, here, found);
  }
  return found;
}

it('looks up contacts, memberships and queue rows by key', async () => {
  // The settle's own statements, as sent, then explained with the same parameters.
  const sent: { text: string; params: unknown[] }[] = [];
  const watched = postgres(db.url, {
    max: 2,
    onnotice: () => {},
    transform: {
      column: { from: postgres.toCamel, to: postgres.fromCamel },
      undefined: null,
    },
    debug: (_connection, text, params) => sent.push({ text, params }),
  });
  try {
    await settleContacts(watched, {
      workspaceId: db.workspaceId,
      contactIds: settled,
      now: new Date(),
      cause: 'test',
      changed: {
        events: new Map(settled.map((id) => [id, ['email.opened', 'email.clicked']])),
        everything: [],
      },
    });
  } finally {
    await watched.end();
  }
  const plans = new Map<string, (Scan & { within: string })[]>();
  for (const { text, params } of sent) {
    const kind = /with verdicts/.test(text)
      ? 'verdicts'
      : /with target/.test(text)
        ? 'rescore'
        : /delete from segment_queue/.test(text)
          ? 'queue'
          : undefined;
    if (!kind) continue;
    const [explained] = await db.sql.unsafe<{ 'QUERY PLAN': unknown }[]>(
      `explain (format json) ${text}`,
      params as never[],
    );
    plans.set(kind, [...(plans.get(kind) ?? []), ...scansOf(explained!['QUERY PLAN'], '', [])]);
  }
  expect([...plans.keys()].sort()).toEqual(['queue', 'rescore', 'verdicts']);

  // Contacts by id, alone or after the workspace (the index whole-base rules read).
  const keyed: Record<string, string[]> = {
    contacts: ['contacts_pkey', 'contacts_evaluation'],
    segment_members: ['segment_members_pkey'],
    contact_event_rollups: ['contact_event_rollups_pkey'],
    events: ['events_contact_name_time'],
    workspaces: ['workspaces_pkey'],
  };
  const byKey = (s: Scan) =>
    s.node === 'Tid Scan' || (s.index !== undefined && keyed[s.relation]?.includes(s.index));
  // Judging: contacts and memberships by key; leaving: by the row's address.
  expect(plans.get('verdicts')!.filter((s) => !byKey(s))).toEqual([]);
  expect(plans.get('verdicts')).toContainEqual(
    expect.objectContaining({ node: 'Tid Scan', relation: 'segment_members' }),
  );
  // Scoring: each contact and its events read by key. The update that follows joins the new
  // scores back to contacts as the planner likes (at this size, by hashing the table: 2 ms).
  expect(plans.get('rescore')!.filter((s) => s.within !== '' && !byKey(s))).toEqual([]);
  // The queue: its rows found by contact, deleted by address.
  expect(new Set(plans.get('queue')!.map((s) => s.node === 'Tid Scan' || s.index))).toEqual(
    new Set([true, 'segment_queue_contact']),
  );
});
