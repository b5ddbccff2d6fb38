import { expect, it } from 'vitest';
import { countStepsByNode, findContactRuns, getJourney, getJourneyContact } from '@relance/db';
import { createDocumentBuilder, type FlowDocument } from '@relance/flow';
import { runWorkflowId } from '@relance/workflows/contracts';
import {
  createContact,
  createWorker,
  eventually,
  publish,
  realActivities,
  recordEvent,
  useJourneyEnv,
} from './harness';

const env = useJourneyEnv();

function welcomeFlow(): FlowDocument {
  const b = createDocumentBuilder('Welcome');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('tag', 'action.tag', { add: ['welcomed'] }, 0, 1);
  b.node('score', 'action.score', { delta: 10 }, 0, 2);
  b.node(
    'plan',
    'action.set_property',
    { property: 'greeting', value: 'Hello {{ contact.first_name }}' },
    0,
    3,
  );
  b.node('exit', 'logic.exit', {}, 0, 4);
  b.edge('trigger', 'tag');
  b.edge('tag', 'score');
  b.edge('score', 'plan');
  b.edge('plan', 'exit');
  return b.build();
}

/** `event` (one run per upgrade id) → wait → tag → score. Events no scoring rule counts. */
function upgradeFlow(wait: string, event: string): FlowDocument {
  const b = createDocumentBuilder('Orders');
  b.node('trigger', 'trigger.event', { event, entryKey: 'upgradeId' }, 0, 0);
  b.node('wait', 'wait.delay', { duration: wait }, 0, 1);
  b.node('tag', 'action.tag', { add: ['upgraded'] }, 0, 2);
  b.node('score', 'action.score', { delta: 1 }, 0, 3);
  b.node('exit', 'logic.exit', {}, 0, 4);
  b.edge('trigger', 'wait');
  b.edge('wait', 'tag');
  b.edge('tag', 'score');
  b.edge('score', 'exit');
  return b.build();
}

it('publish → enrol → the actions are in Postgres, the run and every step recorded', async () => {
  const contactId = await createContact(env, {
    email: 'ada@example.com',
    properties: { first_name: 'Ada' },
  });
  const { journeyId } = await publish(env, welcomeFlow());
  const journey = await getJourney(env.db.sql, env.db.workspaceId, journeyId);
  expect(journey).toMatchObject({ status: 'active', liveVersion: 1 });

  const worker = await createWorker(env.temporal, realActivities(env.db.sql, env.runtime));
  const outcome = await worker.runUntil(async () => {
    const { outcome, workflowId } = await env.runtime.enrolContact({
      journey: journey!,
      contactId,
    });
    expect(outcome).toBe('started');
    return env.temporal.client.workflow.getHandle(workflowId).result();
  });
  expect(outcome).toMatchObject({ status: 'completed' });

  expect(await getJourneyContact(env.db.sql, env.db.workspaceId, contactId)).toMatchObject({
    tags: ['welcomed'],
    score: 10,
    properties: { first_name: 'Ada', greeting: 'Hello Ada' },
  });
  const [run] = await findContactRuns(env.db.sql, {
    workspaceId: env.db.workspaceId,
    contactId,
    limit: 5,
  });
  expect(run).toMatchObject({
    status: 'completed',
    workflowId: runWorkflowId(journeyId, contactId),
  });
  expect(run!.endedAt).not.toBeNull();
  expect(await countStepsByNode(env.db.sql, journeyId)).toEqual({
    tag: { entered: 1, waiting: 0, completed: 1, failed: 0 },
    score: { entered: 1, waiting: 0, completed: 1, failed: 0 },
    plan: { entered: 1, waiting: 0, completed: 1, failed: 0 },
    exit: { entered: 1, waiting: 0, completed: 1, failed: 0 },
  });
  const keys = await env.db.sql<{ key: string; state: string }[]>`
    select key, state from action_keys where run_id = ${run!.id} order by key`;
  expect(keys.map((k) => k.state)).toEqual(['done', 'done', 'done']);
  expect(keys[0]!.key).toBe(`${run!.workflowId}:${run!.id}:plan:1`);
});

