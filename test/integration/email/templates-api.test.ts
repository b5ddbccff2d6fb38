import { beforeAll, describe, expect, it } from 'vitest';
import { createEmailActivities } from '@relance/activities/send-email';
import { declareKnownProperty } from '@relance/db';
import { listTopicConsents, suppressionReasons, type MailProvider } from '@relance/email';
import { createTestApp, TEST_ADMIN_TOKEN } from '../../support/app';
import type { TestDatabase } from '../../support/db';
import {
  addToSegment,
  headersOf,
  insertContact,
  insertEvent,
  linksIn,
  NEWSLETTER,
  partOf,
  PUBLIC_URL,
  saveTopic,
  tokenOf,
  tracking,
  type TestSmtpServer,
  useEmailApp,
  type EmailApp,
} from './support';

const email = useEmailApp();
const { dispatcher } = email.recording;
let db: TestDatabase;
let temporal: EmailApp['temporal'];
let server: TestSmtpServer;
let provider: MailProvider;
let call: EmailApp['call'];
let app: EmailApp['app'];

beforeAll(async () => {
  ({ db, temporal, server, provider, call, app } = email);
  await saveTopic(db.sql, db.workspaceId, 'newsletter');
});

const BROKEN_MJML = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Hi {{ contact.first_name | shout }}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

