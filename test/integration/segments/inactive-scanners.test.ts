// "Inactive: no click for 15 days" leaves out link scanners. A security gateway clicks every link
// of an email on delivery (the tracking routes flag it `machine: true`); counting its clicks kept
// a contact behind one active forever. The built-in segment reads the person-only rollup
// (`$human:email.clicked`), written with the rollups by every insert of events, on ingest, on
// the tick, in a journey's condition, and filled for past events by migration 0088.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Condition } from '@relance/flow';
import {
  evaluateCondition,
  mergeContacts,
  MIGRATIONS_DIR,
  tickSegments,
  type IngestMessage,
} from '@relance/db';
import { BUILTIN_SEGMENTS, compileMembersQuery } from '@relance/segments';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { scansOf } from '../../support/plans';
import { ingestAndSettle } from './ingest-and-settle';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db?.drop();
});

const DAY = 86_400_000;
const T0 = new Date('2025-03-01T10:00:00Z');
const at = (days: number, minutes = 0) => new Date(T0.getTime() + days * DAY + minutes * 60_000);

// As the tracking routes record them (classifyEngagement in packages/email).
const SCANNER = { agent: 'scanner', machine: true, machineReason: 'scanner' };
const BROWSER = { agent: 'browser', machine: false };

const track = (
  userId: string,
  event: string,
  occurredAt: Date,
  properties: object = {},
): IngestMessage => ({
  type: 'track',
  identity: { userId },
  event,
  properties: { ...properties },
  occurredAt,
});
const click = (userId: string, occurredAt: Date, agent: object) =>
  track(userId, 'email.clicked', occurredAt, { templateId: 'newsletter', ...agent });

const ingest = (now: Date, messages: IngestMessage[]) => ingestAndSettle(db, now, messages);

async function inactiveId() {
  const [row] = await db.sql<{ id: string }[]>`
    select id from segments where workspace_id = ${db.workspaceId} and builtin = 'inactive'`;
  return row!.id;
}

async function members(id: string) {
  const rows = await db.sql<{ externalId: string }[]>`
    select c.external_id from segment_members m join contacts c on c.id = m.contact_id
    where m.segment_id = ${id} order by 1`;
  return rows.map((r) => r.externalId);
}

/** Each rollup's person-only last time, where a person did it. */
async function humanRollups() {
  const rows = await db.sql<{ externalId: string; name: string; humanLastAt: Date }[]>`
    select c.external_id, r.name, r.human_last_at
    from contact_event_rollups r join contacts c on c.id = r.contact_id
    where r.human_last_at is not null order by 1, 2`;
  return rows.map((r) => [r.externalId, r.name, r.humanLastAt.toISOString()]);
}

const SHIPPED_RULE = {
  kind: 'event_last',
  event: 'email.clicked',
  op: 'more_than',
  duration: '15d',
  includeNever: true,
};

