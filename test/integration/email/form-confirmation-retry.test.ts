// Double opt-in when the mail server is not taking mail: the submission is kept, the visitor is
// told to check their inbox, and the confirmation email is retried by the real worker (the
// formConfirmation workflow on the Temporal dev server) until the server takes it — or, when it
// refuses it for good, the failure shows on the form's submissions.

import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmailActivities } from '@relance/activities/send-email';
import { listTopicConsents } from '@relance/email';
import { formConfirmationWorkflowId } from '@relance/workflows/form-confirmation';
import type { TestDatabase } from '../../support/db';
import { createWorker } from '../journeys/harness';
import {
  CONFIRMATION,
  eventsOf,
  linksIn,
  partOf,
  PUBLIC_URL,
  received,
  saveTemplate,
  saveTopic,
  tracking,
  type TestSmtpServer,
  useEmailApp,
  type EmailApp,
} from './support';

let worker: Worker;
let running: Promise<void>;
let formId: string;

// RCPT attempts per address, and how the server answers them: addresses in `throttled` get 421
// (nodemailer's pool itself tries once more on a fresh connection), those in `refused` 550.
const attempts = new Map<string, number>();
const throttled = new Set<string>();
const refused = new Set<string>();

const email = useEmailApp({
  onRcptTo(address, _session, callback) {
    attempts.set(address.address, (attempts.get(address.address) ?? 0) + 1);
    const refuse = (code: number, text: string) =>
      callback(Object.assign(new Error(text), { responseCode: code }));
    if (throttled.has(address.address)) return refuse(421, '4.7.0 Try again later');
    if (refused.has(address.address)) return refuse(550, '5.1.1 No such user');
    callback();
  },
});
let db: TestDatabase;
let temporal: EmailApp['temporal'];
let server: TestSmtpServer;
let app: EmailApp['app'];
let call: EmailApp['call'];

beforeAll(async () => {
  ({ db, temporal, server, app, call } = email);
  const { provider, recording } = email;
  worker = await createWorker(temporal, {
    ...createEmailActivities({ sql: db.sql, provider, tracking, dispatcher: recording.dispatcher }),
  });
  running = worker.run();

  await saveTopic(db.sql, db.workspaceId, 'newsletter', true);
  const confirmationId = (await saveTemplate(db.sql, db.workspaceId, CONFIRMATION)).id;
  const created = await call('POST', '/api/forms', {
    name: 'Newsletter',
    definition: {
      fields: [{ type: 'email', name: 'email', label: 'Email' }],
      topics: ['newsletter'],
      doubleOptIn: true,
      confirmationTemplateId: confirmationId,
    },
  });
  expect(created.status).toBe(201);
  formId = created.body.id;
});
afterAll(async () => {
  worker?.shutdown();
  await running;
});

function submit(email: string) {
  return app.request(`/f/${formId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }).toString(),
  });
}

async function submissionOf(email: string) {
  const listed = await call('GET', `/api/forms/${formId}/submissions`);
  expect(listed.status).toBe(200);
  const submissions = listed.body.submissions as {
    email: string;
    contactId: string;
    confirmation: { messageId: string; status: string; reason: string | null } | null;
  }[];
  return submissions.find((s) => s.email === email)!;
}

/** Resolves once the server has answered more RCPTs for `email` than `seen`. */
async function attempted(email: string, seen: number) {
  while ((attempts.get(email) ?? 0) <= seen) await new Promise((r) => setTimeout(r, 20));
}

async function confirmationResult(email: string) {
  const { confirmation } = await submissionOf(email);
  const handle = temporal.client.workflow.getHandle(
    formConfirmationWorkflowId(confirmation!.messageId),
  );
  return handle.result() as Promise<string>;
}

/**
 * What a confirmation the mail server refused for good leaves: no email, the submission's
 * message failed with the server's reason, `form.confirmation_failed` on the contact, and the
 * consent still pending (nothing subscribes an address without its confirmation).
 */
async function expectRefusedForGood(email: string) {
  expect(server.received.filter((mail) => mail.to.includes(email))).toHaveLength(0);
  const { contactId, confirmation } = await submissionOf(email);
  expect(confirmation).toMatchObject({
    status: 'failed',
    reason: expect.stringContaining('No such user'),
  });
  const [failed] = await eventsOf(db.sql, contactId, 'form.confirmation_failed');
  expect(failed?.properties).toMatchObject({ formId, messageId: confirmation!.messageId });
  expect(await listTopicConsents(db.sql, contactId)).toEqual([
    expect.objectContaining({ topic: 'newsletter', status: 'pending' }),
  ]);
  return failed;
}

it('a confirmation refused with 421 is retried in the background: one email, and its link subscribes', async () => {
  const email = 'later-ada@example.com';
  throttled.add(email);
  const response = await submit(email);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('Check your inbox');
  const { contactId, confirmation } = await submissionOf(email);
  expect(confirmation).toMatchObject({
    status: 'pending',
    lastError: expect.stringMatching(/421/),
  });
  expect(await listTopicConsents(db.sql, contactId)).toEqual([
    expect.objectContaining({ topic: 'newsletter', status: 'pending' }),
  ]);

  // The worker's first retry is throttled too; the server takes the next one.
  const byApi = attempts.get(email)!;
  await attempted(email, byApi);
  throttled.delete(email);
  expect(await confirmationResult(email)).toBe('sent');
  const mails = (await received(server, 1)).filter((mail) => mail.to.includes(email));
  expect(mails).toHaveLength(1);
  expect((await submissionOf(email)).confirmation).toMatchObject({ status: 'sent' });
  expect(await eventsOf(db.sql, contactId, 'email.sent')).toHaveLength(1);

  const confirm = linksIn(partOf(mails[0]!.raw, 'text/html')).find((link) =>
    link.startsWith(`${PUBLIC_URL}/s/`),
  )!;
  const confirmed = await app.request(confirm.slice(PUBLIC_URL.length), { method: 'POST' });
  expect(confirmed.status).toBe(200);
  expect(await listTopicConsents(db.sql, contactId)).toEqual([
    expect.objectContaining({ topic: 'newsletter', status: 'subscribed' }),
  ]);
}, 60_000);

it('a confirmation refused for good while retrying is recorded on the submission and the contact', async () => {
  const email = 'gone-bob@example.com';
  throttled.add(email);
  const response = await submit(email);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('Check your inbox');
  // The mailbox disappears before the worker tries again.
  throttled.delete(email);
  refused.add(email);

  expect(await confirmationResult(email)).toBe('failed');
  const failed = await expectRefusedForGood(email);
  expect(failed?.properties).toMatchObject({ reason: expect.stringContaining('No such user') });
}, 60_000);

it('a confirmation refused for good at once asks the visitor to check the address, and records why', async () => {
  const email = 'typo@example.com';
  refused.add(email);
  const response = await submit(email);
  expect(response.status).toBe(422);
  const page = await response.text();
  expect(page).toContain('Please check your email address');
  expect(page).toContain(`/f/${formId}`);
  await expectRefusedForGood(email);

  // A script posting JSON gets the same answer as data.
  const json = await app.request(`/f/${formId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email: 'typo@example.com' }),
  });
  expect(json.status).toBe(422);
  expect(await json.json()).toMatchObject({ error: { code: 'confirmation_refused' } });
}, 60_000);