describe('saving templates', () => {
  it('needs the admin token', async () => {
    expect((await call('GET', '/api/templates', undefined, null)).status).toBe(401);
  });

  it('creates, lists, reads, replaces and archives a template', async () => {
    const created = await call('POST', '/api/templates', NEWSLETTER);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Order follow-up',
      version: 1,
      topic: 'newsletter',
    });
    const id = created.body.id as string;

    const list = await call('GET', '/api/templates');
    expect(list.body.templates).toEqual([
      expect.objectContaining({
        id,
        name: 'Order follow-up',
        topic: 'newsletter',
        kind: 'marketing',
      }),
    ]);
    expect((await call('GET', `/api/templates/${id}`)).body.body.kind).toBe('mjml');

    const renamed = await call('PUT', `/api/templates/${id}`, { ...NEWSLETTER, name: 'Renamed' });
    expect(renamed.body).toMatchObject({ name: 'Renamed', version: 2 });

    // A copy keeps the content under a name of its own, as a new template at version 1.
    const copy = await call('POST', `/api/templates/${id}/duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ name: 'Copy of Renamed', version: 1, topic: 'newsletter' });
    expect(copy.body.id).not.toBe(id);
    const original = await call('GET', `/api/templates/${id}`);
    expect(copy.body.body).toEqual(original.body.body);
    expect(copy.body.subject).toBe(original.body.subject);
    expect((await call('DELETE', `/api/templates/${copy.body.id}`)).status).toBe(204);

    expect((await call('DELETE', `/api/templates/${id}`)).status).toBe(204);
    expect((await call('POST', `/api/templates/${id}/duplicate`)).status).toBe(404);
    expect((await call('GET', `/api/templates/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/templates/${id}`)).status).toBe(404);
    expect((await call('GET', '/api/templates')).body.templates).toEqual([]);
  });

  it('refuses a template that would fail at send time: 422 with the field, line and reason', async () => {
    const response = await call('POST', '/api/templates', {
      ...NEWSLETTER,
      body: { kind: 'mjml', source: BROKEN_MJML },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('template_invalid');
    expect(response.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'body',
          line: 5,
          message: expect.stringMatching(/shout/),
        }),
      ]),
    );
    expect(response.body.error.message).toMatch(/body \(line 5\)/);
    // A marketing email without a way out cannot be saved either.
    const noUnsubscribe = await call('POST', '/api/templates', {
      ...NEWSLETTER,
      body: { kind: 'html', source: '<p>Buy now</p>' },
    });
    expect(noUnsubscribe.status).toBe(422);
    expect(noUnsubscribe.body.error.issues[0]).toMatchObject({
      field: 'body',
      message: expect.stringMatching(/unsubscribe/),
    });
  });

  it('refuses a topic the workspace does not have, on save and in the editor check', async () => {
    // Its emails would all be skipped: nobody can opt in or out of a topic that does not exist.
    const created = await call('POST', '/api/templates', { ...NEWSLETTER, topic: 'newsleter' });
    expect(created.status).toBe(422);
    expect(created.body.error.issues).toEqual([
      { field: 'topic', message: expect.stringMatching(/no topic "newsleter"/) },
    ]);
    const saved = await call('POST', '/api/templates', NEWSLETTER);
    const replaced = await call('PUT', `/api/templates/${saved.body.id as string}`, {
      ...NEWSLETTER,
      topic: 'newsleter',
    });
    expect(replaced.status).toBe(422);
    expect(replaced.body.error.issues[0]).toMatchObject({ field: 'topic' });
    const check = await call('POST', '/api/templates/check', { ...NEWSLETTER, topic: 'newsleter' });
    expect(check.body).toMatchObject({
      ok: false,
      issues: [expect.objectContaining({ field: 'topic' })],
    });
    await call('DELETE', `/api/templates/${saved.body.id as string}`);
  });

  it('answers 400 naming the field for a body that is not a template', async () => {
    const response = await call('POST', '/api/templates', {
      ...NEWSLETTER,
      subject: '',
      kind: 'x',
    });
    expect(response.status).toBe(400);
    const fields = response.body.error.issues.map((issue: { field: string }) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['subject', 'kind']));
    expect((await call('GET', '/api/templates/not-an-id')).status).toBe(400);
  });

  it('checks an unsaved draft as the editor types: problems are the answer', async () => {
    const good = await call('POST', '/api/templates/check', NEWSLETTER);
    expect(good).toMatchObject({ status: 200, body: { ok: true, issues: [] } });
    const bad = await call('POST', '/api/templates/check', {
      ...NEWSLETTER,
      subject: 'Hi {{ contact.first_name | nope }}',
      body: { kind: 'mjml', source: BROKEN_MJML },
    });
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'subject', line: 1 }),
        expect.objectContaining({ field: 'body', line: 5 }),
      ]),
    );
    const incomplete = await call('POST', '/api/templates/check', { name: 'Draft' });
    expect(incomplete.body.ok).toBe(false);
    expect(incomplete.body.issues.map((i: { field: string }) => i.field)).toContain('subject');
  });
});

describe('preview and test send', () => {
  it('previews exactly what the contact would get: Liquid, segment variant, tracking and headers', async () => {
    const id = (await call('POST', '/api/templates', NEWSLETTER)).body.id as string;
    const vip = await insertContact(db.sql, db.workspaceId, {
      email: 'vip@example.com',
      properties: { first_name: 'Vera', city: 'Nantes' },
    });
    await addToSegment(db.sql, db.workspaceId, 'VIP', vip);
    const other = await insertContact(db.sql, db.workspaceId, { email: 'o@example.com' });
    const eventId = await insertEvent(db.sql, db.workspaceId, vip, 'order.completed', {
      product: 'Kettle',
      order_id: 'K-1',
    });

    const preview = await call('POST', `/api/templates/${id}/preview`, { contactId: vip, eventId });
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toBe('Hi Vera, about your Kettle');
    expect(preview.body.html).toContain('Hello Vera from Nantes');
    expect(preview.body.html).toContain('VIP: free shipping');
    expect(preview.body.text).toContain('Hello Vera from Nantes');
    expect(preview.body.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(preview.body.html).toContain('http://relance.test/t/c/');
    expect(preview.body.decision).toEqual({ kind: 'send' });

    const plain = await call('POST', `/api/templates/${id}/preview`, { contactId: other });
    expect(plain.body.subject).toBe('Hi there, about your');
    expect(plain.body.html).not.toContain('VIP');

    const missing = await call('POST', `/api/templates/${id}/preview`, {
      contactId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.issues[0].field).toBe('contactId');
    expect((await call('POST', `/api/templates/${id}/preview`, {})).status).toBe(400);
  });

  it('sends a test through real SMTP, marked [Test], rendered as the chosen contact', async () => {
    const id = (await call('POST', '/api/templates', NEWSLETTER)).body.id as string;
    const contactId = await insertContact(db.sql, db.workspaceId, {
      email: 'model@example.com',
      properties: { first_name: 'Mo' },
    });
    const before = server.received.length;
    const sent = await call('POST', `/api/templates/${id}/test-send`, {
      to: 'Marketer@Acme.test',
      contactId,
    });
    expect(sent).toMatchObject({ status: 200, body: { status: 'sent' } });
    expect(server.received).toHaveLength(before + 1);
    const mail = server.received.at(-1)!;
    expect(mail.to).toEqual(['marketer@acme.test']);
    expect(headersOf(mail.raw).get('subject')).toBe('[Test] Hi Mo, about your');
    expect(partOf(mail.raw, 'text/html')).toContain('Hello Mo');

    // A test send is not a send to the contact: it appears on no contact's record.
    const messages = await call('GET', `/api/messages?contactId=${contactId}`);
    expect(messages.body.messages).toEqual([]);

    expect((await call('POST', `/api/templates/${id}/test-send`, { to: 'nope' })).status).toBe(400);
  });

  it('a test sent as a contact carries links that act on no one: the contact stays subscribed', async () => {
    const id = (await call('POST', '/api/templates', NEWSLETTER)).body.id as string;
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'real@example.com' });
    const sent = await call('POST', `/api/templates/${id}/test-send`, {
      to: 'tester@acme.test',
      contactId,
    });
    expect(sent.status).toBe(200);
    const mail = server.received.at(-1)!;
    const listUnsubscribe = headersOf(mail.raw).get('list-unsubscribe')!;
    const oneClick = /<(http[^>]+)>/.exec(listUnsubscribe)![1]!;
    const links = linksIn(partOf(mail.raw, 'text/html'));
    const unsubscribe = links.find((link) => link.startsWith(`${PUBLIC_URL}/u/`))!;
    const preferences = links.find((link) => link.startsWith(`${PUBLIC_URL}/p/`))!;
    expect(tracking.verifyUnsubscribe(tokenOf(oneClick, '/u/'))?.contactId).not.toBe(contactId);
    expect(tracking.verifyPreferences(tokenOf(preferences, '/p/'))?.contactId).not.toBe(contactId);

    // The test's recipient uses every link it got: the mail client's one-click, the page's
    // "all emails" button, the preference page's "unsubscribe from all".
    const post = (url: string, fields: Record<string, string>) =>
      app.request(url.slice(PUBLIC_URL.length), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
    const answers = [
      await post(oneClick, { 'List-Unsubscribe': 'One-Click' }),
      await post(unsubscribe, { scope: 'all' }),
      await post(preferences, { unsubscribe_all: '1' }),
      await app.request(preferences.slice(PUBLIC_URL.length)),
      await app.request(unsubscribe.slice(PUBLIC_URL.length)),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('This was a test email');
    }
    const mailto = /<(mailto:[^>]+)>/.exec(listUnsubscribe)![1]!;
    const subject = decodeURIComponent(new URL(mailto).searchParams.get('subject')!);
    const forwarded = await app.request('/api/webhooks/email-feedback', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'message/rfc822' },
      body: `From: tester@acme.test\r\nSubject: ${subject}\r\n\r\n`,
    });
    expect(await forwarded.json()).toMatchObject({ unsubscribed: 0 });

    expect(await listTopicConsents(db.sql, contactId)).toEqual([]);
    expect(await suppressionReasons(db.sql, db.workspaceId, 'real@example.com')).toEqual([]);
    expect(await suppressionReasons(db.sql, db.workspaceId, 'tester@acme.test')).toEqual([]);
    const [events] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from events
      where contact_id = ${contactId} and name like 'email.%'`;
    expect(events!.count).toBe(0);
  });
});

