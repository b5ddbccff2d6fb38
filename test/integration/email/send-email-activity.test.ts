import { ApplicationFailure } from '@temporalio/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailActivities, SEND_FAILURE } from '@relance/activities/send-email';
import {
  findMessageByKey,
  setFrequencyPreference,
  setTopicConsent,
  suppressAddress,
  suppressionReasons,
  type MailProvider,
} from '@relance/email';
import type { SendEmailInput } from '@relance/workflows/contracts';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import {
  addToSegment,
  eventsOf,
  headersOf,
  insertContact,
  insertEvent,
  linksIn,
  NEWSLETTER,
  partOf,
  PUBLIC_URL,
  saveTemplate,
  saveTopic,
  smtpProviderFor,
  startTestSmtpServer,
  tokenOf,
  tracking,
  type TestSmtpServer,
} from './support';

let db: TestDatabase;
let server: TestSmtpServer;
let provider: MailProvider;
let templateId: string;
const recording = createRecordingDispatcher();

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`update workspaces set name = 'Acme Shop' where id = ${db.workspaceId}`;
  await saveTopic(db.sql, db.workspaceId, 'newsletter');
  templateId = (await saveTemplate(db.sql, db.workspaceId, NEWSLETTER)).id;
});
afterAll(async () => {
  await db.drop();
});
afterEach(async () => {
  await provider?.close();
  await server?.close();
});

async function start(
  options: Parameters<typeof startTestSmtpServer>[0] = {},
  hooks: Parameters<typeof startTestSmtpServer>[1] = {},
) {
  server = await startTestSmtpServer(options, hooks);
  provider = smtpProviderFor(server);
  return createEmailActivities({
    sql: db.sql,
    provider,
    tracking,
    dispatcher: recording.dispatcher,
    log: () => {},
  });
}

let step = 0;
function input(contactId: string, overrides: Partial<SendEmailInput> = {}): SendEmailInput {
  step++;
  return {
    workspaceId: db.workspaceId,
    contactId,
    templateId,
    idempotencyKey: `run:j:${contactId}:r:send:${step}`,
    journeyId: 'journey-1',
    runId: 'not-a-run',
    nodeId: 'send',
    ...overrides,
  };
}

/** A journey run whose version has these flow settings (quiet hours, frequency cap). */
async function runWithSettings(contactId: string, settings: Record<string, unknown>) {
  const [journey] = await db.sql<{ id: string }[]>`
    insert into journeys (workspace_id, name, draft) values (${db.workspaceId}, 'Deferrals', '{}')
    returning id`;
  const [version] = await db.sql<{ id: string }[]>`
    insert into journey_versions (workspace_id, journey_id, version, document, plan, trigger_kind)
    values (${db.workspaceId}, ${journey!.id}, 1, '{}', ${db.sql.json({ settings } as never)}, 'manual')
    returning id`;
  const [run] = await db.sql<{ id: string }[]>`
    insert into journey_runs (id, workspace_id, journey_id, version_id, contact_id, workflow_id, entry, started_at)
    values (gen_random_uuid(), ${db.workspaceId}, ${journey!.id}, ${version!.id}, ${contactId},
            ${`run:${journey!.id}:${contactId}`}, '{}', now())
    returning id`;
  return { journeyId: journey!.id, runId: run!.id };
}

