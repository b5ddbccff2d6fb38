import { expect, it } from 'vitest';
import { countStepsByNode, getJourney } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createContact, eventually, publish, recordEvent, useJourneyEnv } from './harness';

// With the real activities over Postgres: a wait that times out asks Postgres a last time (an
// event recorded by its deadline whose signal never came still counts), and a goal the run
// reaches along the flow is counted once.

const env = useJourneyEnv({ worker: true });

function clickOrNudge() {
  const b = createDocumentBuilder('Click or nudge');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait', 'wait.event', { event: 'email.clicked', timeout: '3s' }, 0, 1);
  b.node('clicked', 'action.tag', { add: ['clicked'] }, 0, 2);
  b.node('nudged', 'action.tag', { add: ['nudged'] }, 1, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'wait');
  b.edge('wait', 'clicked', 'event');
  b.edge('wait', 'nudged', 'timeout');
  b.edge('clicked', 'exit');
  b.edge('nudged', 'exit');
  return b.build();
}

async function enrolAndWait(journeyId: string, email: string) {
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  const contactId = await createContact(env, { email });
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId });
  await eventually(async () => (await countStepsByNode(env.db.sql, journeyId)).wait);
  return { contactId, handle: env.temporal.client.workflow.getHandle(workflowId) };
}

const portAt = async (journeyId: string, contactId: string, nodeId: string) => {
  const [step] = await env.db.sql<{ port: string | null }[]>`
    select s.port from run_steps s join journey_runs r on r.id = s.run_id
    where s.journey_id = ${journeyId} and r.contact_id = ${contactId} and s.node_id = ${nodeId}`;
  return step?.port;
};

it('a click recorded before the deadline whose signal never came takes the event branch', async () => {
  const { journeyId } = await publish(env, clickOrNudge());
  const { contactId, handle } = await enrolAndWait(journeyId, 'late-signal@example.com');
  // Recorded, but the dispatcher never signals the run.
  await recordEvent(env, contactId, 'email.clicked');
  await handle.result();
  expect(await portAt(journeyId, contactId, 'wait')).toBe('event');
});

it('a click Postgres received after the deadline does not count for the wait', async () => {
  const { journeyId } = await publish(env, clickOrNudge());
  const { contactId, handle } = await enrolAndWait(journeyId, 'too-late@example.com');
  const id = await recordEvent(env, contactId, 'email.clicked');
  await env.db.sql`update events set received_at = now() + interval '1 hour' where id = ${id}`;
  await handle.result();
  expect(await portAt(journeyId, contactId, 'wait')).toBe('timeout');
});

it('a goal the run reaches along the flow is entered and completed once', async () => {
  const b = createDocumentBuilder('Goal on the path');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait', 'wait.delay', { duration: '2s' }, 0, 1);
  b.node(
    'customer',
    'logic.goal',
    { condition: { kind: 'tag', op: 'has', tag: 'customer' }, onMet: 'continue' },
    0,
    2,
  );
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'wait');
  b.edge('wait', 'customer');
  b.edge('customer', 'exit');
  const { journeyId } = await publish(env, b.build());
  const { contactId, handle } = await enrolAndWait(journeyId, 'goal-on-path@example.com');
  // Becomes a customer while waiting; nothing tells the run, which finds it at the goal node.
  await env.db.sql`update contacts set tags = array['customer'] where id = ${contactId}`;
  await handle.result();
  expect(await countStepsByNode(env.db.sql, journeyId)).toMatchObject({
    wait: { entered: 1, completed: 1 },
    customer: { entered: 1, completed: 1 },
  });
});