describe("what a contact's data does to a template", () => {
  const messagesOfTemplate = async (templateId: string) =>
    (
      await db.sql<{ n: number }[]>`
        select count(*)::int as n from email_messages where template_id = ${templateId}`
    )[0]!.n;

  it('preview and test send answer 422 naming the problem when the data breaks the template, and a test records nothing', async () => {
    const id = (
      await call('POST', '/api/templates', {
        ...NEWSLETTER,
        body: {
          kind: 'html',
          source:
            '<p>{% for i in (1..contact.n) %}x{% endfor %}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
        },
      })
    ).body.id as string;
    const contactId = await insertContact(db.sql, db.workspaceId, {
      email: 'huge@example.com',
      properties: { n: 100_000_000 },
    });
    const preview = await call('POST', `/api/templates/${id}/preview`, { contactId });
    expect(preview.status).toBe(422);
    expect(preview.body.error.code).toBe('template_does_not_render');
    expect(preview.body.error.issues).toEqual([
      expect.objectContaining({
        field: 'body',
        message: expect.stringContaining('would run 100,000,000 times (contact.n is 100000000)'),
      }),
    ]);
    const before = server.received.length;
    const test = await call('POST', `/api/templates/${id}/test-send`, {
      to: 'tester@acme.test',
      contactId,
    });
    expect(test.status).toBe(422);
    expect(test.body.error.issues[0].field).toBe('body');
    expect(server.received).toHaveLength(before);
    expect(await messagesOfTemplate(id)).toBe(0);
  });

  it('warns at save about a subject empty for some contacts, and a test for such a contact is refused', async () => {
    const draft = { ...NEWSLETTER, subject: '{{ contact.first_name }}' };
    const check = await call('POST', '/api/templates/check', draft);
    expect(check.body).toMatchObject({
      ok: true,
      issues: [],
      warnings: [{ field: 'subject', message: expect.stringContaining('The subject is empty') }],
    });
    const saved = await call('POST', '/api/templates', draft);
    expect(saved.status).toBe(201);
    expect(saved.body.warnings).toEqual([expect.objectContaining({ field: 'subject' })]);
    const id = saved.body.id as string;

    const nameless = await insertContact(db.sql, db.workspaceId, { email: 'anon@example.com' });
    const preview = await call('POST', `/api/templates/${id}/preview`, { contactId: nameless });
    expect(preview.status).toBe(200);
    expect(preview.body.warnings).toEqual([
      {
        field: 'subject',
        message: expect.stringContaining('The subject is empty for this contact'),
      },
    ]);
    const before = server.received.length;
    const test = await call('POST', `/api/templates/${id}/test-send`, {
      to: 'tester@acme.test',
      contactId: nameless,
    });
    expect(test.status).toBe(422);
    expect(test.body.error.issues).toEqual([
      {
        field: 'subject',
        message: expect.stringContaining('The subject is empty for this contact'),
      },
    ]);
    expect(server.received).toHaveLength(before);
    expect(await messagesOfTemplate(id)).toBe(0);

    const named = await insertContact(db.sql, db.workspaceId, {
      email: 'named@example.com',
      properties: { first_name: 'Nina' },
    });
    const sent = await call('POST', `/api/templates/${id}/test-send`, {
      to: 'tester@acme.test',
      contactId: named,
    });
    expect(sent.status).toBe(200);
    expect(headersOf(server.received.at(-1)!.raw).get('subject')).toBe('[Test] Nina');
  });

  it('warns in the editor about a variable no contact has, naming the closest known one', async () => {
    for (const name of ['first_name', 'city']) {
      await declareKnownProperty(db.sql, db.workspaceId, {
        scope: 'contact',
        event: '',
        name,
        type: 'string',
      });
    }
    for (const name of ['product', 'order_id']) {
      await declareKnownProperty(db.sql, db.workspaceId, {
        scope: 'event',
        event: 'order.completed',
        name,
        type: 'string',
      });
    }
    const good = await call('POST', '/api/templates/check', NEWSLETTER);
    expect(good.body).toMatchObject({ ok: true, issues: [], warnings: [] });
    const typo = await call('POST', '/api/templates/check', {
      ...NEWSLETTER,
      subject: 'Hi {{ contact.firstname }}, about your {{ event.product }}',
    });
    expect(typo.body).toMatchObject({
      ok: true,
      issues: [],
      warnings: [
        {
          field: 'subject',
          message: expect.stringContaining('did you mean contact.first_name?'),
        },
      ],
    });
  });
});

