// The frequency cap counts the sends in flight, not only those already sent: two journeys whose
// steps send to one contact at the same instant, under a cap of one a day, send one email and
// hold the other; a send that fails for good gives its place back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMessageWrites,
  createSendFactsReader,
  createTemplateCache,
  getMessage,
  prepareSend,
  recordMessageBeforeSend,
  sendTemplate,
  type MailProvider,
  type SendTemplateDeps,
  type SendTemplateOutcome,
} from '@relance/email';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import {
  insertContact,
  NEWSLETTER,
  saveTemplate,
  saveTopic,
  smtpProviderFor,
  startTestSmtpServer,
  tracking,
  type TestSmtpServer,
} from './support';

const DAY = 86_400_000;
const cap = { count: 1, perMs: DAY };
let db: TestDatabase;
let server: TestSmtpServer;
let provider: MailProvider;
let templateId: string;
// The mail server refuses every message for good while this is set.
let refuse = false;

beforeAll(async () => {
  db = await createTestDatabase();
  await saveTopic(db.sql, db.workspaceId, 'newsletter');
  templateId = (await saveTemplate(db.sql, db.workspaceId, NEWSLETTER)).id;
  server = await startTestSmtpServer({
    onRcptTo(_address, _session, callback) {
      const error = Object.assign(new Error('5.7.1 Message rejected as spam'), {
        responseCode: 554,
      });
      callback(refuse ? error : undefined);
    },
  });
  provider = smtpProviderFor(server);
});
afterAll(async () => {
  await provider?.close();
  await server?.close();
  await db?.drop();
});

/** As a worker sends (statements shared by the sends in flight), or one statement each. */
function depsFor(shared: boolean): SendTemplateDeps {
  const deps = { sql: db.sql, provider, tracking, templates: createTemplateCache() };
  return shared
    ? { ...deps, writes: createMessageWrites(db.sql), facts: createSendFactsReader(db.sql) }
    : deps;
}

/** A journey's email step for the contact, under the cap of one email a day. */
const step = (deps: SendTemplateDeps, contactId: string, journeyId: string) =>
  sendTemplate(deps, {
    workspaceId: db.workspaceId,
    contactId,
    templateId,
    idempotencyKey: `${journeyId}:${contactId}:send`,
    journeyId,
    frequencyCap: cap,
    now: new Date(),
  });

const receivedBy = (address: string) =>
  server.received.filter((mail) => mail.to.includes(address)).length;

describe('the frequency cap and sends in flight', () => {
  it.each([
    ['one statement each', false],
    ['statements shared, as a busy worker sends', true],
  ])(
    'sends one of two emails a contact is sent at once under a cap of one (%s)',
    async (_, shared) => {
      const deps = depsFor(shared);
      for (let round = 0; round < 3; round++) {
        const address = `ana-${shared}-${round}@example.test`;
        const contactId = await insertContact(db.sql, db.workspaceId, { email: address });
        const before = Date.now();
        const outcomes = await Promise.all([
          step(deps, contactId, 'welcome'),
          step(deps, contactId, 'promo'),
        ]);
        const kinds = outcomes.map((outcome) => outcome.kind).sort();
        expect(kinds).toEqual(['deferred', 'sent']);
        const held = outcomes.find((outcome) => outcome.kind === 'deferred') as Extract<
          SendTemplateOutcome,
          { kind: 'deferred' }
        >;
        // Held as the cap holds a send: until a day after the one that went.
        expect(held.reason).toBe('frequency_cap');
        expect(held.until.getTime()).toBeGreaterThanOrEqual(before + DAY);
        expect(held.message).toMatchObject({ status: 'pending', reservedAt: null });
        await expect.poll(() => receivedBy(address)).toBe(1);
      }
    },
  );

  it('counts a send the policy let go before it is handed over', async () => {
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'bo@example.test' });
    const record = async (key: string) =>
      (
        await recordMessageBeforeSend(db.sql, {
          workspaceId: db.workspaceId,
          idempotencyKey: key,
          contactId,
          templateId,
          journeyId: key,
          kind: 'marketing',
          topic: 'newsletter',
          toAddress: null,
        })
      ).message.id;
    const prepare = (messageId: string) =>
      prepareSend(db.sql, {
        workspaceId: db.workspaceId,
        contactId,
        kind: 'marketing',
        topic: 'newsletter',
        frequencyCap: cap,
        messageId,
        now: new Date(),
      });
    const first = await record('first');
    const second = await record('second');
    expect((await prepare(first)).decision).toEqual({ kind: 'send' });
    expect((await getMessage(db.sql, first))!.reservedAt).toBeInstanceOf(Date);
    // Asked again (a retried attempt), the first send does not count against itself.
    expect((await prepare(first)).decision).toEqual({ kind: 'send' });
    expect((await prepare(second)).decision).toMatchObject({
      kind: 'defer',
      reason: 'frequency_cap',
    });
  });

  it('stops counting a send that failed for good', async () => {
    const address = 'cy@example.test';
    const contactId = await insertContact(db.sql, db.workspaceId, { email: address });
    const deps = depsFor(false);
    refuse = true;
    const failed = await step(deps, contactId, 'welcome');
    refuse = false;
    expect(failed).toMatchObject({ kind: 'failed', message: { status: 'failed' } });
    expect(await step(deps, contactId, 'promo')).toMatchObject({ kind: 'sent' });
    expect(await step(deps, contactId, 'win-back')).toMatchObject({
      kind: 'deferred',
      reason: 'frequency_cap',
    });
    await expect.poll(() => receivedBy(address)).toBe(1);
  });
});
