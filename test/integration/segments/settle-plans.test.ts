import { afterAll, beforeAll, expect, it } from 'vitest';
import { settleContacts, settleContactsIn } from '@relance/db';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { scansOf, statementsOf, type Scan } from '../../support/plans';

// A settle re-checks a thousand contacts or so, in a workspace of any size. Each of its reads
// must go by key: contacts by id, memberships by (segment, contact), queue rows by contact then
// address, whatever the statistics say. Left to the planner, a 10,000-contact workspace had its
// contacts and memberships hashed whole for every settle and the queue's (workspace, id) index
// walked to delete by id (10–50 ms each); and a contact probe that also named the workspace,
// planned on statistics from when the workspace was young, walked the workspace's index for
// each contact (2.7 s a settle).

const CONTACTS = 10_000;
const SETTLED = 1_000;
let db: TestDatabase;
let settled: string[];

const TABLES = ['contacts', 'contact_event_rollups', 'segment_members', 'segment_queue'];

beforeAll(async () => {
  db = await createTestDatabase();
  const w = db.workspaceId;
  // Statistics taken while the workspace was young (one contact), and kept so: autovacuum would
  // refresh them on its own schedule, which a test cannot wait for.
  await db.sql`insert into contacts (workspace_id, external_id) values (${w}, 'first')`;
  for (const table of TABLES) {
    await db.sql.unsafe(`alter table ${table} set (autovacuum_enabled = false)`);
    await db.sql.unsafe(`analyze ${table}`);
  }
  const ids = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, external_id)
    select ${w}, 'reader-' || n from generate_series(1, ${CONTACTS}) n
    returning id`;
  await db.sql`
    insert into contact_event_rollups (workspace_id, contact_id, name, count, first_at, last_at, human_last_at)
    select ${w}, c.id, 'email.opened', 2, now() - interval '3 days', now() - interval '1 day',
      now() - interval '1 day'
    from contacts c where c.workspace_id = ${w}`;
  // (Opens by people: the person-only index of the rollups is as full as the table, as in a real
  // base; a nearly empty one is cheaper to read whole than one key is to probe, and the
  // planner, which costs an index by its real size, then reads it whole.)
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
});
afterAll(async () => {
  await db?.drop();
});

/** The reads of each kind of statement a settle of the `settled` contacts sends. */
async function settlePlans() {
  // The settle's own statements, as each connection sent them, then replayed in that order in
  // a transaction: settings as they are, the rest explained with the same parameters.
  const sent = await statementsOf(db.url, (sql) =>
    settleContacts(sql, {
      workspaceId: db.workspaceId,
      contactIds: settled,
      now: new Date(),
      cause: 'test',
      changed: {
        events: new Map(settled.map((id) => [id, ['email.opened', 'email.clicked']])),
        everything: [],
      },
    }),
  );
  const plans = new Map<string, Scan[]>();
  for (const connection of new Set(sent.map((x) => x.connection))) {
    await db.sql.begin(async (tx) => {
      for (const { text, params } of sent.filter((x) => x.connection === connection)) {
        if (/set_config/.test(text)) await tx.unsafe(text, params as never[]);
        const kind = /with verdicts/.test(text)
          ? 'verdicts'
          : /with target/.test(text)
            ? 'rescore'
            : /delete from segment_queue/.test(text)
              ? 'queue'
              : undefined;
        if (!kind) continue;
        const [explained] = await tx.unsafe<{ 'QUERY PLAN': unknown }[]>(
          `explain (format json) ${text}`,
          params as never[],
        );
        const scans = scansOf(explained!['QUERY PLAN']);
        plans.set(kind, [...(plans.get(kind) ?? []), ...scans]);
      }
    });
  }
  return plans;
}

/** Contacts, memberships and queue rows read by key in every statement of a settle. */
function expectKeyed(plans: Map<string, Scan[]>) {
  expect([...plans.keys()].sort()).toEqual(['queue', 'rescore', 'verdicts']);
  const keyed: Record<string, string[]> = {
    contacts: ['contacts_pkey'],
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
  // Scoring: each contact and its events read by key, and each new score written by key.
  expect(plans.get('rescore')!.filter((s) => !byKey(s))).toEqual([]);
  // The queue: its rows found by contact, deleted by address.
  expect(new Set(plans.get('queue')!.map((s) => s.node === 'Tid Scan' || s.index))).toEqual(
    new Set([true, 'segment_queue_contact']),
  );
}

it('looks up contacts, memberships and queue rows by key, on young statistics', async () => {
  expectKeyed(await settlePlans());
});

it('looks up contacts, memberships and queue rows by key, on fresh statistics', async () => {
  for (const table of TABLES) await db.sql.unsafe(`analyze ${table}`);
  expectKeyed(await settlePlans());
});

it('leaves the planner as it found it for the rest of the caller’s transaction', async () => {
  const after = await db.sql.begin(async (tx) => {
    // One setting of the caller's own, kept as it was.
    await tx`select set_config('enable_mergejoin', 'off', true)`;
    await settleContactsIn(tx, {
      workspaceId: db.workspaceId,
      contactIds: settled.slice(0, 10),
      now: new Date(),
      cause: 'test',
    });
    return tx<{ name: string; setting: string }[]>`
      select name, setting from pg_settings
      where name in ('enable_seqscan', 'enable_hashjoin', 'enable_mergejoin') order by name`;
  });
  expect(after).toEqual([
    { name: 'enable_hashjoin', setting: 'on' },
    { name: 'enable_mergejoin', setting: 'off' },
    { name: 'enable_seqscan', setting: 'on' },
  ]);
});
