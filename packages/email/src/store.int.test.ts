import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import {
  getFrequencyPreference,
  listEmailTopics,
  listTopicConsents,
  setFrequencyPreference,
  setTopicConsent,
  upsertEmailTopic,
} from './store/consents';
import {
  claimMessageForSend,
  findMessageByInternetId,
  listMessages,
  markMessageDeferred,
  markMessageFailed,
  markMessageSent,
  markMessageSkipped,
  recentMarketingSends,
  recordMessageBeforeSend,
  type RecordMessageInput,
} from './store/messages';
import {
  listSuppressions,
  suppressAddress,
  suppressionReasons,
  unsuppressAddress,
} from './store/suppressions';
import {
  archiveEmailTemplate,
  getEmailTemplate,
  insertEmailTemplate,
  listEmailTemplates,
  updateEmailTemplate,
} from './store/templates';
import { insertContact, insertWorkspace } from './test-db-helpers';
import { marketingTemplate } from './test-fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('email templates', () => {
  it('saves, reads, updates (bumping the version), lists and archives', async () => {
    const { sql, workspaceId } = db;
    const saved = await insertEmailTemplate(
      sql,
      workspaceId,
      marketingTemplate({ name: 'B welcome' }),
    );
    expect(saved.template).toEqual(marketingTemplate({ name: 'B welcome' }));
    expect(saved.version).toBe(1);
    await insertEmailTemplate(
      sql,
      workspaceId,
      marketingTemplate({ name: 'a receipt', kind: 'transactional', topic: null }),
    );

    const updated = await updateEmailTemplate(
      sql,
      workspaceId,
      saved.id,
      marketingTemplate({ name: 'B welcome', subject: 'New' }),
    );
    expect(updated).toMatchObject({ version: 2, template: { subject: 'New' } });
    expect((await getEmailTemplate(sql, workspaceId, saved.id))?.template.subject).toBe('New');
    expect((await listEmailTemplates(sql, workspaceId)).map((r) => r.template.name)).toEqual([
      'a receipt',
      'B welcome',
    ]);

    expect(await archiveEmailTemplate(sql, workspaceId, saved.id)).toBe(true);
    expect((await listEmailTemplates(sql, workspaceId)).map((r) => r.template.name)).toEqual([
      'a receipt',
    ]);
    expect((await getEmailTemplate(sql, workspaceId, saved.id))?.archivedAt).toBeInstanceOf(Date);
    expect(await updateEmailTemplate(sql, workspaceId, saved.id, marketingTemplate())).toBeNull();
  });

  it('keeps workspaces apart', async () => {
    const other = await insertWorkspace(db.sql, 'templates-other');
    const saved = await insertEmailTemplate(db.sql, db.workspaceId, marketingTemplate());
    expect(await getEmailTemplate(db.sql, other, saved.id)).toBeNull();
  });

  it('refuses a marketing template without a topic at the database too', async () => {
    await expect(
      db.sql`insert into email_templates (workspace_id, name, kind, definition) values (${db.workspaceId}, 'x', 'marketing', '{}')`,
    ).rejects.toThrow(/email_templates_marketing_topic/);
  });
});

describe('suppressions', () => {
  it('records each reason once per normalised address and lifts one at a time', async () => {
    const { sql, workspaceId } = db;
    await suppressAddress(sql, {
      workspaceId,
      email: ' Bo@Example.TEST ',
      reason: 'hard_bounce',
      detail: '550 5.1.1',
    });
    await suppressAddress(sql, {
      workspaceId,
      email: 'bo@example.test',
      reason: 'hard_bounce',
      detail: 'again',
    });
    await suppressAddress(sql, { workspaceId, email: 'bo@example.test', reason: 'unsubscribed' });
    expect(await suppressionReasons(sql, workspaceId, 'BO@example.test')).toEqual([
      'hard_bounce',
      'unsubscribed',
    ]);
    expect(
      (await listSuppressions(sql, workspaceId)).find((s) => s.reason === 'hard_bounce')?.detail,
    ).toBe('550 5.1.1');

    expect(await unsuppressAddress(sql, workspaceId, 'bo@example.test', 'unsubscribed')).toBe(true);
    expect(await unsuppressAddress(sql, workspaceId, 'bo@example.test', 'unsubscribed')).toBe(
      false,
    );
    expect(await suppressionReasons(sql, workspaceId, 'bo@example.test')).toEqual(['hard_bounce']);
  });
});

describe('topics, consent and preferences', () => {
  it('stores topics, the latest consent with its provenance, and the frequency preference', async () => {
    const { sql, workspaceId } = db;
    const contactId = await insertContact(sql, workspaceId);
    await upsertEmailTopic(sql, { workspaceId, key: 'offers', name: 'Offers', optIn: true });
    await upsertEmailTopic(sql, {
      workspaceId,
      key: 'offers',
      name: 'Special offers',
      important: true,
      optIn: true,
    });
    expect(await listEmailTopics(sql, workspaceId)).toEqual([
      {
        workspaceId,
        key: 'offers',
        name: 'Special offers',
        description: '',
        optIn: true,
        important: true,
      },
    ]);

    await setTopicConsent(sql, {
      workspaceId,
      contactId,
      topic: 'offers',
      status: 'pending',
      source: 'form:f1',
      ip: '203.0.113.7',
    });
    await setTopicConsent(sql, {
      workspaceId,
      contactId,
      topic: 'offers',
      status: 'subscribed',
      source: 'confirmation',
      ip: '203.0.113.8',
    });
    expect(await listTopicConsents(sql, contactId)).toEqual([
      expect.objectContaining({
        topic: 'offers',
        status: 'subscribed',
        source: 'confirmation',
        ip: '203.0.113.8',
      }),
    ]);

    expect(await getFrequencyPreference(sql, contactId)).toBe('every');
    await setFrequencyPreference(sql, { workspaceId, contactId, frequency: 'monthly' });
    expect(await getFrequencyPreference(sql, contactId)).toBe('monthly');
  });
});

