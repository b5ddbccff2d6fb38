import { expect, it } from 'vitest';
import { evaluateCondition, insertRun } from '@relance/db';
import { createDocumentBuilder, type Condition } from '@relance/flow';
import { createContact, eventually, publish, recordEvent, useJourneyEnv } from './harness';

// "Only if they have not ordered again since they entered the journey": a post-purchase
// sequence's last email goes only to customers who did not place another order after the one
// that started it. The order that started the run, and any before it, are not "since".

const env = useJourneyEnv({ worker: true });

const NO_NEW_ORDER: Condition = {
  kind: 'event_count',
  event: 'order.completed',
  op: 'exactly',
  count: 0,
  sinceEntry: true,
};

async function order(contactId: string, orderId: string) {
  const id = await recordEvent(env, contactId, 'order.completed', { orderId });
  await env.runtime.eventsRecorded(env.db.workspaceId, [id]);
  return id;
}

it('a post-purchase sequence reads "no new order since they entered" from the orders after the one that started it', async () => {
  const b = createDocumentBuilder('Post-purchase');
  b.node('trigger', 'trigger.event', { event: 'order.completed', entryKey: 'orderId' }, 0, 0);
  b.node('wait', 'wait.delay', { duration: '3s' }, 0, 1);
  b.node('check', 'logic.condition', { condition: NO_NEW_ORDER }, 0, 2);
  b.node('review', 'logic.exit', {}, 0, 3);
  b.node('skip', 'logic.exit', {}, 1, 3);
  b.edge('trigger', 'wait');
  b.edge('wait', 'check');
  b.edge('check', 'review', 'yes');
  b.edge('check', 'skip', 'no');
  const { journeyId } = await publish(env, b.build());

  // Ada ordered last year too; Bob orders again while his first sequence waits.
  const ada = await createContact(env, { email: 'ada-orders@example.com' });
  const bob = await createContact(env, { email: 'bob-orders@example.com' });
  await recordEvent(env, ada, 'order.completed', { orderId: 'A-0' });
  await order(ada, 'A-1');
  await order(bob, 'B-1');
  const waiting = async () =>
    (
      await env.db.sql`
        select 1 from run_steps where journey_id = ${journeyId} and node_id = 'wait'`
    ).length === 2;
  await eventually(waiting);
  await order(bob, 'B-2');

  const portOf = async (orderId: string) => {
    const [step] = await env.db.sql<{ port: string | null }[]>`
      select s.port from run_steps s join journey_runs r on r.id = s.run_id
      where s.journey_id = ${journeyId} and r.entry_key = ${orderId} and s.node_id = 'check'
        and s.outcome = 'done'`;
    return step?.port;
  };
  expect(await eventually(() => portOf('A-1'))).toBe('yes');
  expect(await eventually(() => portOf('B-1'))).toBe('no');
  // Bob's second order started a sequence of its own, which sees no order after it.
  expect(await eventually(() => portOf('B-2'), 30_000)).toBe('yes');
});

it('reads the run’s entry from its trigger event, or from when it started, for runs begun before entries were kept', async () => {
  const [journey] = await env.db.sql<{ id: string; versionId: string }[]>`
    select j.id, v.id as version_id from journeys j join journey_versions v on v.journey_id = j.id
    limit 1`;
  const cal = await createContact(env, { email: 'cal-orders@example.com' });
  const trigger = await recordEvent(env, cal, 'order.completed', { orderId: 'C-1' });
  const run = (id: string, entry: Record<string, unknown>, watermark?: string) =>
    insertRun(env.db.sql, {
      id,
      workspaceId: env.db.workspaceId,
      journeyId: journey!.id,
      versionId: journey!.versionId,
      contactId: cal,
      workflowId: `run:${id}`,
      entryKey: id,
      entry,
      startedAt: new Date(),
      ...(watermark === undefined ? {} : { watermark }),
    });
  const ids = {
    kept: '00000000-0000-4000-8000-0000000000a1',
    trigger: '00000000-0000-4000-8000-0000000000a2',
    started: '00000000-0000-4000-8000-0000000000a3',
  };
  await run(ids.kept, { kind: 'manual' }, trigger);
  await run(ids.trigger, { kind: 'event', eventId: trigger });
  await run(ids.started, { kind: 'manual' });
  const noNewOrder = async (runId: string) =>
    (
      await evaluateCondition(env.db.sql, {
        workspaceId: env.db.workspaceId,
        contactId: cal,
        condition: NO_NEW_ORDER,
        now: new Date(),
        runId,
      })
    ).matched;
  for (const id of Object.values(ids)) expect(await noNewOrder(id)).toBe(true);
  await new Promise((r) => setTimeout(r, 20));
  await recordEvent(env, cal, 'order.completed', { orderId: 'C-2' });
  for (const id of Object.values(ids)) expect(await noNewOrder(id)).toBe(false);
});

it('is refused outside a journey run, naming the field', async () => {
  const cal = await createContact(env, { email: 'dee-orders@example.com' });
  await expect(
    evaluateCondition(env.db.sql, {
      workspaceId: env.db.workspaceId,
      contactId: cal,
      condition: NO_NEW_ORDER,
      now: new Date(),
    }),
  ).rejects.toMatchObject({ field: 'sinceEntry' });
});
