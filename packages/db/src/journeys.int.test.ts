import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, postPurchaseFlow, reactivationFlow } from '@relance/flow';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import {
  changeContactScore,
  changeContactTags,
  claimActionKey,
  completeActionKey,
  countRunsByStatus,
  countStepsByNode,
  createJourney,
  endJourneyRun,
  findListeningRuns,
  findTriggeredVersions,
  findWaitingRuns,
  getJourney,
  getJourneyContact,
  insertJourneyVersion,
  insertRun,
  latestRuns,
  releaseActionKey,
  setContactProperties,
  switchJourneyStatus,
  upsertSteps,
} from './index';

let db: TestDatabase;
let contactId: string;
const document = postPurchaseFlow({ templates: { tips: 't1', crossSell: 't2', review: 't3' } });

beforeAll(async () => {
  db = await createTestDatabase();
  const [contact] = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, email, properties, tags)
    values (${db.workspaceId}, 'ada@example.com', ${db.sql.json({ plan: 'pro' })}, '{vip}')
    returning id`;
  contactId = contact!.id;
});
afterAll(async () => {
  await db?.drop();
});

async function publish(doc: Record<string, unknown>) {
  const journey = await createJourney(db.sql, {
    workspaceId: db.workspaceId,
    name: String(doc.name),
    draft: doc,
  });
  const version = await db.sql.begin((tx) =>
    insertJourneyVersion(tx, {
      workspaceId: db.workspaceId,
      journeyId: journey.id,
      document: doc,
      plan: compile(doc),
    }),
  );
  return { journey, version };
}

describe('journeys and versions', () => {
  it('numbers versions, makes the latest live and activates a draft', async () => {
    const { journey, version } = await publish(document);
    expect(journey.status).toBe('draft');
    expect(version.version).toBe(1);
    const second = await db.sql.begin((tx) =>
      insertJourneyVersion(tx, {
        workspaceId: db.workspaceId,
        journeyId: journey.id,
        document,
        plan: compile(document),
      }),
    );
    expect(second).toMatchObject({ version: 2, previousVersionId: version.id });
    expect(await getJourney(db.sql, db.workspaceId, journey.id)).toMatchObject({
      status: 'active',
      liveVersionId: second.id,
      liveVersion: 2,
    });
  });

  it('refuses to edit a published version', async () => {
    const { version } = await publish(document);
    await expect(
      db.sql`update journey_versions set plan = '{}' where id = ${version.id}`,
    ).rejects.toThrow(/immutable/);
  });

  it('finds live versions of active journeys by trigger event or segment', async () => {
    const { journey, version } = await publish(document);
    const reactivation = await publish(
      reactivationFlow({
        segments: { inactive: 's-in', reactivation: 's-re', active: 's-ac', dormant: 's-do' },
        templates: { winBack: 'wb' },
      }),
    );
    const byEvent = await findTriggeredVersions(db.sql, {
      workspaceId: db.workspaceId,
      events: ['order.completed'],
    });
    expect(byEvent.map((v) => v.versionId)).toContain(version.id);
    expect(byEvent.find((v) => v.versionId === version.id)).toMatchObject({
      trigger: { kind: 'trigger.event', config: { event: 'order.completed', entryKey: 'orderId' } },
      entryPolicy: { kind: 'once' },
    });
    const bySegment = await findTriggeredVersions(db.sql, {
      workspaceId: db.workspaceId,
      segmentIds: ['s-in'],
    });
    expect(bySegment.map((v) => v.versionId)).toEqual([reactivation.version.id]);

    await switchJourneyStatus(db.sql, {
      workspaceId: db.workspaceId,
      id: journey.id,
      from: 'active',
      to: 'paused',
    });
    const paused = await findTriggeredVersions(db.sql, {
      workspaceId: db.workspaceId,
      events: ['order.completed'],
    });
    expect(paused.map((v) => v.versionId)).not.toContain(version.id);
  });
});

describe('runs and steps', () => {
  it('tracks latest runs per key, listening runs, waiting nodes and per-node counts', async () => {
    const { journey, version } = await publish(
      reactivationFlow({
        segments: { inactive: 'a', reactivation: 'b', active: 'c', dormant: 'd' },
        templates: { winBack: 'wb' },
      }),
    );
    const run = {
      workspaceId: db.workspaceId,
      journeyId: journey.id,
      versionId: version.id,
      contactId,
      workflowId: `run:${journey.id}:${contactId}`,
      entryKey: '',
      entry: { kind: 'manual', enrolmentId: null },
    };
    const firstId = crypto.randomUUID();
    await insertRun(db.sql, { ...run, id: firstId, startedAt: new Date('2026-01-01T00:00:00Z') });
    await insertRun(db.sql, { ...run, id: firstId, startedAt: new Date('2026-01-01T00:00:00Z') });
    await endJourneyRun(db.sql, {
      runId: firstId,
      status: 'completed',
      at: new Date('2026-01-02T00:00:00Z'),
    });
    const secondId = crypto.randomUUID();
    await insertRun(db.sql, { ...run, id: secondId, startedAt: new Date('2026-02-01T00:00:00Z') });

    const latest = await latestRuns(db.sql, {
      journeyId: journey.id,
      entries: [{ contactId, entryKey: '' }],
    });
    expect(latest.get(`${contactId}:`)).toMatchObject({ id: secondId, endedAt: null });

    const listening = await findListeningRuns(db.sql, {
      workspaceId: db.workspaceId,
      contactIds: [contactId],
      events: ['email.clicked'],
    });
    expect(listening.map((r) => r.workflowId)).toEqual([run.workflowId]);
    expect(
      await findListeningRuns(db.sql, {
        workspaceId: db.workspaceId,
        contactIds: [contactId],
        events: ['page.viewed'],
      }),
    ).toEqual([]);

    const ref = { runId: secondId, ...run };
    const t = Date.parse('2026-02-01T00:00:00Z');
    await upsertSteps(db.sql, ref, [
      {
        seq: 1,
        nodeId: 'to_reactivation',
        kind: 'action.segment',
        visit: 1,
        enteredAt: t,
        leftAt: t,
        outcome: 'done',
        port: 'out',
        why: {},
      },
      {
        seq: 2,
        nodeId: 'send_win_back',
        kind: 'action.send_email',
        visit: 1,
        enteredAt: t,
        leftAt: t,
        outcome: 'failed',
        port: 'out',
        why: { error: 'x' },
      },
      {
        seq: 3,
        nodeId: 'wait_click',
        kind: 'wait.event',
        visit: 1,
        enteredAt: t,
        leftAt: null,
        outcome: 'waiting',
        port: null,
        why: {},
      },
    ]);
    expect(await findWaitingRuns(db.sql, journey.id)).toEqual([
      expect.objectContaining({
        workflowId: run.workflowId,
        nodeId: 'wait_click',
        kind: 'wait.event',
      }),
    ]);
    expect(await countStepsByNode(db.sql, journey.id)).toEqual({
      to_reactivation: { entered: 1, waiting: 0, completed: 1, failed: 0 },
      send_win_back: { entered: 1, waiting: 0, completed: 0, failed: 1 },
      wait_click: { entered: 1, waiting: 1, completed: 0, failed: 0 },
    });
    // The wait is left: the same seq is completed, not duplicated.
    await upsertSteps(db.sql, ref, [
      {
        seq: 3,
        nodeId: 'wait_click',
        kind: 'wait.event',
        visit: 1,
        enteredAt: t,
        leftAt: t + 1000,
        outcome: 'done',
        port: 'event',
        why: { eventId: '7' },
      },
    ]);
    expect((await countStepsByNode(db.sql, journey.id)).wait_click).toEqual({
      entered: 1,
      waiting: 0,
      completed: 1,
      failed: 0,
    });
    expect(await countRunsByStatus(db.sql, journey.id)).toMatchObject({ active: 1, completed: 1 });
  });
});

describe('action keys and contact updates', () => {
  it('claims a key once, returns the recorded result after, and releases an unfinished one', async () => {
    const { journey, version } = await publish(document);
    const runId = crypto.randomUUID();
    await insertRun(db.sql, {
      id: runId,
      workspaceId: db.workspaceId,
      journeyId: journey.id,
      versionId: version.id,
      contactId,
      workflowId: 'w',
      entryKey: 'o-1',
      entry: {},
      startedAt: new Date(),
    });
    const claim = {
      key: `w:${runId}:n:1`,
      workspaceId: db.workspaceId,
      runId,
      nodeId: 'n',
      kind: 'action.score',
    };
    expect(await claimActionKey(db.sql, claim)).toEqual({ claimed: true });
    expect(await claimActionKey(db.sql, claim)).toEqual({
      claimed: false,
      state: 'started',
      result: null,
    });
    await completeActionKey(db.sql, { key: claim.key, result: { score: 10 } });
    expect(await claimActionKey(db.sql, claim)).toEqual({
      claimed: false,
      state: 'done',
      result: { score: 10 },
    });
    await releaseActionKey(db.sql, claim.key);
    expect(await claimActionKey(db.sql, claim)).toMatchObject({ state: 'done' });
    const other = { ...claim, key: `${claim.key}x` };
    await claimActionKey(db.sql, other);
    await releaseActionKey(db.sql, other.key);
    expect(await claimActionKey(db.sql, other)).toEqual({ claimed: true });
  });

  it('changes tags, score and properties of a contact', async () => {
    const ws = db.workspaceId;
    expect(
      await changeContactTags(db.sql, {
        workspaceId: ws,
        contactId,
        add: ['a', 'vip'],
        remove: ['vip'],
      }),
    ).toEqual(['a', 'vip']);
    expect(
      await changeContactTags(db.sql, { workspaceId: ws, contactId, add: [], remove: ['vip'] }),
    ).toEqual(['a']);
    expect(await changeContactScore(db.sql, { workspaceId: ws, contactId, delta: 5 })).toBe(5);
    expect(await changeContactScore(db.sql, { workspaceId: ws, contactId, delta: -2 })).toBe(3);
    await setContactProperties(db.sql, {
      workspaceId: ws,
      contactId,
      values: { 'address.city': 'Lyon', plan: null, vip: true, $lifecycle_stage: 'customer' },
    });
    expect(await getJourneyContact(db.sql, ws, contactId)).toMatchObject({
      properties: { address: { city: 'Lyon' }, vip: true },
      lifecycleStage: 'customer',
      tags: ['a'],
      score: 3,
      timezone: 'UTC',
    });
    await expect(
      setContactProperties(db.sql, { workspaceId: ws, contactId, values: { $email: 'x@y.z' } }),
    ).rejects.toThrow(/\$email cannot be set/);
  });
});
