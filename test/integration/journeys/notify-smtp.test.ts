// action.notify through the real SMTP provider and a real SMTP server: a refused teammate
// address fails the step once and the run goes on; a connection lost after the whole message
// reached the server counts as sent and is never sent again; a temporary refusal is retried.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createActivities } from '@relance/activities';
import { loadConfig } from '@relance/config';
import { getJourney, getJourneyContact } from '@relance/db';
import { createSmtpProvider, type MailProvider } from '@relance/email';
import { startTestSmtpServer, type TestSmtpServer } from '@relance/email/test-smtp-server';
import { createDocumentBuilder } from '@relance/flow';
import {
  closeJourneyEnv,
  createContact,
  createJourneyEnv,
  createWorker,
  facts,
  publish,
  tracking,
  type JourneyEnv,
} from './harness';

let env: JourneyEnv;
let server: TestSmtpServer;
let provider: MailProvider;
let stopWorker: () => Promise<void>;
/** RCPT TO commands the server saw, by address: one per attempt to send. */
const rcpts = new Map<string, number>();
/** How the server answers a recipient; answers it normally when absent. */
const behaviour = new Map<string, 'refuse' | 'drop-once' | 'busy-once'>();

beforeAll(async () => {
  env = await createJourneyEnv();
  server = await startTestSmtpServer(
    {
      onRcptTo(address, _session, callback) {
        const to = address.address;
        rcpts.set(to, (rcpts.get(to) ?? 0) + 1);
        const how = behaviour.get(to);
        if (how === 'refuse') {
          return callback(
            Object.assign(new Error(`5.1.1 <${to}>: User unknown`), { responseCode: 550 }),
          );
        }
        if (how === 'busy-once') {
          behaviour.delete(to);
          return callback(
            Object.assign(new Error('4.3.0 Mailbox busy, try later'), { responseCode: 450 }),
          );
        }
        callback();
      },
    },
    {
      beforeAnswer: (mail, drop) => {
        const to = mail.to[0]!;
        if (behaviour.get(to) === 'drop-once') {
          behaviour.delete(to);
          drop();
        }
        return Promise.resolve();
      },
    },
  );
  provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
  const activities = createActivities({
    sql: env.db.sql,
    config: loadConfig(),
    journeys: {
      runtime: env.runtime,
      facts,
      mailer: { provider, from: 'relance@relance.test' },
    },
    email: { tracking },
  });
  const worker = await createWorker(env.temporal, activities);
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
  };
});

afterAll(async () => {
  await stopWorker?.();
  await provider?.close();
  await server?.close();
  await closeJourneyEnv(env);
});

/** Trigger → notify `to` → tag "after-notify" → exit; waits (bounded) for the run to end. */
async function run(to: string, email: string) {
  const b = createDocumentBuilder(`Notify ${email}`);
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('tell', 'action.notify', { to, subject: 'Lead: {{ contact.email }}', body: 'Hi' }, 0, 1);
  b.node('tag', 'action.tag', { add: ['after-notify'] }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'tell');
  b.edge('tell', 'tag');
  b.edge('tag', 'exit');
  const { journeyId } = await publish(env, b.build());
  const contactId = await createContact(env, { email });
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId });
  const outcome = await Promise.race([
    env.temporal.client.workflow.getHandle(workflowId).result(),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('The run did not end within 20 s')), 20_000),
    ),
  ]);
  const steps = await env.db.sql<
    { nodeId: string; outcome: string; why: Record<string, unknown> }[]
  >`
    select node_id, outcome, why from run_steps where journey_id = ${journeyId} order by seq`;
  const contact = await getJourneyContact(env.db.sql, env.db.workspaceId, contactId);
  return { outcome, steps, tags: contact?.tags ?? [] };
}

it('a teammate address the server refuses (550 5.1.1) is tried once, fails the step with the reason, and the run goes on', async () => {
  behaviour.set('ghost@acme.test', 'refuse');
  const { outcome, steps, tags } = await run('ghost@acme.test', 'refused@example.com');
  expect(outcome).toMatchObject({ status: 'completed' });
  expect(rcpts.get('ghost@acme.test')).toBe(1);
  expect(server.received.filter((m) => m.to.includes('ghost@acme.test'))).toHaveLength(0);
  const tell = steps.find((s) => s.nodeId === 'tell');
  expect(tell).toMatchObject({ outcome: 'failed' });
  expect(String(tell!.why.error)).toMatch(/refused the notification to ghost@acme\.test/);
  expect(String(tell!.why.error)).toMatch(/User unknown/);
  expect(tags).toContain('after-notify');
});

it('a connection lost after the whole notification reached the server counts as sent: one delivery, never a second', async () => {
  behaviour.set('dropped@acme.test', 'drop-once');
  const { outcome, steps, tags } = await run('dropped@acme.test', 'dropped@example.com');
  expect(outcome).toMatchObject({ status: 'completed' });
  // Give a wrongly scheduled retry (1 s backoff) time to show up before counting.
  await new Promise((r) => setTimeout(r, 2_500));
  expect(server.received.filter((m) => m.to.includes('dropped@acme.test'))).toHaveLength(1);
  expect(rcpts.get('dropped@acme.test')).toBe(1);
  expect(steps.find((s) => s.nodeId === 'tell')).toMatchObject({
    outcome: 'done',
    why: { to: 'dropped@acme.test', unconfirmed: true },
  });
  expect(tags).toContain('after-notify');
});

it('a temporary refusal (450) is retried and the notification goes out once', async () => {
  behaviour.set('busy@acme.test', 'busy-once');
  const { outcome, steps } = await run('busy@acme.test', 'busy@example.com');
  expect(outcome).toMatchObject({ status: 'completed' });
  expect(rcpts.get('busy@acme.test')).toBe(2);
  expect(server.received.filter((m) => m.to.includes('busy@acme.test'))).toHaveLength(1);
  expect(steps.find((s) => s.nodeId === 'tell')).toMatchObject({ outcome: 'done' });
});
