import { afterAll, beforeAll, expect, it } from 'vitest';
import { countStepsByNode, getJourney } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createJourneyRuntime } from '@relance/journeys';
import {
  createContact,
  eventually,
  publish,
  recordEvent,
  unreachableTemporal,
  useJourneyEnv,
} from './harness';

// A mail gateway's link scanner clicks every link of an email on delivery, and Apple Mail's
// privacy proxy opens every email: the tracking routes record those with `machine: true`. A
// trigger or wait set to count only a person's opens or clicks (`humanOnly`, what the
// ready-made journeys use) is neither started nor answered by them; a person's click does both.

const env = useJourneyEnv({ worker: true });

let dead: Awaited<ReturnType<typeof unreachableTemporal>>;
beforeAll(async () => {
  dead = await unreachableTemporal();
});
afterAll(async () => {
  await dead?.close();
});

const SCANNER = { machine: true, agent: 'scanner', machineReason: 'scanner' };
const PERSON = { machine: false, agent: 'browser' };

async function click(contactId: string, properties: Record<string, unknown>) {
  const id = await recordEvent(env, contactId, 'email.clicked', properties);
  await env.runtime.eventsRecorded(env.db.workspaceId, [id]);
}

/** What the dispatcher tried to start or signal, through a Temporal it cannot reach (kept). */
const tried = async () => {
  const rows = await env.db.sql<{ kind: string }[]>`
    select kind from journey_dispatch_pending order by id`;
  await env.db.sql`delete from journey_dispatch_pending`;
  return rows.map((r) => r.kind);
};

it('a scanner’s click starts no "when a person clicks" journey; the person’s click does', async () => {
  const b = createDocumentBuilder('Clicked');
  b.node('trigger', 'trigger.event', { event: 'email.clicked', humanOnly: true }, 0, 0);
  b.node('exit', 'logic.exit', {}, 0, 1);
  b.edge('trigger', 'exit');
  await publish(env, b.build());
  const ada = await createContact(env, { email: 'ada-scanned@example.com' });
  const dispatcher = createJourneyRuntime({
    sql: env.db.sql,
    client: dead.client,
    taskQueue: env.temporal.taskQueue,
    log: () => {},
  });
  const click = async (properties: Record<string, unknown>) =>
    dispatcher.eventsRecorded(env.db.workspaceId, [
      await recordEvent(env, ada, 'email.clicked', properties),
    ]);

  await click(SCANNER);
  expect(await tried()).toEqual([]);
  await click(PERSON);
  expect(await tried()).toEqual(['start']);
  // An event without the flag (older, or sent through the API) is a person's.
  await click({});
  expect(await tried()).toEqual(['start']);
});

it('a wait for a person’s click is not answered by a scanner, and is by the person', async () => {
  const b = createDocumentBuilder('Win back');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait', 'wait.event', { event: 'email.clicked', humanOnly: true, timeout: '4s' }, 0, 1);
  b.node('back', 'logic.exit', {}, 0, 2);
  b.node('dormant', 'logic.exit', {}, 1, 2);
  b.edge('trigger', 'wait');
  b.edge('wait', 'back', 'event');
  b.edge('wait', 'dormant', 'timeout');
  const { journeyId } = await publish(env, b.build());
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;

  const enrol = async (email: string) => {
    const contactId = await createContact(env, { email });
    const { workflowId } = await env.runtime.enrolContact({ journey, contactId });
    return { contactId, handle: env.temporal.client.workflow.getHandle(workflowId) };
  };
  const scanned = await enrol('scanned@example.com');
  const person = await enrol('person@example.com');
  await eventually(async () => (await countStepsByNode(env.db.sql, journeyId)).wait?.entered === 2);

  await click(scanned.contactId, SCANNER);
  await click(person.contactId, PERSON);
  await Promise.all([scanned.handle.result(), person.handle.result()]);

  const portOf = async (contactId: string) => {
    const [step] = await env.db.sql<{ port: string | null }[]>`
      select s.port from run_steps s join journey_runs r on r.id = s.run_id
      where s.journey_id = ${journeyId} and r.contact_id = ${contactId} and s.node_id = 'wait'`;
    return step?.port;
  };
  expect(await portOf(scanned.contactId)).toBe('timeout');
  expect(await portOf(person.contactId)).toBe('event');
});
