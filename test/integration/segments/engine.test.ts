import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeStaticMembership,
  createSegment,
  ingestMessages,
  reconcileSegments,
  settleContacts,
  tickSegments,
  type IngestMessage,
} from '@relance/db';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const DAY = 86_400_000;
const T0 = new Date('2025-03-01T10:00:00Z');
const at = (days: number, minutes = 0) => new Date(T0.getTime() + days * DAY + minutes * 60_000);

const track = (
  userId: string,
  event: string,
  occurredAt: Date,
  properties = {},
): IngestMessage => ({
  type: 'track',
  identity: { userId },
  event,
  properties,
  occurredAt,
});

async function segmentId(key: string) {
  const [row] = await db.sql<{ id: string }[]>`select id from segments where builtin = ${key}`;
  return row!.id;
}

async function members(id: string) {
  const rows = await db.sql<{ externalId: string }[]>`
    select c.external_id from segment_members m join contacts c on c.id = m.contact_id
    where m.segment_id = ${id} order by 1`;
  return rows.map((r) => r.externalId);
}

async function changes(id: string) {
  return db.sql<{ externalId: string; change: string; cause: string; at: Date }[]>`
    select c.external_id, g.change, g.cause, g.at from segment_changes g join contacts c on c.id = g.contact_id
    where g.segment_id = ${id} order by g.id`;
}

