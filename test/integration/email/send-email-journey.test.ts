import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createActivities } from '@relance/activities';
import { loadConfig } from '@relance/config';
import { findContactRuns, getJourney } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import {
  closeJourneyEnv,
  createContact,
  createJourneyEnv,
  createWorker,
  facts,
  publish,
  type JourneyEnv,
} from '../journeys/harness';
import {
  eventsOf,
  headersOf,
  NEWSLETTER,
  saveTemplate,
  saveTopic,
  smtpProviderFor,
  startTestSmtpServer,
  tracking,
  type TestSmtpServer,
} from './support';

type SendEmail = ReturnType<typeof createActivities>['sendEmail'];

let env: JourneyEnv;
let server: TestSmtpServer;
let templateId: string;

beforeAll(async () => {
  env = await createJourneyEnv();
  await saveTopic(env.db.sql, env.db.workspaceId, 'newsletter');
  templateId = (await saveTemplate(env.db.sql, env.db.workspaceId, NEWSLETTER)).id;
});
afterAll(async () => {
  await closeJourneyEnv(env);
});
afterEach(async () => {
  await server?.close();
});

/** manual → send the newsletter → exit */
function sendFlow(name: string) {
  const b = createDocumentBuilder(name);
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('send', 'action.send_email', { templateId, topic: 'newsletter' }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'send');
  b.edge('send', 'exit');
  return b.build();
}

/** The worker's real activities, sending through real SMTP to the test's server. */
function activitiesFor(smtp: TestSmtpServer) {
  const provider = smtpProviderFor(smtp);
  const activities = createActivities({
    sql: env.db.sql,
    config: loadConfig(),
    journeys: { runtime: env.runtime, facts },
    email: { provider, tracking, dispatcher: env.runtime, log: () => {} },
  });
  return { activities, provider };
}

async function runFlow(name: string, email: string, wrap: (send: SendEmail) => SendEmail) {
  const contactId = await createContact(env, { email, properties: { first_name: 'Lin' } });
  const { journeyId } = await publish(env, sendFlow(name));
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  const { activities, provider } = activitiesFor(server);
  activities.sendEmail = wrap(activities.sendEmail);
  const worker = await createWorker(env.temporal, activities);
  const outcome = await worker.runUntil(async () => {
    const { workflowId } = await env.runtime.enrolContact({ journey, contactId });
    return env.temporal.client.workflow.getHandle(workflowId).result();
  });
  await provider.close();
  const [run] = await findContactRuns(env.db.sql, {
    workspaceId: env.db.workspaceId,
    contactId,
    limit: 1,
  });
  const steps = await env.db.sql<
    { nodeId: string; outcome: string; why: Record<string, unknown> }[]
  >`
    select node_id, outcome, why from run_steps where run_id = ${run!.id} and node_id = 'send'`;
  return { outcome, contactId, step: steps[0]! };
}

it('the activity dies after the email went out: Temporal retries it and the contact still gets exactly one', async () => {
  server = await startTestSmtpServer();
  let attempts = 0;
  const { outcome, contactId, step } = await runFlow(
    'Lost completion',
    'lin@example.com',
    (send) => async (input) => {
      attempts++;
      const result = await send(input);
      // The send and its record are done; the worker never reports back (as if it crashed).
      if (attempts === 1) throw new Error('worker lost before completing the activity');
      return result;
    },
  );
  expect(outcome).toMatchObject({ status: 'completed' });
  expect(attempts).toBe(2);
  expect(server.received).toHaveLength(1);
  expect(headersOf(server.received[0]!.raw).get('subject')).toMatch(/^Hi Lin, about your/);
  expect(step).toMatchObject({ outcome: 'done' });
  expect(step.why).toMatchObject({ outcome: 'sent' });
  expect(await eventsOf(env.db.sql, contactId, 'email.sent')).toHaveLength(1);
}, 60_000);

it('the mail server refuses for now: the send is retried with backoff and delivered once', async () => {
  let refusals = 0;
  server = await startTestSmtpServer({
    onRcptTo(_address, _session, callback) {
      if (refusals++ === 0) {
        callback(Object.assign(new Error('4.3.2 Try again later'), { responseCode: 451 }));
      } else callback();
    },
  });
  let attempts = 0;
  const { outcome, step } = await runFlow(
    'Temporary refusal',
    'kim@example.com',
    (send) => (input) => {
      attempts++;
      return send(input);
    },
  );
  expect(outcome).toMatchObject({ status: 'completed' });
  expect(attempts).toBe(2);
  expect(server.received).toHaveLength(1);
  expect(step).toMatchObject({ outcome: 'done' });
}, 60_000);
