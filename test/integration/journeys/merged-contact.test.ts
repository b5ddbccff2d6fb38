import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import {
  countStepsByNode,
  createSegment,
  getJourney,
  getJourneyContact,
  getTimeline,
  mergeContacts,
  lockRunContact,
  mergeContactsIn,
} from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import type { ActionNode, RunRef, StepRecord } from '@relance/workflows/journey-activities';
import {
  createContact,
  eventually,
  publish,
  realActivities,
  recordEvent,
  useJourneyEnv,
} from './harness';

// A run keeps the contact id it began with; a merge turns that contact into a pointer to the
// survivor. The run's actions and event waits act on the survivor, the real person.

const env = useJourneyEnv({ worker: true });

const merge = (contactId: string, otherId: string) =>
  mergeContacts(env.db.sql, {
    workspaceId: env.db.workspaceId,
    contactId,
    otherId,
    now: new Date(),
  });

const contactRow = async (id: string) => {
  const [row] = await env.db.sql<
    { tags: string[]; score: number; properties: Record<string, unknown> }[]
  >`select tags, score, properties from contacts where id = ${id}`;
  return row!;
};

it('a run waiting when its contact is merged takes the event the survivor records and tags the survivor', async () => {
  const b = createDocumentBuilder('Buy or nudge');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait', 'wait.event', { event: 'purchase', timeout: '3s' }, 0, 1);
  b.node('buyer', 'action.tag', { add: ['buyer'] }, 0, 2);
  b.node('points', 'action.score', { delta: 5 }, 0, 3);
  b.node('plan', 'action.set_property', { property: 'plan', value: 'pro' }, 0, 4);
  b.node('nudged', 'action.tag', { add: ['nudged'] }, 1, 2);
  b.node('exit', 'logic.exit', {}, 0, 5);
  b.edge('trigger', 'wait');
  b.edge('wait', 'buyer', 'event');
  b.edge('wait', 'nudged', 'timeout');
  b.edge('buyer', 'points');
  b.edge('points', 'plan');
  b.edge('plan', 'exit');
  b.edge('nudged', 'exit');
  const { journeyId } = await publish(env, b.build());
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  const other = await createContact(env, { email: 'visitor@merge.test' });
  const survivor = await createContact(env, { email: 'person@merge.test' });
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId: other });
  await eventually(async () => (await countStepsByNode(env.db.sql, journeyId)).wait);

  await merge(survivor, other);
  // The person buys, as the survivor; nothing signals the run, whose last check finds it.
  await recordEvent(env, survivor, 'purchase');
  await env.temporal.client.workflow.getHandle(workflowId).result();

  expect(await countStepsByNode(env.db.sql, journeyId)).toMatchObject({
    buyer: { completed: 1 },
    points: { completed: 1 },
    plan: { completed: 1 },
  });
  expect(await contactRow(survivor)).toMatchObject({
    tags: ['buyer'],
    score: 5,
    properties: { plan: 'pro' },
  });
  expect(await contactRow(other)).toMatchObject({ tags: [], score: 0, properties: {} });
  // The steps recorded after the merge are on the survivor's timeline.
  const { items } = await getTimeline(env.db.sql, { contactId: survivor, limit: 50 });
  const steps = items.flatMap((i) => (i.kind === 'journey_step' ? [i.nodeId] : []));
  expect(steps).toEqual(expect.arrayContaining(['wait', 'buyer', 'points', 'plan']));
});

async function actionsJourney() {
  const { segment } = await createSegment(env.db.sql, {
    workspaceId: env.db.workspaceId,
    name: `Hand-picked ${randomUUID()}`,
    kind: 'static',
    now: new Date(),
  });
  const b = createDocumentBuilder('Actions of a merged contact');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('points', 'action.score', { delta: 3 }, 0, 1);
  b.node('vip', 'action.tag', { add: ['vip'] }, 0, 2);
  b.node('picked', 'action.segment', { add: [segment.id], remove: [] }, 0, 3);
  b.node(
    'enrich',
    'action.webhook',
    { url: 'https://enrich.test/x', method: 'GET', save: [{ path: 'plan', property: 'plan' }] },
    0,
    4,
  );
  b.node('wait', 'wait.event', { event: 'purchase', timeout: '1d' }, 0, 5);
  b.node('exit', 'logic.exit', {}, 0, 6);
  b.edge('trigger', 'points');
  b.edge('points', 'vip');
  b.edge('vip', 'picked');
  b.edge('picked', 'enrich');
  b.edge('enrich', 'wait');
  b.edge('wait', 'exit', 'event');
  b.edge('wait', 'exit', 'timeout');
  const { versionId } = await publish(env, b.build());
  return { versionId, segmentId: segment.id };
}

const entry = { kind: 'manual', enrolmentId: null } as const;