describe('the segment engine', () => {
  it('seeds built-in lifecycle segments and scoring with the workspace', async () => {
    const rows = await db.sql<{ builtin: string }[]>`select builtin from segments order by builtin`;
    expect(rows.map((r) => r.builtin)).toEqual([
      'engaged-prospects',
      'inactive',
      'inactive-customers',
      'new-customers',
      'prospects',
      'repeat-customers',
      'value-high',
      'value-low',
      'value-medium',
    ]);
  });

  it('settles ingested contacts at once, and the tick finds "no click for 15 days" exactly', async () => {
    const result = await ingestMessages(
      db.sql,
      db.workspaceId,
      [
        track('ann', 'email.clicked', at(0)),
        track('ann', 'order.completed', at(0), { amount: 120 }),
      ],
      { now: at(0) },
    );
    expect(result.outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    await settleContacts(db.sql, {
      workspaceId: db.workspaceId,
      contactIds: result.contactIds,
      now: at(0),
      cause: 'ingest',
    });
    const inactive = await segmentId('inactive');
    expect(await members(await segmentId('new-customers'))).toEqual(['ann']);
    expect(await members(await segmentId('value-medium'))).toEqual(['ann']);
    expect(await members(inactive)).toEqual([]);

    await tickSegments(db.sql, { now: at(0, 1) });
    await tickSegments(db.sql, { now: at(14, 0) });
    expect(await members(inactive)).toEqual([]);
    // The click was at T0: at T0 + 15 days the window has elapsed.
    const tick = await tickSegments(db.sql, { now: at(15, 0) });
    expect(tick[0]!.candidates).toBe(1);
    expect(await members(inactive)).toEqual(['ann']);
    expect(await changes(inactive)).toMatchObject([
      { externalId: 'ann', change: 'entered', cause: 'tick' },
    ]);

    const click = await ingestMessages(
      db.sql,
      db.workspaceId,
      [track('ann', 'email.clicked', at(16))],
      { now: at(16) },
    );
    const settled = await settleContacts(db.sql, {
      workspaceId: db.workspaceId,
      contactIds: click.contactIds,
      now: at(16),
      cause: 'ingest',
    });
    expect(settled.changeIds.length).toBeGreaterThan(0);
    expect(await members(inactive)).toEqual([]);
    expect((await changes(inactive)).map((c) => c.change)).toEqual(['entered', 'exited']);
  });

  it('applies static changes and re-evaluates segments that read them', async () => {
    const vips = await createSegment(db.sql, {
      workspaceId: db.workspaceId,
      name: 'VIP list',
      kind: 'static',
      now: at(16),
    });
    const vipBuyers = await createSegment(db.sql, {
      workspaceId: db.workspaceId,
      name: 'VIP buyers',
      kind: 'dynamic',
      rule: {
        kind: 'all',
        conditions: [
          { kind: 'segment', op: 'in', segmentId: vips.segment.id },
          { kind: 'event_count', event: 'order.completed', op: 'at_least', count: 1 },
        ],
      },
      now: at(16),
    });
    expect(vipBuyers.rebuild).toMatchObject({ entered: 0, exited: 0 });
    const [ann] = await db.sql<{ id: string }[]>`select id from contacts where external_id = 'ann'`;
    const { changeIds } = await changeStaticMembership(db.sql, {
      workspaceId: db.workspaceId,
      contactId: ann!.id,
      add: [vips.segment.id],
      remove: [],
      cause: 'flow:test',
      now: at(17),
    });
    expect(changeIds).toHaveLength(2);
    expect(await members(vipBuyers.segment.id)).toEqual(['ann']);
    await expect(
      changeStaticMembership(db.sql, {
        workspaceId: db.workspaceId,
        contactId: ann!.id,
        add: [vipBuyers.segment.id],
        remove: [],
        cause: 'flow:test',
        now: at(17),
      }),
    ).rejects.toMatchObject({ code: 'not_static', field: 'add.0' });
  });

  it('refuses a rule that makes segments contain each other', async () => {
    const a = await createSegment(db.sql, {
      workspaceId: db.workspaceId,
      name: 'A',
      kind: 'dynamic',
      rule: { kind: 'score', op: 'gt', value: 0 },
      now: at(17),
    });
    await expect(
      createSegment(db.sql, {
        workspaceId: db.workspaceId,
        name: 'B',
        kind: 'dynamic',
        rule: { kind: 'segment', op: 'in', segmentId: a.segment.id },
        now: at(17),
      }).then(async (b) => {
        const { updateSegment } = await import('@relance/db');
        return updateSegment(db.sql, {
          workspaceId: db.workspaceId,
          id: a.segment.id,
          rule: { kind: 'not', condition: { kind: 'segment', op: 'in', segmentId: b.segment.id } },
          now: at(17),
        });
      }),
    ).rejects.toMatchObject({ code: 'segment_cycle', field: 'rule' });
  });

  it('scores engagement and maintains score tags', async () => {
    const clicks = Array.from({ length: 7 }, (_, i) => track('bea', 'email.clicked', at(17, i)));
    const result = await ingestMessages(db.sql, db.workspaceId, clicks, { now: at(17, 10) });
    const settled = await settleContacts(db.sql, {
      workspaceId: db.workspaceId,
      contactIds: result.contactIds,
      now: at(17, 10),
      cause: 'ingest',
    });
    expect(settled.changedContactIds).toHaveLength(1);
    const [bea] = await db.sql<
      { score: number; tags: string[] }[]
    >`select score, tags from contacts where external_id = 'bea'`;
    expect(bea).toEqual({ score: 21, tags: ['warm-lead'] });
  });

  it('reconciliation repairs drift and reports what it fixed', async () => {
    const inactive = await segmentId('inactive');
    await db.sql`delete from segment_members where segment_id = ${await segmentId('new-customers')}`;
    await db.sql`update contacts set score = score + 1, score_from_rules = score_from_rules + 1 where external_id = 'bea'`;
    const [report] = await reconcileSegments(db.sql, { now: at(17, 20) });
    expect(report!.scoresChanged).toBe(1);
    expect(report!.segments).toEqual([
      { segmentId: await segmentId('new-customers'), entered: 1, exited: 0 },
    ]);
    expect(await members(inactive)).toEqual([]);
    const [stored] = await db.sql<
      { report: { scoresFixed: number } }[]
    >`select report from segment_reconciliations`;
    expect(stored!.report.scoresFixed).toBe(1);
    const [again] = await reconcileSegments(db.sql, { now: at(17, 21) });
    expect(again!.segments).toEqual([]);
  });
});

describe('what a settle re-checks', () => {
  it('re-checks only the segments that read the new events, but new contacts against all', async () => {
    const opener = await ingestMessages(
      db.sql,
      db.workspaceId,
      [track('cat', 'email.opened', at(18))],
      { now: at(18) },
    );
    // A new contact: every segment, so "Prospects" takes them although no rule reads opens.
    await settleContacts(db.sql, {
      workspaceId: db.workspaceId,
      contactIds: opener.contactIds,
      now: at(18),
      cause: 'ingest',
      changed: { events: opener.eventsByContact, everything: opener.changedContactIds },
    });
    const prospects = await segmentId('prospects');
    expect(await members(prospects)).toContain('cat');
    // Drift planted in a segment that does not read email.opened stays untouched by a settle
    // scoped to opens (only the tick or reconciliation looks at it) …
    await db.sql`delete from segment_members where segment_id = ${prospects} and contact_id = ${opener.contactIds[0]!}`;
    const again = await ingestMessages(
      db.sql,
      db.workspaceId,
      [track('cat', 'email.opened', at(18, 5))],
      {
        now: at(18, 5),
      },
    );
    await settleContacts(db.sql, {
      workspaceId: db.workspaceId,
      contactIds: again.contactIds,
      now: at(18, 5),
      cause: 'ingest',
      changed: { events: again.eventsByContact, everything: again.changedContactIds },
    });
    expect(await members(prospects)).not.toContain('cat');
    // … while an unscoped settle re-checks everything.
    await settleContacts(db.sql, {
      workspaceId: db.workspaceId,
      contactIds: again.contactIds,
      now: at(18, 5),
      cause: 'ingest',
    });
    expect(await members(prospects)).toContain('cat');
  });
});
