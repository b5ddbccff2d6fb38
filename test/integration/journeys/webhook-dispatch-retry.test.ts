import { afterAll, beforeAll, expect, it } from 'vitest';
import { getJourney } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import type { JourneyRuntime } from '@relance/journeys';
import { serveOnFreePort } from '../../support/held-statements';
import { createContact, createWorker, publish, realActivities, useJourneyEnv } from './harness';

// A webhook step that saves fields of its answer on the contact commits them, then tells the
// journeys. When telling them fails (Postgres failing after the commit), the step's activity
// fails and Temporal retries it; the retry finds the result recorded and must tell the journeys
// itself, or the runs waiting on those fields never hear of them.

const env = useJourneyEnv();
let hook: Awaited<ReturnType<typeof serveOnFreePort>>;
let stopWorker: () => Promise<void>;
/** Each contactsChanged the activities made, and whether it was made to fail. */
const told: { contactIds: string[]; failed: boolean }[] = [];

beforeAll(async () => {
  hook = await serveOnFreePort(() => Response.json({ company: { plan: 'enterprise' } }));
  // The real runtime, except that the first contactsChanged fails as Postgres would.
  const flaky: JourneyRuntime = {
    ...env.runtime,
    contactsChanged: async (workspaceId, contactIds) => {
      const failed = told.length === 0;
      told.push({ contactIds, failed });
      if (failed) throw new Error('connection terminated unexpectedly');
      await env.runtime.contactsChanged(workspaceId, contactIds);
    },
  };
  const worker = await createWorker(env.temporal, realActivities(env.db.sql, flaky));
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
  };
});
afterAll(async () => {
  await stopWorker?.();
  await hook?.close();
});

it('a webhook whose saved fields could not be dispatched tells the journeys on its retry', async () => {
  // Waits (up to a day) until the contact's plan is enterprise, then tags them.
  const waiting = createDocumentBuilder('Enterprise welcome');
  waiting.node('trigger', 'trigger.manual', {}, 0, 0);
  waiting.node(
    'wait',
    'wait.condition',
    {
      condition: { kind: 'property', property: 'plan', op: 'eq', value: 'enterprise' },
      timeout: '1d',
    },
    0,
    1,
  );
  waiting.node('tag', 'action.tag', { add: ['enterprise'] }, 0, 2);
  waiting.node('exit', 'logic.exit', {}, 0, 3);
  waiting.node('late', 'logic.exit', {}, 1, 2);
  waiting.edge('trigger', 'wait');
  waiting.edge('wait', 'tag', 'met');
  waiting.edge('wait', 'late', 'timeout');
  waiting.edge('tag', 'exit');
  // Asks the CRM for the plan and saves it on the contact.
  const enrich = createDocumentBuilder('Enrich');
  enrich.node('trigger', 'trigger.manual', {}, 0, 0);
  enrich.node(
    'hook',
    'action.webhook',
    {
      url: `${hook.url}/plan`,
      method: 'GET',
      save: [{ path: 'company.plan', property: 'plan' }],
    },
    0,
    1,
  );
  enrich.node('exit', 'logic.exit', {}, 0, 2);
  enrich.edge('trigger', 'hook');
  enrich.edge('hook', 'exit');
  const waitingJourney = await publish(env, waiting.build());
  const enrichJourney = await publish(env, enrich.build());
  const ada = await createContact(env, { email: 'ada@example.com' });

  const enrol = async (journeyId: string) => {
    const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
    const { workflowId } = await env.runtime.enrolContact({ journey, contactId: ada });
    return env.temporal.client.workflow.getHandle(workflowId);
  };
  const waitingRun = await enrol(waitingJourney.journeyId);
  for (;;) {
    const view = await waitingRun.query<{ state: string }>('journeyRun.view').catch(() => null);
    if (view?.state === 'waiting') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const started = Date.now();
  expect(await (await enrol(enrichJourney.journeyId)).result()).toMatchObject({
    status: 'completed',
  });

  // The first attempt saved the plan and failed telling; the retry replayed and told.
  expect(told).toEqual([
    { contactIds: [ada], failed: true },
    { contactIds: [ada], failed: false },
  ]);
  expect(await waitingRun.result()).toMatchObject({ status: 'completed' });
  expect(Date.now() - started).toBeLessThan(20_000);
  const [step] = await env.db.sql<{ port: string }[]>`
    select port from run_steps where journey_id = ${waitingJourney.journeyId} and node_id = 'wait'`;
  expect(step).toMatchObject({ port: 'met' });
}, 60_000);