describe('messages', () => {
  async function record(overrides: Partial<RecordMessageInput> = {}) {
    const contactId = overrides.contactId ?? (await insertContact(db.sql, db.workspaceId));
    return recordMessageBeforeSend(db.sql, {
      workspaceId: db.workspaceId,
      idempotencyKey: `key-${Math.random()}`,
      contactId,
      templateId: null,
      kind: 'marketing',
      topic: 'newsletter',
      toAddress: 'ana@example.test',
      ...overrides,
    });
  }
  const rendered = {
    subject: 'Hi',
    internetMessageId: '<abc@acme.test>',
    toAddress: 'ana@example.test',
    provider: 'smtp',
  };

  it('records a key once: the second call returns the first record', async () => {
    const first = await record({ idempotencyKey: 'run:1:send:1' });
    const again = await record({ idempotencyKey: 'run:1:send:1' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ created: false, message: first.message });
    const other = await insertWorkspace(db.sql, 'messages-other');
    const elsewhere = await record({
      idempotencyKey: 'run:1:send:1',
      workspaceId: other,
      contactId: null,
    });
    expect(elsewhere.created).toBe(true);
  });

  it('lets exactly one attempt claim a message, then reports what happened to it', async () => {
    const { message } = await record();
    const claims = await Promise.all(
      [1, 2, 3].map(() => claimMessageForSend(db.sql, message.id, rendered)),
    );
    expect(claims.map((c) => c.kind).sort()).toEqual(['claimed', 'in-flight', 'in-flight']);
    const sent = await markMessageSent(db.sql, message.id, {
      providerMessageId: '<abc@acme.test>',
    });
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, subject: 'Hi', provider: 'smtp' });
    expect(sent.sentAt).toBeInstanceOf(Date);
    expect((await claimMessageForSend(db.sql, message.id, rendered)).kind).toBe('already-sent');
    expect((await findMessageByInternetId(db.sql, '<abc@acme.test>'))?.id).toBe(message.id);
  });

  it('puts a retryable failure back to pending and ends a permanent one', async () => {
    const { message } = await record();
    await claimMessageForSend(db.sql, message.id, rendered);
    expect(
      await markMessageFailed(db.sql, message.id, { retryable: true, error: '451 later' }),
    ).toMatchObject({
      status: 'pending',
      lastError: '451 later',
    });
    const second = await claimMessageForSend(db.sql, message.id, rendered);
    expect(second).toMatchObject({ kind: 'claimed', message: { attempts: 2 } });
    expect(
      await markMessageFailed(db.sql, message.id, { retryable: false, error: '550 5.1.1 unknown' }),
    ).toMatchObject({
      status: 'failed',
      statusReason: '550 5.1.1 unknown',
    });
    expect((await claimMessageForSend(db.sql, message.id, rendered)).kind).toBe('finished');
  });

  it('records skips and deferrals of pending messages only', async () => {
    const { message } = await record();
    const until = new Date('2030-01-01T08:00:00Z');
    expect(await markMessageDeferred(db.sql, message.id, until, 'quiet_hours')).toMatchObject({
      deferredUntil: until,
      statusReason: 'quiet_hours',
    });
    expect(await markMessageSkipped(db.sql, message.id, 'topic_unsubscribed')).toMatchObject({
      status: 'skipped',
      statusReason: 'topic_unsubscribed',
      deferredUntil: null,
    });
    expect(await markMessageSkipped(db.sql, message.id, 'again')).toBeNull();
    expect((await claimMessageForSend(db.sql, message.id, rendered)).kind).toBe('finished');
  });

  it("lists a contact's recent marketing sends, optionally per journey", async () => {
    const contactId = await insertContact(db.sql, db.workspaceId);
    const send = async (overrides: Partial<RecordMessageInput>) => {
      const { message } = await record({ contactId, ...overrides });
      await claimMessageForSend(db.sql, message.id, rendered);
      await markMessageSent(db.sql, message.id, { providerMessageId: 'x' });
    };
    await send({ journeyId: 'j1' });
    await send({ journeyId: 'j2' });
    await send({ kind: 'transactional', topic: null });
    await record({ contactId }); // recorded, never sent
    const since = new Date(Date.now() - 60_000);
    expect(await recentMarketingSends(db.sql, { contactId, since })).toHaveLength(2);
    expect(await recentMarketingSends(db.sql, { contactId, since, journeyId: 'j1' })).toHaveLength(
      1,
    );
    expect(
      await recentMarketingSends(db.sql, { contactId, since: new Date(Date.now() + 60_000) }),
    ).toHaveLength(0);
    expect(await listMessages(db.sql, db.workspaceId, { contactId })).toHaveLength(4);
  });
});
