import { expect, it } from 'vitest';
import { countStepsByNode, getJourney } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { toLocal } from '@relance/flow/runtime';
import { createContact, eventually, publish, recordEvent, useJourneyEnv } from './harness';

// With the real activities over Postgres: an event wait counts only events received since the
// run stopped waiting before it, and a time of day is read in the zone the contact has when the
// wait is reached.

const env = useJourneyEnv({ worker: true });

async function enrol(journeyId: string, email: string) {
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  const contactId = await createContact(env, { email });
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId });
  await eventually(async () => (await countStepsByNode(env.db.sql, journeyId)).delay);
  return { contactId, handle: env.temporal.client.workflow.getHandle(workflowId) };
}

const stepAt = async (journeyId: string, contactId: string, nodeId: string) => {
  const [step] = await env.db.sql<{ port: string | null; why: Record<string, unknown> }[]>`
    select s.port, s.why from run_steps s join journey_runs r on r.id = s.run_id
    where s.journey_id = ${journeyId} and r.contact_id = ${contactId} and s.node_id = ${nodeId}`;
  return step;
};

it('a purchase made during the delay before "wait for a purchase" does not answer it; one after does', async () => {
  const b = createDocumentBuilder('Delay then purchase');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('delay', 'wait.delay', { duration: '2s' }, 0, 1);
  b.node('wait', 'wait.event', { event: 'order.completed', timeout: '5s' }, 0, 2);
  b.node('thanks', 'action.tag', { add: ['thanked'] }, 0, 3);
  b.node('nudge', 'action.tag', { add: ['nudged'] }, 1, 3);
  b.node('exit', 'logic.exit', {}, 0, 4);
  b.edge('trigger', 'delay');
  b.edge('delay', 'wait');
  b.edge('wait', 'thanks', 'event');
  b.edge('wait', 'nudge', 'timeout');
  b.edge('thanks', 'exit');
  b.edge('nudge', 'exit');
  const { journeyId } = await publish(env, b.build());
  const { contactId, handle } = await enrol(journeyId, 'bought-early@example.com');
  await recordEvent(env, contactId, 'order.completed', { total: 10 });
  await eventually(() => stepAt(journeyId, contactId, 'wait'));
  // The wait found nothing on arrival; this purchase (no signal: the last check finds it) is.
  const later = await recordEvent(env, contactId, 'order.completed', { total: 20 });
  await handle.result();
  expect(await stepAt(journeyId, contactId, 'wait')).toMatchObject({
    port: 'event',
    why: { eventId: later },
  });
});

it('a wait until 09:00 uses the zone the contact has when it reaches the wait', async () => {
  const b = createDocumentBuilder('Delay then morning');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('delay', 'wait.delay', { duration: '2s' }, 0, 1);
  b.node('morning', 'wait.until', { time: '09:00' }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'delay');
  b.edge('delay', 'morning');
  b.edge('morning', 'exit');
  const { journeyId } = await publish(env, b.build());
  const contactId = await createContact(env, { email: 'moved@example.com' });
  await env.db.sql`update contacts set timezone = 'Asia/Tokyo' where id = ${contactId}`;
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId });
  await eventually(async () => (await countStepsByNode(env.db.sql, journeyId)).delay);
  await env.db.sql`update contacts set timezone = 'America/New_York' where id = ${contactId}`;
  const why = await eventually(async () => (await stepAt(journeyId, contactId, 'morning'))?.why);
  const local = toLocal(Date.parse(String(why?.until)), 'America/New_York');
  expect([local.hour, local.minute]).toEqual([9, 0]);
  await env.temporal.client.workflow.getHandle(workflowId).terminate('test over');
});