/** A run of `contactId` begun by the real activity, and its steps called as the workflow would. */
async function runOf(versionId: string, contactId: string) {
  // The enrichment service the webhook calls.
  const answer: typeof fetch = () => Promise.resolve(Response.json({ plan: 'gold' }));
  const activities = realActivities(env.db.sql, env.runtime, answer);
  const runId = randomUUID();
  const begun = await activities.beginRun({
    workflowId: `test:${runId}`,
    runId,
    journeyVersionId: versionId,
    contactId,
    entry,
    at: Date.now(),
  });
  if (!begun.admitted) throw new Error(begun.reason);
  const run: RunRef = begun.run;
  let seq = 0;
  const step = (nodeId: string) => ({
    seq: ++seq,
    nodeId,
    kind: begun.plan.nodes[nodeId]!.kind,
    visit: 1,
    enteredAt: Date.now(),
  });
  return {
    run,
    watermark: begun.watermark,
    act(nodeId: string) {
      const current = step(nodeId);
      const records: StepRecord[] = [
        { ...current, leftAt: null, outcome: 'waiting', port: null, why: {} },
      ];
      return activities.performAction({
        run,
        records,
        current,
        at: current.enteredAt,
        guard: null,
        node: begun.plan.nodes[nodeId] as ActionNode,
        // The workflow's key: the same on every attempt of the step.
        key: `${run.workflowId}:${run.runId}:${nodeId}:1`,
        entry,
      });
    },
    waitFor(event: string, receivedAfter?: number) {
      const current = step('wait');
      return activities.checkpoint({
        run,
        records: [],
        current,
        at: current.enteredAt,
        guard: null,
        holdIfPaused: false,
        check: {
          kind: 'event',
          event,
          where: null,
          afterEventId: begun.watermark,
          ...(receivedAfter === undefined ? {} : { receivedAfter }),
        },
      });
    },
  };
}

it('after two merges (A into B, B into C) the actions of a run of A change C, and a step retried after the merges is not applied twice', async () => {
  const { versionId, segmentId } = await actionsJourney();
  const a = await createContact(env, { email: 'a@chain.test' });
  const b = await createContact(env, { email: 'b@chain.test' });
  const c = await createContact(env, { email: 'c@chain.test' });
  const run = await runOf(versionId, a);
  expect(run.run.contactId).toBe(a);

  expect(await run.act('points')).toMatchObject({ kind: 'done', replayed: false });
  await merge(b, a);
  await merge(c, b);
  // The score step's answer was lost; retried after the merges, it replays (C has A's 3 points).
  expect(await run.act('points')).toMatchObject({ kind: 'done', replayed: true });
  await run.act('vip');
  await run.act('picked');
  await run.act('enrich');

  expect(await contactRow(c)).toMatchObject({
    tags: ['vip'],
    score: 3,
    properties: { plan: 'gold' },
  });
  expect(await contactRow(a)).toMatchObject({ tags: [], properties: {} });
  const members = await env.db.sql<{ contactId: string }[]>`
    select contact_id::text as contact_id from segment_members where segment_id = ${segmentId}`;
  expect(members).toEqual([{ contactId: c }]);
  // Steps the run records after the merges show on the survivor's timeline.
  const { items } = await getTimeline(env.db.sql, { contactId: c, limit: 50 });
  expect(items.flatMap((i) => (i.kind === 'journey_step' ? [i.nodeId] : []))).toEqual(
    expect.arrayContaining(['points', 'vip', 'picked', 'enrich']),
  );
});

it('after a merge the event wait of a run of the merged contact reads the survivor’s events, and Liquid sees the survivor', async () => {
  const { versionId } = await actionsJourney();
  const other = await createContact(env, { email: 'waiting@merge.test' });
  const survivor = await createContact(env, { email: 'real@merge.test' });
  const run = await runOf(versionId, other);
  await merge(survivor, other);

  const purchase = await recordEvent(env, survivor, 'purchase');
  expect(await run.waitFor('purchase')).toEqual({
    kind: 'clear',
    check: { kind: 'event', eventId: purchase },
  });
  expect(await getJourneyContact(env.db.sql, env.db.workspaceId, other)).toMatchObject({
    id: survivor,
    email: 'real@merge.test',
  });
});

it('after a merge a wait of a run of the merged contact counts only the survivor’s events received after the run last stopped waiting', async () => {
  const { versionId } = await actionsJourney();
  const other = await createContact(env, { email: 'earlier@merge.test' });
  const survivor = await createContact(env, { email: 'later@merge.test' });
  const run = await runOf(versionId, other);
  await merge(survivor, other);
  // A purchase before the run's previous wait ended does not answer this wait.
  await recordEvent(env, survivor, 'purchase');
  const [row] = await env.db.sql<{ at: Date }[]>`select clock_timestamp() as at`;
  // In whole milliseconds, after the purchase's microseconds.
  const stoppedWaiting = row!.at.getTime() + 1;
  expect(await run.waitFor('purchase', stoppedWaiting)).toEqual({
    kind: 'clear',
    check: { kind: 'event', eventId: null },
  });
  const purchase = await recordEvent(env, survivor, 'purchase');
  expect(await run.waitFor('purchase', stoppedWaiting)).toEqual({
    kind: 'clear',
    check: { kind: 'event', eventId: purchase },
  });
});

it('an action that looks up its contact while a merge of it is being committed locks the survivor', async () => {
  const other = await createContact(env, { email: 'racing@merge.test' });
  const survivor = await createContact(env, { email: 'winner@merge.test' });
  let commit!: () => void;
  const committed = new Promise<void>((resolve) => (commit = resolve));
  let merged!: () => void;
  const done = new Promise<void>((resolve) => (merged = resolve));
  const merging = env.db.sql.begin(async (tx) => {
    await mergeContactsIn(tx, {
      workspaceId: env.db.workspaceId,
      contactId: survivor,
      otherId: other,
      now: new Date(),
    });
    merged();
    await committed;
  });
  await done;
  // The action's transaction sees the contact before the merge commits, and waits for its row.
  const locking = env.db.sql.begin((tx) => lockRunContact(tx, env.db.workspaceId, other));
  await eventually(async () => {
    const [row] = await env.db.sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'
        and query like '%for update of c%'`;
    return row!.n > 0;
  });
  commit();
  await merging;
  expect(await locking).toBe(survivor);
});