describe('a flow step sends through real SMTP', () => {
  it('renders Liquid with the contact, their segments, the triggering event and the workspace', async () => {
    const activities = await start();
    const contactId = await insertContact(db.sql, db.workspaceId, {
      email: 'ada@example.com',
      properties: { first_name: 'Ada', city: 'Lyon', name: 'Ada Lovelace' },
    });
    await addToSegment(db.sql, db.workspaceId, 'VIP', contactId);
    const eventId = await insertEvent(db.sql, db.workspaceId, contactId, 'order.completed', {
      product: 'Green tea',
      order_id: 'A-42',
    });

    const call = input(contactId, { triggerEventId: eventId });
    const result = await activities.sendEmail(call);
    expect(result).toMatchObject({ outcome: 'sent' });

    expect(server.received).toHaveLength(1);
    const mail = server.received[0]!;
    expect(mail.to).toEqual(['ada@example.com']);
    expect(mail.from).toBe('news@acme.test');
    const headers = headersOf(mail.raw);
    expect(headers.get('subject')).toBe('Hi Ada, about your Green tea');
    expect(headers.get('from')).toBe('Acme <news@acme.test>');
    expect(headers.get('to')).toBe('Ada Lovelace <ada@example.com>');
    expect(headers.get('reply-to')).toBe('Acme support <help@acme.test>');
    expect(headers.get('x-relance-message')).toBe(result.messageId);
    expect(headers.get('message-id')).toMatch(/^<.+@acme\.test>$/);

    // RFC 8058: an HTTPS-style URL and a mailto, and the one-click marker.
    expect(headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const listUnsubscribe = headers.get('list-unsubscribe')!;
    const [url, mailto] = [...listUnsubscribe.matchAll(/<([^>]+)>/g)].map((m) => m[1]!);
    expect(tracking.verifyUnsubscribe(tokenOf(url!, '/u/'))).toEqual({
      workspaceId: db.workspaceId,
      contactId,
      messageId: result.messageId,
      topic: 'newsletter',
    });
    expect(mailto).toMatch(/^mailto:unsubscribe@acme\.test\?subject=unsubscribe%20/);

    const html = partOf(mail.raw, 'text/html');
    expect(html).toContain('Hello Ada from Lyon');
    expect(html).toContain('Your order of Green tea is on its way.');
    expect(html).toContain('VIP: free shipping on your next order');
    const links = linksIn(html);
    // The shop link became a signed click redirect to exactly the rendered URL.
    const clicks = links.filter((link) => link.startsWith(`${PUBLIC_URL}/t/c/`));
    expect(clicks.map((link) => tracking.verifyClick(tokenOf(link, '/t/c/')))).toEqual([
      { messageId: result.messageId, url: 'https://shop.acme.test/orders/A-42?utm=mail' },
    ]);
    // Our own links (preferences, unsubscribe) are not wrapped in redirects.
    expect(links.some((link) => link.startsWith(`${PUBLIC_URL}/p/`))).toBe(true);
    expect(links.some((link) => link.startsWith(`${PUBLIC_URL}/u/`))).toBe(true);
    const pixel = /<img[^>]+src="([^"]+\/t\/o\/[^"]+)"/.exec(html)![1]!;
    expect(tracking.verifyOpen(tokenOf(pixel, '/t/o/'))).toEqual({ messageId: result.messageId });

    const text = partOf(mail.raw, 'text/plain');
    expect(text).toContain('Hello Ada from Lyon');
    expect(text).not.toContain('https://shop.acme.test/orders/A-42');

    const sent = await eventsOf(db.sql, contactId, 'email.sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.properties).toMatchObject({ templateId, messageId: result.messageId });
    expect(recording.calls.events).toContain(sent[0]!.id);
  });

  it('sends once per key: a second call with the same key reports sent and sends nothing', async () => {
    const activities = await start();
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'once@example.com' });
    const call = input(contactId);
    const first = await activities.sendEmail(call);
    const again = await activities.sendEmail(call);
    expect(again).toEqual(first);
    expect(server.received).toHaveLength(1);
    expect(await eventsOf(db.sql, contactId, 'email.sent')).toHaveLength(1);
  });
});

