import { beforeAll, expect, it } from 'vitest';
import { changeScore, changeStaticMembership, getJourney, getJourneyContact } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { runWorkflowId } from '@relance/workflows/contracts';
import { createContact, publish, recordEvent, useJourneyEnv } from './harness';

const env = useJourneyEnv({ worker: true });
const segments: Record<string, string> = {};

beforeAll(async () => {
  for (const name of ['Inactive', 'Reactivation', 'Active', 'Dormant']) {
    const [row] = await env.db.sql<{ id: string }[]>`
      insert into segments (workspace_id, name, kind) values (${env.db.workspaceId}, ${`J ${name}`}, 'static')
      returning id`;
    segments[name.toLowerCase()] = row!.id;
  }
});

/** The reactivation flow with a tag standing in for the win-back email. */
function reactivation(clickWait: string) {
  const b = createDocumentBuilder('Reactivation', { entryPolicy: { kind: 'after_exit' } });
  b.node('trigger', 'trigger.segment_entered', { segmentId: segments.inactive! }, 0, 0);
  b.node(
    'to_reactivation',
    'action.segment',
    { add: [segments.reactivation!], remove: [segments.active!] },
    0,
    1,
  );
  b.node('win_back', 'action.tag', { add: ['win-back'] }, 0, 2);
  b.node('wait_click', 'wait.event', { event: 'email.clicked', timeout: clickWait }, 0, 3);
  b.node(
    'back',
    'action.segment',
    { add: [segments.active!], remove: [segments.reactivation!] },
    0,
    4,
  );
  b.node(
    'dormant',
    'action.segment',
    { add: [segments.dormant!], remove: [segments.reactivation!] },
    1,
    4,
  );
  b.node('exit_back', 'logic.exit', {}, 0, 5);
  b.node('exit_dormant', 'logic.exit', {}, 1, 5);
  b.edge('trigger', 'to_reactivation');
  b.edge('to_reactivation', 'win_back');
  b.edge('win_back', 'wait_click');
  b.edge('wait_click', 'back', 'event');
  b.edge('wait_click', 'dormant', 'timeout');
  b.edge('back', 'exit_back');
  b.edge('dormant', 'exit_dormant');
  return b.build();
}

async function membership(contactId: string): Promise<string[]> {
  const rows = await env.db.sql<{ name: string }[]>`
    select s.name from segment_members m join segments s on s.id = m.segment_id
    where m.contact_id = ${contactId} and s.name like 'J %' order by s.name`;
  return rows.map((r) => r.name);
}

/** Puts a contact into a static segment through the segment engine and dispatches, as the API does. */
async function enter(contactId: string, segmentId: string) {
  const { changeIds } = await changeStaticMembership(env.db.sql, {
    workspaceId: env.db.workspaceId,
    contactId,
    add: [segmentId],
    remove: [],
    cause: 'test',
    now: new Date(),
  });
  await env.runtime.segmentsChanged(env.db.workspaceId, changeIds);
}

it('entering a segment starts the run; a click (event → signal) moves the contact back to Active', async () => {
  const { journeyId } = await publish(env, reactivation('20s'));
  const contactId = await createContact(env, { email: 'seg-click@example.com' });
  await enter(contactId, segments.active!);
  await enter(contactId, segments.inactive!);
  const handle = env.temporal.client.workflow.getHandle(runWorkflowId(journeyId, contactId));
  // Wait for the run to reach its wait, then click.
  for (;;) {
    const view = await handle
      .query<{ state: string; nodeId: string }>('journeyRun.view')
      .catch(() => null);
    if (view?.state === 'waiting' && view.nodeId === 'wait_click') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await membership(contactId)).toEqual(['J Inactive', 'J Reactivation']);
  const click = await recordEvent(env, contactId, 'email.clicked', { url: 'https://example.com' });
  await env.runtime.eventsRecorded(env.db.workspaceId, [click]);
  expect(await handle.result()).toMatchObject({ status: 'completed' });
  expect(await membership(contactId)).toEqual(['J Active', 'J Inactive']);
  // Every move the flow made is in the segment change log, with the flow as its cause.
  const causes = await env.db.sql<{ cause: string }[]>`
    select distinct cause from segment_changes where contact_id = ${contactId} and cause like 'journey:%'`;
  expect(causes.map((c) => c.cause).sort()).toEqual([
    `journey:${journeyId}:back`,
    `journey:${journeyId}:to_reactivation`,
  ]);
  const wait = await env.db.sql<{ port: string; why: { eventId: string } }[]>`
    select port, why from run_steps where journey_id = ${journeyId} and node_id = 'wait_click'`;
  expect(wait).toEqual([{ port: 'event', why: { eventId: click } }]);
});

it('without a click the contact moves to Dormant when the wait times out', async () => {
  const { journeyId } = await publish(env, reactivation('2s'));
  const contactId = await createContact(env, { email: 'seg-dormant@example.com' });
  await enter(contactId, segments.inactive!);
  const handle = env.temporal.client.workflow.getHandle(runWorkflowId(journeyId, contactId));
  expect(await handle.result()).toMatchObject({ status: 'completed' });
  expect(await membership(contactId)).toEqual(['J Dormant', 'J Inactive']);
  expect((await getJourneyContact(env.db.sql, env.db.workspaceId, contactId))?.tags).toContain(
    'win-back',
  );
});

it('a wait.condition is re-checked when the contact changes, not polled', async () => {
  const b = createDocumentBuilder('Hot lead');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node(
    'hot',
    'wait.condition',
    { condition: { kind: 'score', op: 'gte', value: 50 }, timeout: '30s' },
    0,
    1,
  );
  b.node('tag_hot', 'action.tag', { add: ['hot'] }, 0, 2);
  b.node('tag_cold', 'action.tag', { add: ['cold'] }, 1, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'hot');
  b.edge('hot', 'tag_hot', 'met');
  b.edge('hot', 'tag_cold', 'timeout');
  b.edge('tag_hot', 'exit');
  b.edge('tag_cold', 'exit');
  const { journeyId } = await publish(env, b.build());
  const contactId = await createContact(env, { email: 'hot@example.com' });
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId });
  const handle = env.temporal.client.workflow.getHandle(workflowId);
  for (;;) {
    const view = await handle.query<{ state: string }>('journeyRun.view').catch(() => null);
    if (view?.state === 'waiting') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const started = Date.now();
  await changeScore(env.db.sql, {
    workspaceId: env.db.workspaceId,
    contactId,
    delta: 60,
    cause: 'test',
    now: new Date(),
  });
  await env.runtime.contactsChanged(env.db.workspaceId, [contactId]);
  expect(await handle.result()).toMatchObject({ status: 'completed' });
  // Met within a few seconds of the change, far from the 30 s timeout.
  expect(Date.now() - started).toBeLessThan(10_000);
  // (The built-in score tags may join it: score tags are the segment engine's.)
  const tags = (await getJourneyContact(env.db.sql, env.db.workspaceId, contactId))?.tags;
  expect(tags).toContain('hot');
  expect(tags).not.toContain('cold');
  const [step] = await env.db.sql<{ port: string; why: { matched: boolean; values: unknown } }[]>`
    select port, why from run_steps where journey_id = ${journeyId} and node_id = 'hot'`;
  expect(step).toMatchObject({ port: 'met', why: { matched: true } });
});