describe('the built-in Inactive segment', () => {
  it('counts a person’s clicks only: on ingest, on the tick and in a journey’s condition', async () => {
    const inactive = await inactiveId();
    const [rule] = await db.sql<
      { rule: Condition }[]
    >`select rule from segments where id = ${inactive}`;
    expect(rule!.rule).toEqual({ ...SHIPPED_RULE, humanOnly: true });
    expect(BUILTIN_SEGMENTS.find((s) => s.key === 'inactive')!.rule).toEqual(rule!.rule);

    await ingest(
      at(0),
      ['abe', 'ann', 'cal'].map((u) => track(u, 'page.viewed', at(0))),
    );
    // Cal reads the newsletter himself.
    await ingest(at(1), [click('cal', at(1), BROWSER)]);
    // Ten days later a gateway scans Cal's next newsletter.
    await ingest(at(10), [click('cal', at(10), SCANNER)]);
    expect(await members(inactive)).toEqual([]);

    // Past 15 days since they joined: the tick moves in Abe and Ann, who never clicked.
    await tickSegments(db.sql, { now: at(15, 0.5) });
    expect(await members(inactive)).toEqual(['abe', 'ann']);

    // Past 15 days since Cal's own click (his scanned one is 6 days old): the tick finds him
    // from the person-only rollup alone.
    await tickSegments(db.sql, { now: at(16, -1) });
    expect(await members(inactive)).toEqual(['abe', 'ann']);
    await tickSegments(db.sql, { now: at(16, 1) });
    expect(await members(inactive)).toEqual(['abe', 'ann', 'cal']);

    // A scanner clicking on delivery leaves Abe inactive; Ann's own click takes her out.
    await ingest(at(20), [click('abe', at(20), SCANNER), click('ann', at(20), BROWSER)]);
    expect(await members(inactive)).toEqual(['abe', 'cal']);
    const changes = await db.sql<{ externalId: string; change: string; cause: string }[]>`
      select c.external_id, g.change, g.cause from segment_changes g
      join contacts c on c.id = g.contact_id where g.segment_id = ${inactive} order by g.at, c.external_id`;
    expect(changes.map((c) => `${c.externalId} ${c.change} ${c.cause}`)).toEqual([
      'abe entered tick',
      'ann entered tick',
      'cal entered tick',
      'ann exited ingest',
    ]);

    expect(await humanRollups()).toEqual([
      ['ann', 'email.clicked', at(20).toISOString()],
      ['cal', 'email.clicked', at(1).toISOString()],
    ]);

    // A journey's "no click by a person for 15 days" reads the same rollup, and says when.
    const [abe] = await db.sql<{ id: string }[]>`select id from contacts where external_id = 'abe'`;
    const [cal] = await db.sql<{ id: string }[]>`select id from contacts where external_id = 'cal'`;
    const condition = { ...SHIPPED_RULE, humanOnly: true } as Condition;
    const evaluate = (contactId: string, c: Condition) =>
      evaluateCondition(db.sql, {
        workspaceId: db.workspaceId,
        contactId,
        condition: c,
        now: at(20, 1),
      });
    expect((await evaluate(abe!.id, condition)).matched).toBe(true);
    expect((await evaluate(abe!.id, SHIPPED_RULE as Condition)).matched).toBe(false);
    const calNow = await evaluate(cal!.id, condition);
    expect(calNow.matched).toBe(true);
    expect(new Date(calNow.values.condition as string).toISOString()).toBe(at(1).toISOString());
  });

  it('is evaluated over the whole base from the rollups, never the events', async () => {
    const rule = { ...SHIPPED_RULE, humanOnly: true } as Condition;
    const query = compileMembersQuery(rule, { workspaceId: db.workspaceId, now: at(20) });
    expect(query.text).toContain('r.human_last_at > ');
    const [explained] = await db.sql.unsafe<{ 'QUERY PLAN': unknown }[]>(
      `explain (format json) ${query.text}`,
      query.values,
    );
    const read = new Set(scansOf(explained!['QUERY PLAN']).map((scan) => scan.relation));
    expect([...read].sort()).toEqual(['contact_event_rollups', 'contacts']);
  });

  it('keeps opens and clicks by people apart from machines’, and other events out of it', async () => {
    await ingest(at(2), [
      track('dee', 'email.opened', at(0), { ...SCANNER }),
      track('dee', 'email.opened', at(1), { ...BROWSER }),
      track('dee', 'email.opened', at(2)),
      track('dee', 'email.bounced', at(2), { machine: false }),
      track('dee', 'order.completed', at(2)),
    ]);
    expect(await humanRollups()).toEqual([['dee', 'email.opened', at(2).toISOString()]]);
  });
});

describe('merging two contacts', () => {
  it('keeps the later of their own clicks, a scanner’s on either side counting for nothing', async () => {
    await ingest(at(3), [
      click('ivy', at(1), BROWSER),
      click('ivy', at(3), SCANNER),
      click('jon', at(2), BROWSER),
      click('kim', at(3), SCANNER),
    ]);
    const ids = new Map(
      (
        await db.sql<{ id: string; externalId: string }[]>`select id, external_id from contacts`
      ).map((c) => [c.externalId, c.id]),
    );
    const merge = (survivor: string, other: string) =>
      mergeContacts(db.sql, {
        workspaceId: db.workspaceId,
        contactId: ids.get(survivor)!,
        otherId: ids.get(other)!,
        now: at(4),
      });
    // Jon's own click is later than Ivy's; Kim's rollup holds a scanner's only.
    await merge('ivy', 'jon');
    await merge('kim', 'ivy');
    expect(await humanRollups()).toEqual([['kim', 'email.clicked', at(2).toISOString()]]);
  });
});