describe('the send policy at the activity', () => {
  it.each([
    ['unsubscribed from everything', 'suppressed_unsubscribed'],
    ['hard-bounced', 'suppressed_hard_bounce'],
  ])('skips a contact who %s and records why', async (_label, reason) => {
    const activities = await start();
    const email = `${reason}@example.com`;
    const contactId = await insertContact(db.sql, db.workspaceId, { email });
    await suppressAddress(db.sql, {
      workspaceId: db.workspaceId,
      email,
      reason: reason === 'suppressed_unsubscribed' ? 'unsubscribed' : 'hard_bounce',
    });
    const call = input(contactId);
    expect(await activities.sendEmail(call)).toMatchObject({ outcome: 'skipped', reason });
    expect(server.received).toHaveLength(0);
    expect(await findMessageByKey(db.sql, db.workspaceId, call.idempotencyKey)).toMatchObject({
      status: 'skipped',
      statusReason: reason,
    });
  });

  it('skips a contact who unsubscribed from the topic, or wants important email only', async () => {
    const activities = await start();
    const topicOut = await insertContact(db.sql, db.workspaceId, { email: 'topic@example.com' });
    await setTopicConsent(db.sql, {
      workspaceId: db.workspaceId,
      contactId: topicOut,
      topic: 'newsletter',
      status: 'unsubscribed',
      source: 'test',
    });
    const important = await insertContact(db.sql, db.workspaceId, { email: 'imp@example.com' });
    await setFrequencyPreference(db.sql, {
      workspaceId: db.workspaceId,
      contactId: important,
      frequency: 'important',
    });
    expect(await activities.sendEmail(input(topicOut))).toMatchObject({
      outcome: 'skipped',
      reason: 'topic_unsubscribed',
    });
    expect(await activities.sendEmail(input(important))).toMatchObject({
      outcome: 'skipped',
      reason: 'frequency_preference',
    });
    expect(server.received).toHaveLength(0);
  });

  it('defers during the flow’s quiet hours in the contact’s time zone, then sends under the same key', async () => {
    const contactId = await insertContact(db.sql, db.workspaceId, {
      email: 'night@example.com',
      timezone: 'Pacific/Auckland',
    });
    const { runId, journeyId } = await runWithSettings(contactId, {
      quietHours: { start: '21:00', end: '08:00' },
      frequencyCap: null,
    });
    // 23:30 in Auckland (UTC+13 in January).
    const night = new Date('2026-01-15T10:30:00Z');
    server = await startTestSmtpServer();
    provider = smtpProviderFor(server);
    let now = night;
    const activities = createEmailActivities({
      sql: db.sql,
      provider,
      tracking,
      dispatcher: recording.dispatcher,
      now: () => now,
    });
    const call = input(contactId, { runId, journeyId });
    const deferred = await activities.sendEmail(call);
    expect(deferred).toMatchObject({ outcome: 'deferred', reason: 'quiet_hours' });
    expect(deferred.retryAt).toBe('2026-01-15T19:00:00.000Z'); // 08:00 in Auckland
    expect(server.received).toHaveLength(0);
    expect(await findMessageByKey(db.sql, db.workspaceId, call.idempotencyKey)).toMatchObject({
      status: 'pending',
      statusReason: 'quiet_hours',
    });

    now = new Date(deferred.retryAt!);
    expect(await activities.sendEmail(call)).toMatchObject({
      outcome: 'sent',
      messageId: deferred.messageId,
    });
    expect(server.received).toHaveLength(1);
  });

  it('defers under the frequency cap to when the oldest counted send leaves the window', async () => {
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'cap@example.com' });
    const { runId, journeyId } = await runWithSettings(contactId, {
      quietHours: null,
      frequencyCap: { count: 1, perMs: 7 * 86_400_000 },
    });
    const activities = await start();
    const first = await activities.sendEmail(input(contactId, { runId, journeyId }));
    expect(first.outcome).toBe('sent');
    const [row] = await db.sql<{ sentAt: Date }[]>`
      select sent_at from email_messages where id = ${first.messageId!}`;
    const second = await activities.sendEmail(input(contactId, { runId, journeyId }));
    expect(second).toMatchObject({ outcome: 'deferred', reason: 'frequency_cap' });
    expect(Date.parse(second.retryAt!)).toBe(row!.sentAt.getTime() + 7 * 86_400_000);
    expect(server.received).toHaveLength(1);
  });
});

