import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import { buildMessage } from './build-message';
import { compileTemplate } from './compile-template';
import { deliverMessage } from './deliver-message';
import type { OutgoingMessage } from './message';
import type { MailProvider } from './providers/mail-provider';
import { prepareSend } from './prepare-send';
import { createOutboxProvider } from './providers/outbox';
import { createSmtpProvider } from './providers/smtp';
import {
  claimMessageForSend,
  findMessageByKey,
  getMessage,
  recordMessageBeforeSend,
} from './store/messages';
import { getOutboxMessage, listOutboxMessages } from './store/outbox';
import { suppressionReasons } from './store/suppressions';
import { insertContact } from './test-db-helpers';
import { marketingTemplate, TEST_SECRET } from './test-fixtures';
import { headersOf, startTestSmtpServer, type TestSmtpServer } from './test-smtp-server';
import { createTracking } from './tracking';

const tracking = createTracking({
  publicUrl: 'https://mail.example.com',
  secret: TEST_SECRET,
  unsubscribeMailbox: 'unsubscribe@mail.example.com',
});

let db: TestDatabase;
let server: TestSmtpServer | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// What the send activity does on every attempt: record under the run step's key (finding the
// first attempt's record on a retry), render, deliver.
async function sendAttempt(provider: MailProvider, key: string, email: string) {
  const contactId = await contactFor(email);
  const { message } = await recordMessageBeforeSend(db.sql, {
    workspaceId: db.workspaceId,
    idempotencyKey: key,
    contactId,
    templateId: null,
    kind: 'marketing',
    topic: 'newsletter',
    toAddress: email,
  });
  const outgoing = await render(message.id, key, contactId, email);
  return deliverMessage({ sql: db.sql, provider }, outgoing);
}

const contacts = new Map<string, string>();
async function contactFor(email: string): Promise<string> {
  if (!contacts.has(email))
    contacts.set(email, await insertContact(db.sql, db.workspaceId, { email }));
  return contacts.get(email)!;
}

async function render(
  messageId: string,
  key: string,
  contactId: string,
  email: string,
): Promise<OutgoingMessage> {
  return buildMessage({
    template: await compileTemplate(marketingTemplate()),
    contact: { id: contactId, email, first_name: 'Ana' },
    event: { product: 'Tea' },
    workspace: { id: db.workspaceId, name: 'Acme' },
    messageId,
    idempotencyKey: key,
    tracking,
  });
}

describe('deliverMessage through SMTP, with retries', () => {
  it('sends once when the activity is retried after a successful send', async () => {
    server = await startTestSmtpServer();
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    const first = await sendAttempt(provider, 'run:a:send:1', 'once@example.test');
    const second = await sendAttempt(provider, 'run:a:send:1', 'once@example.test');
    await provider.close();
    expect([first.kind, second.kind]).toEqual(['sent', 'already-sent']);
    expect(server.received).toHaveLength(1);
    expect(headersOf(server.received[0]!.raw).get('message-id')).toBe(
      first.message.internetMessageId,
    );
  });

  it('does not send again when an attempt died between handing over and recording', async () => {
    server = await startTestSmtpServer();
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    // The first attempt claims and sends, then the worker dies before recording the outcome.
    const contactId = await contactFor('crash@example.test');
    const { message } = await recordMessageBeforeSend(db.sql, {
      workspaceId: db.workspaceId,
      idempotencyKey: 'run:b:send:1',
      contactId,
      templateId: null,
      kind: 'marketing',
      topic: 'newsletter',
      toAddress: 'crash@example.test',
    });
    const outgoing = await render(message.id, 'run:b:send:1', contactId, 'crash@example.test');
    await claimMessageForSend(db.sql, message.id, {
      subject: outgoing.subject,
      internetMessageId: outgoing.internetMessageId,
      toAddress: 'crash@example.test',
      provider: provider.name,
    });
    await provider.send(outgoing);

    const retries = [];
    for (let i = 0; i < 3; i++)
      retries.push((await sendAttempt(provider, 'run:b:send:1', 'crash@example.test')).kind);
    await provider.close();
    expect(retries).toEqual(['in-flight', 'in-flight', 'in-flight']);
    expect(server.received).toHaveLength(1);
  });

  it('retries a throttled send and delivers it exactly once', async () => {
    let refusals = 2;
    server = await startTestSmtpServer({
      onMailFrom(_address, _session, callback) {
        if (refusals-- > 0)
          callback(
            Object.assign(new Error('4.7.1 Too many messages, slow down'), { responseCode: 451 }),
          );
        else callback();
      },
    });
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    const outcomes = [];
    for (;;) {
      const outcome = await sendAttempt(provider, 'run:c:send:1', 'slow@example.test');
      outcomes.push(outcome.kind === 'retry' ? `retry:${outcome.error.kind}` : outcome.kind);
      if (outcome.kind !== 'retry') break;
    }
    await provider.close();
    expect(outcomes).toEqual(['retry:throttled', 'retry:throttled', 'sent']);
    expect(server.received).toHaveLength(1);
    const message = await findMessageByKey(db.sql, db.workspaceId, 'run:c:send:1');
    expect(message).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('records a hard bounce, suppresses the address, and later sends skip it', async () => {
    server = await startTestSmtpServer({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('5.1.1 User unknown'), { responseCode: 550 }));
      },
    });
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    const outcome = await sendAttempt(provider, 'run:d:send:1', 'ghost@example.test');
    await provider.close();
    expect(outcome).toMatchObject({
      kind: 'failed',
      error: { hardBounce: true },
      message: { status: 'failed' },
    });
    expect(await suppressionReasons(db.sql, db.workspaceId, 'ghost@example.test')).toEqual([
      'hard_bounce',
    ]);
    const next = await prepareSend(db.sql, {
      workspaceId: db.workspaceId,
      contactId: await contactFor('ghost@example.test'),
      kind: 'transactional',
      topic: null,
      now: new Date(),
    });
    expect(next.decision).toEqual({ kind: 'skip', reason: 'suppressed_hard_bounce' });
  });
});

describe('the dev outbox provider', () => {
  it('stores each delivered message for the app to list and show', async () => {
    const provider = createOutboxProvider({ sql: db.sql });
    const outcome = await sendAttempt(provider, 'run:e:send:1', 'outbox@example.test');
    expect(outcome.kind).toBe('sent');
    expect((await sendAttempt(provider, 'run:e:send:1', 'outbox@example.test')).kind).toBe(
      'already-sent',
    );

    const listed = await listOutboxMessages(db.sql, db.workspaceId);
    const mine = listed.filter((m) => m.messageId === outcome.message.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      toAddress: 'outbox@example.test',
      fromAddress: 'news@acme.test',
      subject: 'Hi Ana',
      internetMessageId: outcome.message.internetMessageId,
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    const full = await getOutboxMessage(db.sql, db.workspaceId, mine[0]!.id);
    expect(full?.html).toContain('Hello Ana</h1>');
    expect(full?.text).toContain('Hello Ana');
    expect((await getMessage(db.sql, outcome.message.id))?.provider).toBe('outbox');
  });

  it('does nothing for an aborted send', async () => {
    const provider = createOutboxProvider({ sql: db.sql });
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const message = await render(
      'not-recorded',
      'k',
      '00000000-0000-4000-8000-000000000000',
      'x@example.test',
    );
    await expect(provider.send(message, { signal: controller.signal })).rejects.toThrow(
      'cancelled',
    );
  });
});
