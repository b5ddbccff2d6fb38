import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import {
  createSendFactsReader,
  liquidContact,
  prepareSend,
  type PrepareSendInput,
} from './prepare-send';
import { setFrequencyPreference, setTopicConsent, upsertEmailTopic } from './store/consents';
import { claimMessageForSend, markMessageSent, recordMessageBeforeSend } from './store/messages';
import { suppressAddress } from './store/suppressions';
import { insertContact } from './test-db-helpers';

const DAY = 86_400_000;
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await upsertEmailTopic(db.sql, { workspaceId: db.workspaceId, key: 'newsletter', name: 'News' });
});
afterAll(async () => {
  await db.drop();
});

const prepare = (contactId: string, overrides: Partial<PrepareSendInput> = {}) =>
  prepareSend(db.sql, {
    workspaceId: db.workspaceId,
    contactId,
    kind: 'marketing',
    topic: 'newsletter',
    now: new Date(),
    ...overrides,
  });

async function sentBefore(contactId: string, journeyId: string | null = null) {
  const { message } = await recordMessageBeforeSend(db.sql, {
    workspaceId: db.workspaceId,
    idempotencyKey: `k-${Math.random()}`,
    contactId,
    templateId: null,
    journeyId,
    kind: 'marketing',
    topic: 'newsletter',
    toAddress: 'x@example.test',
  });
  await claimMessageForSend(db.sql, message.id, {
    subject: 's',
    internetMessageId: '<m@x>',
    toAddress: 'x@example.test',
    provider: 'outbox',
  });
  return markMessageSent(db.sql, message.id, { providerMessageId: 'p' });
}

