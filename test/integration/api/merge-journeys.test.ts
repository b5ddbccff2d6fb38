import { WorkflowNotFoundError } from '@temporalio/client';
import { expect, it } from 'vitest';
import { createSegment, getJourney, mergeContacts } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { runWorkflowId } from '@relance/workflows/contracts';
import { createContact, publish, useJourneyEnv } from '../journeys/harness';

// A merge ends every segment membership of the merged contact and logs them as exits. Those
// exits are not the person leaving a segment: they start no journey, for the merged contact or
// for the survivor, but they still wake the runs the merged contact had (now the survivor's).

const env = useJourneyEnv({ worker: true });

async function dynamicSegment(name: string, rule: object) {
  const { segment } = await createSegment(env.db.sql, {
    workspaceId: env.db.workspaceId,
    name,
    kind: 'dynamic',
    rule: rule as never,
    now: new Date(),
  });
  return segment.id;
}

const merge = (contactId: string, otherId: string) =>
  mergeContacts(env.db.sql, {
    workspaceId: env.db.workspaceId,
    contactId,
    otherId,
    now: new Date(),
  });

async function exitsOf(contactId: string, changeIds: string[]) {
  return env.db.sql<{ segmentId: string }[]>`
    select segment_id::text as segment_id from segment_changes
    where contact_id = ${contactId} and change = 'exited' and id = any(${changeIds}::bigint[])`;
}

async function started(journeyId: string, contactId: string): Promise<boolean> {
  const handle = env.temporal.client.workflow.getHandle(runWorkflowId(journeyId, contactId));
  return handle.describe().then(
    () => true,
    (error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    },
  );
}

it('the merged contact’s exit from a segment the survivor is also in starts no exit-triggered journey', async () => {
  const survivor = await createContact(env, { email: 'pro-s@x.test', properties: { plan: 'pro' } });
  const other = await createContact(env, { email: 'pro-o@x.test', properties: { plan: 'pro' } });
  const pro = await dynamicSegment('Pro plan', {
    kind: 'property',
    property: 'plan',
    op: 'eq',
    value: 'pro',
  });
  const b = createDocumentBuilder('Left the pro plan');
  b.node('trigger', 'trigger.segment_exited', { segmentId: pro }, 0, 0);
  b.node('tag', 'action.tag', { add: ['left-pro'] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'tag');
  b.edge('tag', 'exit');
  const { journeyId } = await publish(env, b.build());

  const merged = await merge(survivor, other);
  // The merge logs the other's exit and hands it to journeys.
  expect(await exitsOf(other, merged.changeIds)).toEqual([{ segmentId: pro }]);
  await env.runtime.segmentsChanged(env.db.workspaceId, merged.changeIds);

  expect(await started(journeyId, other)).toBe(false);
  expect(await started(journeyId, survivor)).toBe(false);
});

it('a run of the merged contact waiting for it to leave a segment the survivor is not in is woken by the merge', async () => {
  const survivor = await createContact(env, { email: 'stays@x.test' });
  const other = await createContact(env, { email: 'leaver@x.test' });
  const leavers = await dynamicSegment('Leaver addresses', {
    kind: 'property',
    property: '$email',
    op: 'starts_with',
    value: 'leaver@',
  });
  const b = createDocumentBuilder('Until not a leaver');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node(
    'wait',
    'wait.condition',
    { condition: { kind: 'segment', op: 'not_in', segmentId: leavers }, timeout: '5m' },
    0,
    1,
  );
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.node('timeout', 'logic.exit', {}, 1, 2);
  b.edge('trigger', 'wait');
  b.edge('wait', 'exit', 'met');
  b.edge('wait', 'timeout', 'timeout');
  const { journeyId } = await publish(env, b.build());
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId: other });
  const handle = env.temporal.client.workflow.getHandle(workflowId);
  for (;;) {
    const view = await handle.query<{ state: string }>('journeyRun.view').catch(() => null);
    if (view?.state === 'waiting') break;
    await new Promise((r) => setTimeout(r, 100));
  }

  // After the merge the person is the survivor, who is not in the segment.
  const merged = await merge(survivor, other);
  expect(await exitsOf(other, merged.changeIds)).toEqual([{ segmentId: leavers }]);
  await env.runtime.segmentsChanged(env.db.workspaceId, merged.changeIds);

  const outcome = await Promise.race([
    handle.result(),
    new Promise((r) => setTimeout(() => r('still waiting'), 15_000)),
  ]);
  if (outcome === 'still waiting') await handle.terminate('test over');
  expect(outcome).toMatchObject({ status: 'completed' });
  const [step] = await env.db.sql<{ port: string }[]>`
    select port from run_steps where journey_id = ${journeyId} and node_id = 'wait'`;
  expect(step).toEqual({ port: 'met' });
});
