import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSegment,
  deleteSegment,
  dispatchRecheckStep,
  findScoreDrift,
  ingestMessages,
  recheckSegments,
  replaceScoring,
  rescoreContacts,
  settleContacts,
  settleContactsIn,
  tickSegments,
  type IngestMessage,
  type RecheckStep,
  type Scoring,
} from '@relance/db';
import { lockWorkspaceShared } from '@relance/db/segment-locks';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const DAY = 86_400_000;
const NOW = new Date('2025-06-01T12:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

const track = (userId: string, event: string, days: number, properties = {}): IngestMessage => ({
  type: 'track',
  identity: { userId },
  event,
  properties,
  occurredAt: ago(days),
});

// Plain rules (rollups), windowed rules (recent events) and a filtered one (each event's
// properties), as the built-ins and a marketer's own rules mix them.
const scoring: Scoring = {
  rules: [
    { name: 'Click', event: 'email.clicked', points: 3 },
    { name: 'Unsubscribed', event: 'email.unsubscribed', points: -5 },
    { name: 'Recent purchase', event: 'order.completed', points: 10, within: '7d' },
    { name: 'Visit', event: 'page.viewed', points: 1, within: '30d' },
    {
      name: 'Big order',
      event: 'order.completed',
      points: 20,
      filter: { kind: 'property', property: 'amount', op: 'gte', value: 500 },
    },
  ],
  tags: [{ tag: 'warm', minScore: 20 }],
};

async function scores() {
  const rows = await db.sql<{ externalId: string; score: number; tags: string[] }[]>`
    select external_id, score, tags from contacts
    where workspace_id = ${db.workspaceId} order by external_id`;
  return Object.fromEntries(rows.map((r) => [r.externalId, { score: r.score, tags: r.tags }]));
}

describe('scoring the whole base', () => {
  it('gives every contact what scoring it alone gives, points from elsewhere kept', async () => {
    await ingestMessages(
      db.sql,
      db.workspaceId,
      [
        track('ann', 'email.clicked', 40),
        track('ann', 'email.clicked', 2),
        track('ann', 'order.completed', 3, { amount: 80 }),
        track('ann', 'order.completed', 9, { amount: 600 }),
        track('ann', 'page.viewed', 1),
        track('ann', 'page.viewed', 31),
        track('bob', 'email.unsubscribed', 5),
        track('bob', 'page.viewed', 29),
        track('cid', 'order.completed', 1, { amount: 500 }),
        track('dee', 'email.opened', 1),
      ],
      { now: NOW },
    );
    // Points given by a journey or the API, outside the rules.
    await db.sql`update contacts set score = score + 4 where external_id = 'dee'`;
    const ids = (
      await db.sql<{ id: string }[]>`
        select id from contacts where workspace_id = ${db.workspaceId} order by external_id`
    ).map((r) => r.id);
    const rescore = (contactIds: string[], now = NOW) =>
      db.sql.begin((tx) =>
        rescoreContacts(tx, { workspaceId: db.workspaceId, contactIds, now }, scoring),
      );
    const drift = (now = NOW) =>
      findScoreDrift(db.sql, { workspaceId: db.workspaceId, now }, scoring);

    // ann: 2 clicks 6, one purchase in the week 10, a big order 20, one visit in 30 days 1.
    // bob: unsubscribed −5, one visit 1. cid: purchase 10 + big order 20. dee: none, 4 kept.
    const expected = {
      ann: { score: 37, tags: ['warm'] },
      bob: { score: -4, tags: [] },
      cid: { score: 30, tags: ['warm'] },
      dee: { score: 4, tags: [] },
    };
    // Over the whole base, in grouped passes: everyone but dee, whose share of the rules was
    // and stays 0, in id order.
    const drifted = ids.filter((_, i) => i !== 3).sort();
    expect(await drift()).toEqual(drifted);
    expect((await rescore(ids)).sort()).toEqual(drifted);
    expect(await scores()).toEqual(expected);
    // The grouped passes agree with contact-by-contact scoring: nothing has drifted now.
    expect(await drift()).toEqual([]);

    // A week later the purchases and a visit have left their windows, for the whole base too.
    const later = new Date(NOW.getTime() + 7 * DAY);
    expect(await drift(later)).toEqual(ids.slice(0, 3).sort());
    await rescore(ids, later);
    expect(await scores()).toEqual({
      ann: { score: 27, tags: ['warm'] },
      bob: { score: -5, tags: [] },
      cid: { score: 20, tags: ['warm'] },
      dee: { score: 4, tags: [] },
    });
    expect(await drift(later)).toEqual([]);
  });
});

describe('re-checking the whole base', () => {
  it('goes a step at a time: settles run between steps, a segment deleted meanwhile is skipped', async () => {
    const segment = async (name: string, rule: object) =>
      (
        await createSegment(db.sql, {
          workspaceId: db.workspaceId,
          kind: 'dynamic',
          name,
          rule: rule as never,
          now: NOW,
        })
      ).segment.id;
    const clickers = await segment('Clickers', {
      kind: 'event_count',
      event: 'email.clicked',
      op: 'at_least',
      count: 1,
    });
    const gone = await segment('Unsubscribed (to delete)', {
      kind: 'event_count',
      event: 'email.unsubscribed',
      op: 'at_least',
      count: 1,
    });
    const readers = await segment('Clickers who visited', {
      kind: 'all',
      conditions: [
        { kind: 'segment', op: 'in', segmentId: clickers },
        { kind: 'event_count', event: 'page.viewed', op: 'at_least', count: 1 },
      ],
    });
    // The workspace scores with the rules above, everyone's score up to date but for two
    // drifted by hand.
    const people = await db.sql<{ id: string; externalId: string }[]>`
      select id, external_id from contacts where workspace_id = ${db.workspaceId} order by id`;
    await db.sql.begin(async (tx) => {
      await replaceScoring(tx, db.workspaceId, scoring);
      await rescoreContacts(
        tx,
        { workspaceId: db.workspaceId, contactIds: people.map((p) => p.id), now: NOW },
        scoring,
      );
    });
    await db.sql`
      update contacts set score = score + 1, score_from_rules = score_from_rules + 1
      where workspace_id = ${db.workspaceId} and external_id in ('ann', 'bob')`;
    const drifted = people.filter((p) => ['ann', 'bob'].includes(p.externalId)).map((p) => p.id);
    const before = await scores();
    // Drift in the clickers: ann taken out and cid, who never clicked, put in by hand.
    await db.sql`
      delete from segment_members m using contacts c
      where m.segment_id = ${clickers} and c.id = m.contact_id and c.external_id = 'ann'`;
    await db.sql`
      insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
      select ${clickers}, id, workspace_id, ${NOW} from contacts where external_id = 'cid'`;
    await db.sql`delete from segment_members where segment_id = ${readers}`;
    const changesBefore = await db.sql<
      { id: string }[]
    >`select max(id)::text as id from segment_changes`;
    const dispatched: string[] = [];
    const dispatcher = {
      segmentsChanged: (_: string, ids: readonly string[]) => {
        dispatched.push(...ids);
        return Promise.resolve();
      },
      contactsChanged: () => Promise.resolve(),
    };

    const steps: RecheckStep[] = [];
    const report = await recheckSegments(db.sql, {
      workspaceId: db.workspaceId,
      now: NOW,
      cause: 'reconcile',
      // Only the clickers are asked for; the segment reading them follows.
      segments: (s) => s.id === clickers || s.id === gone,
      // A contact a step.
      chunk: 1,
      async onStep(step) {
        steps.push(step);
        await dispatchRecheckStep(dispatcher, db.workspaceId, step);
        if (steps.length === 1) await deleteSegment(db.sql, db.workspaceId, gone);
        // The workspace is free between steps: a settle gets its lock at once.
        await db.sql.begin(async (tx) => {
          await tx`set local lock_timeout = '2s'`;
          const [dee] = await tx<
            { id: string }[]
          >`select id from contacts where external_id = 'dee'`;
          await settleContactsIn(tx, {
            workspaceId: db.workspaceId,
            contactIds: [dee!.id],
            now: NOW,
            cause: 'ingest',
          });
        });
      },
    });
    expect(
      steps.map((s) => (s.kind === 'scores' ? s.changedContactIds : s.diff.segmentId)),
    ).toEqual([[drifted[0]], [drifted[1]], clickers, clickers, readers]);
    expect(report.scoresChanged).toBe(2);
    expect(await scores()).toEqual({
      ...before,
      ann: { ...before.ann, score: before.ann!.score - 1 },
      bob: { ...before.bob, score: before.bob!.score - 1 },
    });
    expect(report.segments).toEqual([
      { segmentId: clickers, entered: 1, exited: 1 },
      { segmentId: readers, entered: 1, exited: 0 },
    ]);
    // Each step's changes went to the journeys, logged with the re-check's cause.
    const logged = await db.sql<{ id: string; cause: string }[]>`
      select id::text, cause from segment_changes
      where id > ${changesBefore[0]!.id ?? 0}::bigint and segment_id in ${db.sql([clickers, readers])}
      order by id`;
    expect(logged.map((c) => c.cause)).toEqual(['reconcile', 'reconcile', 'reconcile']);
    expect(dispatched).toEqual(logged.map((c) => c.id));
  });

  it('judges each step at its own time, so what a tick applied meanwhile stays', async () => {
    const t0 = new Date(NOW.getTime() + DAY);
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const clicked = await ingestMessages(
      db.sql,
      db.workspaceId,
      [
        {
          type: 'track',
          identity: { userId: 'eve' },
          event: 'email.clicked',
          properties: {},
          occurredAt: t0,
        },
      ],
      { now: t0 },
    );
    await settleContacts(db.sql, {
      workspaceId: db.workspaceId,
      contactIds: clicked.contactIds,
      now: t0,
      cause: 'ingest',
    });
    const [inactive] = await db.sql<{ id: string }[]>`
      select id from segments where workspace_id = ${db.workspaceId} and builtin = 'inactive'`;
    await tickSegments(db.sql, { now: at(15 * DAY - 30_000) });
    const eve = async () =>
      db.sql<{ change: string; cause: string }[]>`
        select g.change, g.cause from segment_changes g join contacts c on c.id = g.contact_id
        where g.segment_id = ${inactive!.id} and c.external_id = 'eve' order by g.id`;
    expect(await eve()).toEqual([]);

    // The re-check begins 20 s before eve's 15 days without a click are up; while its first step
    // (eve's drifted score) runs, time passes them and the tick moves her in. The next step must
    // not take her out.
    await db.sql`
      update contacts set score = score + 1, score_from_rules = score_from_rules + 1
      where workspace_id = ${db.workspaceId} and external_id = 'eve'`;
    let clock = at(15 * DAY - 20_000);
    await recheckSegments(db.sql, {
      workspaceId: db.workspaceId,
      now: clock,
      clock: () => clock,
      cause: 'reconcile',
      segments: (s) => s.id === inactive!.id,
      async onStep(step) {
        if (step.kind !== 'scores' || !step.changedContactIds.includes(clicked.contactIds[0]!)) {
          return;
        }
        clock = at(15 * DAY + 30_000);
        await tickSegments(db.sql, { now: clock });
      },
    });
    expect(await eve()).toEqual([{ change: 'entered', cause: 'tick' }]);
  });

  it('with nothing to repair takes no lock: it ends while a settle holds the workspace', async () => {
    const at = new Date(NOW.getTime() + 40 * DAY);
    const recheck = () =>
      recheckSegments(db.sql, {
        workspaceId: db.workspaceId,
        now: at,
        clock: () => at,
        cause: 'reconcile',
      });
    await recheck();
    const outcome = await db.sql.begin(async (tx) => {
      await lockWorkspaceShared(tx, db.workspaceId);
      return Promise.race([
        recheck(),
        new Promise((resolve) => setTimeout(() => resolve('waited for the lock'), 5_000)),
      ]);
    });
    expect(outcome).toEqual({ scoresChanged: 0, segments: [] });
  });
});