describe('provider failures are surfaced', () => {
  it('a hard bounce fails for good (non-retryable), suppresses the address and is recorded', async () => {
    const activities = await start({
      onRcptTo(address, _session, callback) {
        const error = Object.assign(new Error('5.1.1 <gone@example.com>: User unknown'), {
          responseCode: 550,
        });
        callback(address.address === 'gone@example.com' ? error : undefined);
      },
    });
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'gone@example.com' });
    const call = input(contactId);
    const failure = await activities.sendEmail(call).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: SEND_FAILURE.failed, nonRetryable: true });
    expect((failure as Error).message).toMatch(/User unknown/);
    expect(await suppressionReasons(db.sql, db.workspaceId, 'gone@example.com')).toEqual([
      'hard_bounce',
    ]);
    expect(await findMessageByKey(db.sql, db.workspaceId, call.idempotencyKey)).toMatchObject({
      status: 'failed',
    });
    // A retry of the same step reports the same permanent failure and sends nothing.
    await expect(activities.sendEmail(call)).rejects.toMatchObject({ nonRetryable: true });
  });

  it('a temporary refusal is retryable and leaves the message pending for the retry', async () => {
    let refuse = true;
    const activities = await start({
      onRcptTo(_address, _session, callback) {
        const error = Object.assign(new Error('4.7.1 Try again later, rate limited'), {
          responseCode: 451,
        });
        callback(refuse ? error : undefined);
      },
    });
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'later@example.com' });
    const call = input(contactId);
    const failure = await activities.sendEmail(call).catch((error: unknown) => error);
    expect(failure).toMatchObject({ type: SEND_FAILURE.throttled, nonRetryable: false });
    expect(await findMessageByKey(db.sql, db.workspaceId, call.idempotencyKey)).toMatchObject({
      status: 'pending',
    });
    refuse = false;
    expect(await activities.sendEmail(call)).toMatchObject({ outcome: 'sent' });
    expect(server.received).toHaveLength(1);
  });

  it('a connection lost after the whole message went out counts as sent: the retry sends nothing', async () => {
    const activities = await start({}, { beforeAnswer: (_mail, drop) => Promise.resolve(drop()) });
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'lost@example.com' });
    const call = input(contactId);
    const first = await activities.sendEmail(call);
    expect(first).toMatchObject({ outcome: 'sent' });
    expect(await findMessageByKey(db.sql, db.workspaceId, call.idempotencyKey)).toMatchObject({
      status: 'sending',
      lastError: expect.stringMatching(/did not confirm it/),
    });
    // Temporal retries the step (a worker that died at that instant would too): nothing is sent.
    expect(await activities.sendEmail(call)).toMatchObject({ outcome: 'sent' });
    expect(server.received).toHaveLength(1);
    expect(await eventsOf(db.sql, contactId, 'email.sent')).toHaveLength(1);
  });

  it('a connection lost before the message went out is retried and sent once', async () => {
    let drops = 1;
    const activities = await start({
      onRcptTo(_address, session, callback) {
        if (drops-- > 0) server.drop(session);
        else callback();
      },
    });
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'cut@example.com' });
    const call = input(contactId);
    const failure = await activities.sendEmail(call).catch((error: unknown) => error);
    expect(failure).toMatchObject({ type: SEND_FAILURE.retry, nonRetryable: false });
    expect(await findMessageByKey(db.sql, db.workspaceId, call.idempotencyKey)).toMatchObject({
      status: 'pending',
    });
    expect(await activities.sendEmail(call)).toMatchObject({ outcome: 'sent' });
    expect(server.received).toHaveLength(1);
  });

  it('a missing template fails the step with a reason, not a retry loop', async () => {
    const activities = await start();
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'nt@example.com' });
    await expect(
      activities.sendEmail(
        input(contactId, { templateId: '00000000-0000-4000-8000-000000000000' }),
      ),
    ).rejects.toMatchObject({
      nonRetryable: true,
      message: expect.stringMatching(/No email template/),
    });
  });
});
