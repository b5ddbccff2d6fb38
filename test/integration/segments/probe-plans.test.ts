import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Condition } from '@relance/flow';
import { compileMembersQuery } from '@relance/segments';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { scansOf } from '../../support/plans';

// Re-checking a few contacts (the settle after an ingest) must read each contact's events and
// rollups through its own keys, whatever the planner's statistics say. Right after a burst of
// ingestion they still describe a nearly empty base: with the workspace in the probe,
// PostgreSQL then took the workspace-wide (name, time) indexes and walked every row of the
// event name for each contact re-checked.

let db: TestDatabase;
let probed: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const w = db.workspaceId;
  const [contact] = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, external_id) values (${w}, 'probed') returning id`;
  probed = contact!.id;
  await db.sql`
    insert into events (workspace_id, contact_id, name, properties, occurred_at)
    values (${w}, ${probed}, 'email.opened', '{"templateId": "t1"}', now() - interval '1 day')`;
  await db.sql`
    insert into contact_event_rollups (workspace_id, contact_id, name, count, first_at, last_at, human_last_at)
    values (${w}, ${probed}, 'email.opened', 1, now() - interval '1 day', now() - interval '1 day',
      now() - interval '1 day')`;
  await db.sql`analyze contacts, events, contact_event_rollups`;
  // The burst the statistics have not seen: 5,000 readers who opened the newsletter this week.
  await db.sql`
    insert into contacts (workspace_id, external_id)
    select ${w}, 'reader-' || n from generate_series(1, 5000) n`;
  await db.sql`
    insert into events (workspace_id, contact_id, name, properties, occurred_at)
    select ${w}, c.id, 'email.opened', '{"templateId": "t1"}', now() - (n || ' hours')::interval
    from contacts c, generate_series(1, 3) n where c.external_id like 'reader-%'`;
  await db.sql`
    insert into contact_event_rollups (workspace_id, contact_id, name, count, first_at, last_at, human_last_at)
    select ${w}, c.id, 'email.opened', 3, now() - interval '3 hours', now() - interval '1 hour',
      now() - interval '1 hour'
    from contacts c where c.external_id like 'reader-%'`;
});
afterAll(async () => {
  await db?.drop();
});

it.each([
  [
    'opened in the last 30 days (rollups)',
    { kind: 'email', action: 'opened', op: 'at_least', count: 1, within: '30d' },
    'contact_event_rollups_pkey',
    'contact_event_rollups_last',
  ],
  [
    "opened by a person in the last 30 days (the rollups' person-only last time)",
    {
      kind: 'email',
      action: 'opened',
      op: 'at_least',
      count: 1,
      within: '30d',
      humanOnly: true,
    },
    'contact_event_rollups_pkey',
    'contact_event_rollups_human_last',
  ],
  [
    'no open by a person in the last 30 days, or never and joined before (the rollup key)',
    {
      kind: 'event_last',
      event: 'email.opened',
      op: 'more_than',
      duration: '30d',
      includeNever: true,
      humanOnly: true,
    },
    'contact_event_rollups_pkey',
    'contact_event_rollups_human_last',
  ],
  [
    'opened at least twice by a person (events: the rollups count events, not emails)',
    { kind: 'email', action: 'opened', op: 'at_least', count: 2, humanOnly: true },
    'events_contact_name_time',
    'events_workspace_name_time',
  ],
  [
    'opened template t1 at least twice (events)',
    { kind: 'email', action: 'opened', op: 'at_least', count: 2, templateId: 't1' },
    'events_contact_name_time',
    'events_workspace_name_time',
  ],
])('re-checking one contact for "%s" reads its own keys', async (_name, rule, own, wide) => {
  const query = compileMembersQuery(rule as unknown as Condition, {
    workspaceId: db.workspaceId,
    now: new Date(),
    contactIds: [probed],
  });
  const [explained] = await db.sql.unsafe<{ 'QUERY PLAN': unknown }[]>(
    `explain (format json) ${query.text}`,
    query.values,
  );
  const indexes = scansOf(explained!['QUERY PLAN']).map((scan) => scan.index);
  expect(indexes).toContain(own);
  expect(indexes).not.toContain(wide);
  // And the probe still answers: the contact opened t1 once, yesterday (a rollup hit, not a
  // second open, and an open in the last 30 days).
  const members = await db.sql.unsafe<{ id: string }[]>(query.text, query.values);
  expect(members.map((m) => m.id)).toEqual(
    (rule as { count?: number }).count === 1 ? [probed] : [],
  );
});