describe('migrations 0088, 0090 and 0096, from a database before them', () => {
  // As `migrate` runs them: pending migrations together, in one transaction.
  const migrate = async () => {
    const texts = await Promise.all(
      [
        '0088_human_click_rollups.sql',
        '0090_human_last_on_rollups.sql',
        '0096_rollup_key_carries_human_last.sql',
      ].map((file) => readFile(`${MIGRATIONS_DIR}/${file}`, 'utf8')),
    );
    await db.sql.begin(async (tx) => {
      for (const text of texts) await tx.unsafe(text);
    });
  };

  /** The database as it was before 0088, with these events: no person-only rollups, the old rule. */
  async function before0088(rule: typeof SHIPPED_RULE) {
    await db.sql`
      alter table contact_event_rollups
        drop constraint contact_event_rollups_pkey,
        add constraint contact_event_rollups_pkey primary key (contact_id, name)`;
    await db.sql`alter table contact_event_rollups drop column human_last_at`;
    await db.sql`alter table contact_event_rollups drop constraint contact_event_rollups_name`;
    await db.sql`
      update segments set rule = ${db.sql.json(rule)},
        description = 'No email click for 15 days (counted from when they joined for contacts who never clicked).'
      where builtin = 'inactive'`;
    await db.sql`delete from segment_queue`;
  }

  it('fills the person-only rollups, turns the shipped rule to people only and queues who may now enter', async () => {
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    await ingest(ago(30), [
      track('eve', 'page.viewed', ago(30)),
      track('fay', 'page.viewed', ago(30)),
      track('gil', 'page.viewed', ago(30)),
    ]);
    // Eve clicked herself 25 days ago, a scanner yesterday; Fay herself 2 days ago; Gil never.
    await ingest(ago(1), [
      click('eve', ago(25), BROWSER),
      click('eve', ago(1), SCANNER),
      track('eve', 'email.opened', ago(26), { ...BROWSER }),
      track('eve', 'email.opened', ago(1), { ...SCANNER }),
      click('fay', ago(2), {}),
    ]);
    await before0088(SHIPPED_RULE);
    const inactive = await inactiveId();
    await tickSegments(db.sql, { now });
    expect(await members(inactive)).toEqual(['gil']);

    await migrate();
    expect(await humanRollups()).toEqual([
      ['eve', 'email.clicked', ago(25).toISOString()],
      ['eve', 'email.opened', ago(26).toISOString()],
      ['fay', 'email.clicked', ago(2).toISOString()],
    ]);
    // 0088's rows moved onto the events' own, and a copy of 0088's code can no longer add any.
    expect(await db.sql`select 1 from contact_event_rollups where name like '$human:%'`).toEqual(
      [],
    );
    await expect(
      db.sql`
        insert into contact_event_rollups (workspace_id, contact_id, name, count, first_at, last_at)
        select workspace_id, contact_id, '$human:email.clicked', 1, now(), now()
        from contact_event_rollups limit 1`,
    ).rejects.toThrow(/contact_event_rollups_name/);
    const [segment] = await db.sql<{ rule: object; description: string }[]>`
      select rule, description from segments where id = ${inactive}`;
    const shipped = BUILTIN_SEGMENTS.find((s) => s.key === 'inactive')!;
    expect(segment).toEqual({ rule: shipped.rule, description: shipped.description });
    // Eve and Fay clicked in the last 15 days; only they can have been kept out by a scanner.
    const queued = await db.sql<{ externalId: string }[]>`
      select c.external_id from segment_queue q join contacts c on c.id = q.contact_id order by 1`;
    expect(queued.map((q) => q.externalId)).toEqual(['eve', 'fay']);

    await tickSegments(db.sql, { now: new Date(now.getTime() + 60_000) });
    expect(await members(inactive)).toEqual(['eve', 'gil']);
  });

  it('leaves a rule the marketer edited as it is', async () => {
    await ingest(new Date(), [click('hal', new Date(), SCANNER)]);
    const edited = { ...SHIPPED_RULE, duration: '30d' };
    await before0088(edited);
    await migrate();
    const [segment] = await db.sql<{ rule: object }[]>`
      select rule from segments where builtin = 'inactive'`;
    expect(segment!.rule).toEqual(edited);
    expect(await db.sql`select 1 from segment_queue`).toHaveLength(0);
  });
});
