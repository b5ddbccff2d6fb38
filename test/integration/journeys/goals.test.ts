import { expect, it } from 'vitest';
import { addTags, getJourney, getRun } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createContact, publish, useJourneyEnv } from './harness';

const env = useJourneyEnv({ worker: true });

/** manual → (wait) → tag "trial" → exit, with the goal "becomes a customer". */
function trialFlow(options: { wait?: string; goalWindow: string }) {
  const b = createDocumentBuilder('Trial', { goalWindow: options.goalWindow });
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('tag', 'action.tag', { add: ['trial'] }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.node(
    'customer',
    'logic.goal',
    { condition: { kind: 'tag', op: 'has', tag: 'customer' } },
    1,
    0,
  );
  if (options.wait) {
    b.node('wait', 'wait.delay', { duration: options.wait }, 0, 1);
    b.edge('trigger', 'wait');
    b.edge('wait', 'tag');
  } else {
    b.edge('trigger', 'tag');
  }
  b.edge('tag', 'exit');
  return b.build();
}

async function runTo(document: ReturnType<typeof trialFlow>, email: string) {
  const { journeyId } = await publish(env, document);
  const contactId = await createContact(env, { email });
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId });
  return { journeyId, contactId, handle: env.temporal.client.workflow.getHandle(workflowId) };
}

async function becomeCustomer(contactId: string) {
  const { changeIds } = await addTags(env.db.sql, {
    workspaceId: env.db.workspaceId,
    contactId,
    tags: ['customer'],
    cause: 'test',
    now: new Date(),
  });
  await env.runtime.segmentsChanged(env.db.workspaceId, changeIds);
  await env.runtime.contactsChanged(env.db.workspaceId, [contactId]);
}

it('a goal met while the run waits converts it at once', async () => {
  const { handle, journeyId } = await runTo(
    trialFlow({ wait: '30s', goalWindow: '1d' }),
    'goal-now@example.com',
  );
  for (;;) {
    const view = await handle.query<{ state: string }>('journeyRun.view').catch(() => null);
    if (view?.state === 'waiting') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const { contactId } = (
    await env.db.sql<{ contactId: string }[]>`
    select contact_id from journey_runs where journey_id = ${journeyId}`
  )[0]!;
  await becomeCustomer(contactId);
  const outcome = await handle.result();
  expect(outcome).toMatchObject({ status: 'converted' });
  const run = await getRun(env.db.sql, (outcome as { runId: string }).runId);
  expect(run).toMatchObject({ status: 'converted', goalNode: 'customer' });
  const steps = await env.db.sql<{ nodeId: string; outcome: string }[]>`
    select node_id, outcome from run_steps where run_id = ${run!.id} order by seq`;
  expect(steps).toEqual([
    { nodeId: 'wait', outcome: 'skipped' },
    { nodeId: 'customer', outcome: 'converted' },
  ]);
});

it('a goal met within the attribution window after the run ended still counts', async () => {
  const { handle, contactId } = await runTo(
    trialFlow({ goalWindow: '1h' }),
    'goal-late@example.com',
  );
  const outcome = (await handle.result()) as { status: string; runId: string };
  expect(outcome.status).toBe('completed');
  await becomeCustomer(contactId);
  const run = await getRun(env.db.sql, outcome.runId);
  expect(run).toMatchObject({ status: 'completed', goalNode: 'customer' });
  expect(run!.convertedAt).not.toBeNull();
  const [step] = await env.db.sql<{ nodeId: string; outcome: string; why: unknown }[]>`
    select node_id, outcome, why from run_steps where run_id = ${run!.id} order by seq desc limit 1`;
  expect(step).toMatchObject({ nodeId: 'customer', outcome: 'converted', why: { afterRun: true } });
});

it('a goal met after the window does not count', async () => {
  const { handle, contactId } = await runTo(
    trialFlow({ goalWindow: '1s' }),
    'goal-too-late@example.com',
  );
  const outcome = (await handle.result()) as { runId: string };
  await new Promise((r) => setTimeout(r, 1_500));
  await becomeCustomer(contactId);
  expect(await getRun(env.db.sql, outcome.runId)).toMatchObject({
    convertedAt: null,
    goalNode: null,
  });
});
