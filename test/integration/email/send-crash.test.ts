// A worker process killed with SIGKILL while it hands a flow step's email to the mail server:
// the SMTP server started here has received the whole message but not yet answered, the
// worker dies, a new worker takes the step over once the attempt times out, and the contact
// still gets exactly one email.

import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createActivities } from '@relance/activities';
import { loadConfig } from '@relance/config';
import { getJourney } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import {
  createSmtpProvider,
  insertEmailTemplate,
  Template,
  upsertEmailTopic,
} from '@relance/email';
import {
  closeJourneyEnv,
  createContact,
  createJourneyEnv,
  createWorker,
  facts,
  publish,
  tracking,
  workflowBundle,
  type JourneyEnv,
} from '../journeys/harness';
import { startTestSmtpServer, type TestSmtpServer } from './support';

let env: JourneyEnv;
let server: TestSmtpServer;
let bundlePath: string;
// The first message's answer is held back until the test lets go, so the worker dies between
// handing it over and hearing that the server took it.
let arrived: () => void;
const firstArrival = new Promise<void>((resolve) => (arrived = resolve));
let release: () => void;
const released = new Promise<void>((resolve) => (release = resolve));

beforeAll(async () => {
  env = await createJourneyEnv();
  server = await startTestSmtpServer(
    {},
    {
      beforeAnswer: () => {
        arrived();
        return released;
      },
    },
  );
  bundlePath = `${tmpdir()}/email-crash-bundle-${process.pid}.js`;
  await writeFile(bundlePath, (await workflowBundle()).code);
});
afterAll(async () => {
  await server?.close();
  await closeJourneyEnv(env);
});

/** A real worker process (production activities, SMTP to the test's server). */
function startWorkerProcess(smtpUrl: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('../../fixtures/crashing-journey-worker.ts', import.meta.url)),
      env.db.url,
      inject('services').temporalAddress,
      env.temporal.taskQueue,
      'none',
      bundlePath,
      smtpUrl,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  return { child, ready, exited };
}

it('a worker process SIGKILLed while the SMTP server holds its message: one email after the retry', async () => {
  const { sql, workspaceId } = env.db;
  await upsertEmailTopic(sql, { workspaceId, key: 'news', name: 'News', optIn: false });
  const template = await insertEmailTemplate(
    sql,
    workspaceId,
    Template.parse({
      name: 'Welcome',
      kind: 'marketing',
      topic: 'news',
      from: { name: 'Acme', address: 'news@acme.test' },
      subject: 'Welcome, {{ contact.first_name }}',
      body: { kind: 'html', source: '<p>Hi {{ contact.first_name }}</p>' },
    }),
  );
  const b = createDocumentBuilder('Crash while sending');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('send', 'action.send_email', { templateId: template.id }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'send');
  b.edge('send', 'exit');
  const { journeyId } = await publish(env, b.build());
  const journey = (await getJourney(sql, workspaceId, journeyId))!;
  const contactId = await createContact(env, {
    email: 'kim@example.com',
    properties: { first_name: 'Kim' },
  });

  const smtpUrl = `smtp://127.0.0.1:${server.port}`;
  const doomed = startWorkerProcess(smtpUrl);
  await doomed.ready;
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId });
  await firstArrival;
  doomed.child.kill('SIGKILL');
  expect(await doomed.exited).toBe('SIGKILL');
  release();

  // The message was claimed and handed over; nobody heard whether the server took it.
  const [claimed] = await sql<{ status: string }[]>`
    select status from email_messages where contact_id = ${contactId}`;
  expect(claimed).toEqual({ status: 'sending' });
  expect(server.received).toHaveLength(1);

  // A new worker takes the step over once the dead attempt's start-to-close timeout expires.
  const provider = createSmtpProvider({ smtpUrl });
  const worker = await createWorker(
    env.temporal,
    createActivities({
      sql,
      config: loadConfig(),
      journeys: { runtime: env.runtime, facts },
      email: { provider, tracking },
    }),
  );
  const outcome = await worker.runUntil(
    env.temporal.client.workflow.getHandle(workflowId).result(),
  );
  await provider.close();
  expect(outcome).toMatchObject({ status: 'completed' });

  expect(server.received.filter((mail) => mail.to.includes('kim@example.com'))).toHaveLength(1);
  const sent = await sql<{ properties: { nodeId: string } }[]>`
    select properties from events where contact_id = ${contactId} and name = 'email.sent'`;
  expect(sent).toEqual([{ properties: expect.objectContaining({ nodeId: 'send' }) }]);
}, 240_000);
