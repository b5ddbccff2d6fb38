import { ApplicationFailure } from '@temporalio/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailActivities, SEND_FAILURE } from '@relance/activities/send-email';
import { findMessageByKey, type MailProvider } from '@relance/email';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import {
  insertContact,
  partOf,
  saveTemplate,
  smtpProviderFor,
  startTestSmtpServer,
  tracking,
  type TestSmtpServer,
} from './support';

// A loop whose length a contact's property decides: a value past the loop limit (or not a
// number) fails that contact's email with the reason, and never sends it cut short.

let db: TestDatabase;
let server: TestSmtpServer;
let provider: MailProvider;
let templateId: string;
const recording = createRecordingDispatcher();

beforeAll(async () => {
  db = await createTestDatabase();
  templateId = (
    await saveTemplate(db.sql, db.workspaceId, {
      name: 'Loyalty stars',
      kind: 'transactional',
      topic: null,
      from: { name: 'Acme', address: 'news@acme.test' },
      subject: 'Your stars',
      body: {
        kind: 'html',
        source: '<p>Stars: {% for i in (1..contact.points) %}*{% endfor %}.</p>',
      },
    })
  ).id;
});
afterAll(async () => {
  await db.drop();
});
afterEach(async () => {
  await provider?.close();
  await server?.close();
});

async function start() {
  server = await startTestSmtpServer();
  provider = smtpProviderFor(server);
  return createEmailActivities({
    sql: db.sql,
    provider,
    tracking,
    dispatcher: recording.dispatcher,
    log: () => {},
  });
}

const sendTo = (contactId: string) => ({
  workspaceId: db.workspaceId,
  contactId,
  templateId,
  idempotencyKey: `run:loyalty:${contactId}:send`,
  journeyId: 'journey-1',
  runId: 'not-a-run',
  nodeId: 'send',
});

describe('a loop over a range read from a contact property', () => {
  it('sends the email when the value is within the limit', async () => {
    const activities = await start();
    const contactId = await insertContact(db.sql, db.workspaceId, {
      email: 'three@example.com',
      properties: { points: 3 },
    });
    expect(await activities.sendEmail(sendTo(contactId))).toMatchObject({ outcome: 'sent' });
    expect(partOf(server.received[0]!.raw, 'text/html')).toContain('Stars: ***.');
  });

  it.each([
    [
      'an amount in cents',
      2_500_000,
      "{% for i in (1..contact.points) %} would run 2,500,000 times (contact.points is 2500000), more than the 1,000 times a loop may run, so this contact's email is not sent rather than sent cut short",
    ],
    [
      'text',
      'lots',
      '{% for i in (1..contact.points) %} counts up to contact.points, which is "lots", not a number',
    ],
  ])('fails the email for %s, with the reason, and sends nothing', async (_label, points, why) => {
    const activities = await start();
    const contactId = await insertContact(db.sql, db.workspaceId, {
      email: `${typeof points}@example.com`,
      properties: { points },
    });
    const call = sendTo(contactId);
    const started = Date.now();
    const failure = await activities.sendEmail(call).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(2_000);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: SEND_FAILURE.failed, nonRetryable: true });
    expect((failure as ApplicationFailure).message).toContain(why);
    const message = await findMessageByKey(db.sql, db.workspaceId, call.idempotencyKey);
    expect(message).toMatchObject({ status: 'failed' });
    expect(message!.statusReason).toContain(`The template does not render: body:1: ${why}`);
    expect(server.received).toHaveLength(0);
  });
});