describe('the message log', () => {
  it('lists sent, skipped and outbox messages, filtered by contact and status, page by page', async () => {
    const template = (await call('POST', '/api/templates', NEWSLETTER)).body.id as string;
    const send = createEmailActivities({ sql: db.sql, provider, tracking, dispatcher });
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'log@example.com' });
    const suppressed = await insertContact(db.sql, db.workspaceId, { email: 'no@example.com' });
    await call('POST', '/api/suppressions', { email: 'no@example.com' });
    const base = {
      workspaceId: db.workspaceId,
      templateId: template,
      journeyId: 'j',
      runId: 'r',
      nodeId: 'n',
    };
    for (let i = 0; i < 3; i++) {
      await send.sendEmail({ ...base, contactId, idempotencyKey: `log:${i}` });
    }
    await send.sendEmail({ ...base, contactId: suppressed, idempotencyKey: 'log:skip' });
    // As a journey's batch writes them: one transaction, one instant, to the microsecond.
    await db.sql`
      update email_messages set created_at = '2026-05-01T10:00:00.123456Z'
      where contact_id = ${contactId}`;

    const first = await call('GET', `/api/messages?contactId=${contactId}&limit=2`);
    expect(first.body.messages).toHaveLength(2);
    expect(first.body.messages[0]).toMatchObject({
      status: 'sent',
      to: 'log@example.com',
      provider: 'smtp',
    });
    const second = await call(
      'GET',
      `/api/messages?contactId=${contactId}&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.messages).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.messages, ...second.body.messages].map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(3);

    const skipped = await call('GET', '/api/messages?status=skipped');
    expect(skipped.body.messages).toEqual([
      expect.objectContaining({ contactId: suppressed, statusReason: 'suppressed_manual' }),
    ]);
    const one = await call('GET', `/api/messages/${ids[0]}`);
    expect(one.body).toMatchObject({ id: ids[0], status: 'sent', rendered: null });

    // Without SMTP the dev outbox keeps what was sent, and the log shows it.
    const outbox = createTestApp({ db, temporal, dispatcher });
    const test = await outbox.call('POST', `/api/templates/${template}/test-send`, {
      to: 'dev@acme.test',
    });
    const kept = await outbox.call('GET', `/api/messages/${test.body.messageId}`);
    expect(kept.body).toMatchObject({ provider: 'outbox', status: 'sent', to: 'dev@acme.test' });
    expect(kept.body.outboxId).not.toBeNull();
    expect(kept.body.rendered.subject).toBe('[Test] Hi there, about your');
    expect(kept.body.rendered.html).toContain('Hello there from somewhere');
    expect(kept.body.rendered.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    expect((await call('GET', '/api/messages?status=lost')).body.error.issues[0].field).toBe(
      'query.status',
    );
    expect((await call('GET', '/api/messages?cursor=xyz')).status).toBe(400);
  });
});

describe('topics and suppressions', () => {
  it('creates, edits, lists and deletes topics; a duplicate key is a 409 on the key', async () => {
    const created = await call('POST', '/api/topics', {
      key: 'offers',
      name: 'Offers',
      optIn: true,
    });
    expect(created).toMatchObject({
      status: 201,
      body: { key: 'offers', optIn: true, important: false },
    });
    expect((await call('POST', '/api/topics', { key: 'offers', name: 'Again' })).status).toBe(409);
    expect(
      (await call('POST', '/api/topics', { key: 'Bad Key', name: 'x' })).body.error.issues[0].field,
    ).toBe('key');
    const edited = await call('PUT', '/api/topics/offers', { name: 'Deals', important: true });
    expect(edited.body).toMatchObject({ name: 'Deals', important: true, optIn: false });
    const keys = (await call('GET', '/api/topics')).body.topics.map((t: { key: string }) => t.key);
    expect(keys).toEqual(expect.arrayContaining(['newsletter', 'offers']));
    expect((await call('DELETE', '/api/topics/offers')).status).toBe(204);
    expect((await call('GET', '/api/topics/offers')).status).toBe(404);
  });

  it('adds, lists and removes suppressions', async () => {
    const added = await call('POST', '/api/suppressions', {
      email: ' Block@Example.com ',
      detail: 'asked by phone',
    });
    expect(added).toMatchObject({
      status: 201,
      body: { email: 'block@example.com', reasons: ['manual'] },
    });
    const list = await call('GET', '/api/suppressions');
    expect(list.body.suppressions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: 'block@example.com', reason: 'manual' }),
      ]),
    );
    expect(
      (await call('POST', '/api/suppressions', { email: 'x@y.z', reason: 'complaint' })).status,
    ).toBe(400);
    expect((await call('DELETE', '/api/suppressions/block@example.com')).status).toBe(204);
    expect((await call('DELETE', '/api/suppressions/block@example.com')).status).toBe(404);
  });
});