it('an event starts a run through the dispatcher; duplicate triggers for one upgrade make one run', async () => {
  const contactId = await createContact(env, { email: 'grace@example.com' });
  const { journeyId } = await publish(env, upgradeFlow('2s', 'plan.upgraded'));
  const worker = await createWorker(env.temporal, realActivities(env.db.sql, env.runtime));
  await worker.runUntil(async () => {
    const first = await recordEvent(env, contactId, 'plan.upgraded', { upgradeId: 'A-1' });
    const retried = await recordEvent(env, contactId, 'plan.upgraded', { upgradeId: 'A-1' });
    const other = await recordEvent(env, contactId, 'plan.upgraded', { upgradeId: 'B-2' });
    // The same facts dispatched twice at once (a retried ingestion) and a second event for A-1.
    await Promise.all([
      env.runtime.eventsRecorded(env.db.workspaceId, [first]),
      env.runtime.eventsRecorded(env.db.workspaceId, [first, retried]),
      env.runtime.eventsRecorded(env.db.workspaceId, [other]),
    ]);
    for (const key of ['A-1', 'B-2']) {
      await env.temporal.client.workflow
        .getHandle(runWorkflowId(journeyId, contactId, key))
        .result();
    }
  });
  const runs = await env.db.sql<{ entryKey: string; status: string }[]>`
    select entry_key, status from journey_runs where journey_id = ${journeyId} order by entry_key`;
  expect(runs).toEqual([
    { entryKey: 'A-1', status: 'completed' },
    { entryKey: 'B-2', status: 'completed' },
  ]);
  // One tag+score per upgrade: two runs, not four.
  expect(await getJourneyContact(env.db.sql, env.db.workspaceId, contactId)).toMatchObject({
    tags: ['upgraded'],
    score: 2,
  });
  // The policy is `once` per key: the same upgrade later does not enter again.
  const again = await recordEvent(env, contactId, 'plan.upgraded', { upgradeId: 'A-1' });
  await env.runtime.eventsRecorded(env.db.workspaceId, [again]);
  const count = await env.db.sql`select 1 from journey_runs where journey_id = ${journeyId}`;
  expect(count.length).toBe(2);
});

it('a run waiting when its worker stops is finished by the next worker', async () => {
  const contactId = await createContact(env, { email: 'linus@example.com' });
  const { journeyId } = await publish(env, upgradeFlow('4s', 'plan.renewed'));
  const workflowId = runWorkflowId(journeyId, contactId, 'C-3');

  const first = await createWorker(env.temporal, realActivities(env.db.sql, env.runtime));
  await first.runUntil(async () => {
    const event = await recordEvent(env, contactId, 'plan.renewed', { upgradeId: 'C-3' });
    await env.runtime.eventsRecorded(env.db.workspaceId, [event]);
    await eventually(
      async () => (await countStepsByNode(env.db.sql, journeyId)).wait?.waiting === 1,
    );
  });
  // No worker at all while the timer runs out.
  await new Promise((r) => setTimeout(r, 4_500));
  expect((await getJourneyContact(env.db.sql, env.db.workspaceId, contactId))?.tags).toEqual([]);

  const second = await createWorker(env.temporal, realActivities(env.db.sql, env.runtime));
  const outcome = await second.runUntil(
    env.temporal.client.workflow.getHandle(workflowId).result(),
  );
  expect(outcome).toMatchObject({ status: 'completed' });
  expect(await getJourneyContact(env.db.sql, env.db.workspaceId, contactId)).toMatchObject({
    tags: ['upgraded'],
    score: 1,
  });
  expect((await countStepsByNode(env.db.sql, journeyId)).wait).toEqual({
    entered: 1,
    waiting: 0,
    completed: 1,
    failed: 0,
  });
});

it.each([
  ['after_exit', 'started', { kind: 'after_exit' }],
  ['cooldown', 'refused', { kind: 'cooldown', duration: '1h' }],
] as const)(
  'entry policy %s: no second run while one goes on; after it ended → %s',
  async (_name, afterEnd, entryPolicy) => {
    const b = createDocumentBuilder(`Policy ${entryPolicy.kind}`, { entryPolicy });
    b.node('trigger', 'trigger.manual', {}, 0, 0);
    b.node('wait', 'wait.delay', { duration: '1s' }, 0, 1);
    b.node('exit', 'logic.exit', {}, 0, 2);
    b.edge('trigger', 'wait');
    b.edge('wait', 'exit');
    const { journeyId } = await publish(env, b.build());
    const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
    const contactId = await createContact(env, { email: `policy-${entryPolicy.kind}@example.com` });
    const worker = await createWorker(env.temporal, realActivities(env.db.sql, env.runtime));
    await worker.runUntil(async () => {
      const first = await env.runtime.enrolContact({ journey, contactId });
      expect(first.outcome).toBe('started');
      expect((await env.runtime.enrolContact({ journey, contactId })).outcome).toBe('duplicate');
      await env.temporal.client.workflow.getHandle(first.workflowId).result();
      const again = await env.runtime.enrolContact({ journey, contactId });
      expect(again.outcome).toBe(afterEnd);
      if (again.outcome === 'started') {
        await env.temporal.client.workflow.getHandle(again.workflowId).result();
      }
    });
    const runs = await env.db.sql`select 1 from journey_runs where journey_id = ${journeyId}`;
    expect(runs.length).toBe(afterEnd === 'started' ? 2 : 1);
  },
);