describe('prepareSend', () => {
  it('sends to a contact with an address and returns the contact as Liquid sees it', async () => {
    const contactId = await insertContact(db.sql, db.workspaceId, {
      email: 'ana@example.test',
      properties: { first_name: 'Ana', email: 'spoofed@evil.test' },
    });
    const { decision, contact } = await prepare(contactId);
    expect(decision).toEqual({ kind: 'send' });
    expect(contact).toMatchObject({ id: contactId, email: 'ana@example.test', timeZone: 'UTC' });
    expect(
      liquidContact({ ...contact!, email: contact!.email! }, { segments: ['vip'] }),
    ).toMatchObject({
      id: contactId,
      email: 'ana@example.test',
      first_name: 'Ana',
      segments: ['vip'],
    });
  });

  it('skips a contact without an address, and one that does not exist', async () => {
    const noEmail = await insertContact(db.sql, db.workspaceId, { email: null });
    expect((await prepare(noEmail)).decision).toEqual({ kind: 'skip', reason: 'no_address' });
    expect((await prepare('00000000-0000-4000-8000-000000000000')).decision).toEqual({
      kind: 'skip',
      reason: 'no_address',
    });
  });

  it('reads suppressions of the address: unsubscribed stops marketing, not transactional', async () => {
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'gone@example.test' });
    await suppressAddress(db.sql, {
      workspaceId: db.workspaceId,
      email: 'gone@example.test',
      reason: 'unsubscribed',
    });
    expect((await prepare(contactId)).decision).toEqual({
      kind: 'skip',
      reason: 'suppressed_unsubscribed',
    });
    expect((await prepare(contactId, { kind: 'transactional', topic: null })).decision).toEqual({
      kind: 'send',
    });
    await suppressAddress(db.sql, {
      workspaceId: db.workspaceId,
      email: 'gone@example.test',
      reason: 'complaint',
    });
    expect((await prepare(contactId, { kind: 'transactional', topic: null })).decision).toEqual({
      kind: 'skip',
      reason: 'suppressed_complaint',
    });
  });

  it('reads topic definitions, consent and the frequency preference', async () => {
    const { workspaceId } = db;
    await upsertEmailTopic(db.sql, { workspaceId, key: 'offers', name: 'Offers', optIn: true });
    await upsertEmailTopic(db.sql, {
      workspaceId,
      key: 'security',
      name: 'Security notices',
      important: true,
    });
    const contactId = await insertContact(db.sql, workspaceId);
    expect((await prepare(contactId, { topic: 'offers' })).decision).toEqual({
      kind: 'skip',
      reason: 'topic_not_subscribed',
    });
    await setTopicConsent(db.sql, {
      workspaceId,
      contactId,
      topic: 'offers',
      status: 'subscribed',
      source: 'form:f1',
    });
    expect((await prepare(contactId, { topic: 'offers' })).decision).toEqual({ kind: 'send' });
    await setTopicConsent(db.sql, {
      workspaceId,
      contactId,
      topic: 'newsletter',
      status: 'unsubscribed',
      source: 'one_click',
    });
    expect((await prepare(contactId)).decision).toEqual({
      kind: 'skip',
      reason: 'topic_unsubscribed',
    });
    await setFrequencyPreference(db.sql, { workspaceId, contactId, frequency: 'important' });
    expect((await prepare(contactId, { topic: 'offers' })).decision).toEqual({
      kind: 'skip',
      reason: 'frequency_preference',
    });
    expect((await prepare(contactId, { topic: 'security' })).decision).toEqual({ kind: 'send' });
  });

  it('skips marketing email under a topic that does not exist, whatever consent its name has', async () => {
    const { workspaceId } = db;
    const contactId = await insertContact(db.sql, workspaceId);
    // `ofers` was typed for `offers`: nobody could opt in to it, or out of it, on their page.
    await setTopicConsent(db.sql, {
      workspaceId,
      contactId,
      topic: 'ofers',
      status: 'subscribed',
      source: 'api',
    });
    expect((await prepare(contactId, { topic: 'ofers' })).decision).toEqual({
      kind: 'skip',
      reason: 'topic_unknown',
    });
    expect((await prepare(contactId, { kind: 'transactional', topic: 'ofers' })).decision).toEqual({
      kind: 'send',
    });
  });

  it('defers at the frequency cap until the oldest counted send leaves the window, per journey when asked', async () => {
    const contactId = await insertContact(db.sql, db.workspaceId);
    const first = await sentBefore(contactId, 'j1');
    await sentBefore(contactId, 'j1');
    await sentBefore(contactId, 'j2');
    const now = new Date();
    const cap = { count: 3, perMs: 7 * DAY };
    expect((await prepare(contactId, { now, frequencyCap: cap })).decision).toEqual({
      kind: 'defer',
      until: new Date(first.sentAt!.getTime() + 7 * DAY),
      reason: 'frequency_cap',
    });
    expect(
      (await prepare(contactId, { now, frequencyCap: { ...cap, journeyId: 'j1' } })).decision,
    ).toEqual({ kind: 'send' });
  });

  it('defers in quiet hours of the contact zone, else of the workspace zone', async () => {
    await db.sql`update workspaces set timezone = 'Asia/Tokyo' where id = ${db.workspaceId}`;
    const inParis = await insertContact(db.sql, db.workspaceId, { timezone: 'Europe/Paris' });
    const noZone = await insertContact(db.sql, db.workspaceId);
    const now = new Date('2025-06-02T20:30:00Z'); // 22:30 in Paris, 05:30 in Tokyo
    const quietHours = { start: '22:00', end: '07:00' };
    expect((await prepare(inParis, { now, quietHours })).decision).toEqual({
      kind: 'defer',
      until: new Date('2025-06-03T05:00:00Z'),
      reason: 'quiet_hours',
    });
    expect((await prepare(noZone, { now, quietHours })).decision).toEqual({
      kind: 'defer',
      until: new Date('2025-06-02T22:00:00Z'),
      reason: 'quiet_hours',
    });
  });

  it('follows a merged contact to the one it was merged into', async () => {
    const survivor = await insertContact(db.sql, db.workspaceId, { email: 'keep@example.test' });
    const merged = await insertContact(db.sql, db.workspaceId, { email: 'old@example.test' });
    await db.sql`update contacts set merged_into = ${survivor} where id = ${merged}`;
    expect((await prepare(merged)).contact).toMatchObject({
      id: survivor,
      email: 'keep@example.test',
    });
  });

  it('answers each of the sends read together with its own contact, topic and cap', async () => {
    const { workspaceId } = db;
    const readFacts = createSendFactsReader(db.sql);
    const plain = await insertContact(db.sql, workspaceId, { email: 'plain@example.test' });
    const suppressed = await insertContact(db.sql, workspaceId, { email: 'sup@example.test' });
    await suppressAddress(db.sql, {
      workspaceId,
      email: 'sup@example.test',
      reason: 'unsubscribed',
    });
    const capped = await insertContact(db.sql, workspaceId);
    const first = await sentBefore(capped, 'j1');
    await sentBefore(capped, 'j2');
    const now = new Date();
    const cap = { count: 2, perMs: 7 * DAY };
    const sends: [string, Partial<PrepareSendInput>][] = [
      [plain, {}],
      [suppressed, {}],
      ['00000000-0000-4000-8000-000000000000', {}],
      [capped, { frequencyCap: cap }],
      [capped, { frequencyCap: { ...cap, journeyId: 'j1' } }],
      [suppressed, { kind: 'transactional', topic: null }],
    ];
    const decisions = await Promise.all(
      sends.map(async ([contactId, overrides]) => {
        const input = { workspaceId, contactId, kind: 'marketing' as const, topic: 'newsletter' };
        return (await prepareSend(db.sql, { ...input, now, ...overrides }, readFacts)).decision;
      }),
    );
    expect(decisions).toEqual([
      { kind: 'send' },
      { kind: 'skip', reason: 'suppressed_unsubscribed' },
      { kind: 'skip', reason: 'no_address' },
      {
        kind: 'defer',
        until: new Date(first.sentAt!.getTime() + 7 * DAY),
        reason: 'frequency_cap',
      },
      { kind: 'send' },
      { kind: 'send' },
    ]);
  });
});
