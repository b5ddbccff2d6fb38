import { beforeAll, describe, expect, it } from 'vitest';
import { createEmailActivities } from '@relance/activities/send-email';
import { listTopicConsents, type MailProvider } from '@relance/email';
import type { TestDatabase } from '../../support/db';
import {
  CONFIRMATION,
  eventsOf,
  headersOf,
  linksIn,
  NEWSLETTER,
  partOf,
  PUBLIC_URL,
  saveTemplate,
  saveTopic,
  tracking,
  type TestSmtpServer,
  useEmailApp,
  type EmailApp,
} from './support';

let confirmationId: string;
let newsletterId: string;
let segmentId: string;

const email = useEmailApp();
const { recording } = email;
let db: TestDatabase;
let server: TestSmtpServer;
let provider: MailProvider;
let app: EmailApp['app'];
let call: EmailApp['call'];

beforeAll(async () => {
  ({ db, server, provider, app, call } = email);
  await saveTopic(db.sql, db.workspaceId, 'newsletter', true);
  await saveTopic(db.sql, db.workspaceId, 'offers', true);
  confirmationId = (await saveTemplate(db.sql, db.workspaceId, CONFIRMATION)).id;
  newsletterId = (await saveTemplate(db.sql, db.workspaceId, NEWSLETTER)).id;
  const [segment] = await db.sql<{ id: string }[]>`
    insert into segments (workspace_id, name, kind) values (${db.workspaceId}, 'Signed up', 'static')
    returning id`;
  segmentId = segment!.id;
});

function definition(overrides: Record<string, unknown> = {}) {
  return {
    fields: [
      { type: 'email', name: 'email', label: 'Email' },
      { type: 'text', name: 'first_name', label: 'First name', property: 'first_name' },
      {
        type: 'select',
        name: 'interest',
        label: 'Interest',
        property: 'interest',
        options: [
          { value: 'tea', label: 'Tea' },
          { value: 'coffee', label: 'Coffee' },
        ],
      },
      { type: 'checkbox', name: 'deals', label: 'Send me offers', topic: 'offers' },
    ],
    topics: ['newsletter'],
    targetSegmentId: segmentId,
    allowedOrigins: ['https://www.acme.test'],
    ...overrides,
  };
}

async function createForm(overrides: Record<string, unknown> = {}, name = 'Newsletter signup') {
  const created = await call('POST', '/api/forms', { name, definition: definition(overrides) });
  expect(created.status).toBe(201);
  return created.body as { id: string; submitUrl: string; snippet: string };
}

let ipCounter = 0;
/** A browser posting the form (form-encoded), from its own address unless told otherwise. */
function submit(
  formId: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return app.request(`/f/${formId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': `203.0.113.${++ipCounter}`,
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
}

async function contactByEmail(email: string) {
  const [row] = await db.sql<{ id: string; properties: Record<string, unknown> }[]>`
    select id, properties from contacts where workspace_id = ${db.workspaceId} and email = ${email}`;
  return row;
}
async function inSegment(contactId: string) {
  const rows = await db.sql`
    select 1 from segment_members where segment_id = ${segmentId} and contact_id = ${contactId}`;
  return rows.length > 0;
}

describe('forms API', () => {
  it('creates a form with its public URL and embeddable snippet; the hosted page serves it', async () => {
    const form = await createForm();
    expect(form.submitUrl).toBe(`${PUBLIC_URL}/f/${form.id}`);
    expect(form.snippet).toContain(`action="${PUBLIC_URL}/f/${form.id}"`);
    expect(form.snippet).toContain('name="website"'); // the honeypot
    const page = await app.request(`/f/${form.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>Newsletter signup</h1>');
    expect(html).toContain('name="viewport"');
    expect((await call('GET', '/api/forms')).body.forms.map((f: { id: string }) => f.id)).toContain(
      form.id,
    );
    expect((await call('DELETE', `/api/forms/${form.id}`)).status).toBe(204);
    expect((await app.request(`/f/${form.id}`)).status).toBe(404);
  });

  it('refuses unknown references and a marketing confirmation email with 422 naming the field', async () => {
    const response = await call('POST', '/api/forms', {
      name: 'Broken',
      definition: definition({
        topics: ['nope'],
        targetSegmentId: '00000000-0000-4000-8000-000000000000',
        doubleOptIn: true,
        confirmationTemplateId: newsletterId,
      }),
    });
    expect(response.status).toBe(422);
    expect(response.body.error.issues).toEqual(
      expect.arrayContaining([
        {
          field: 'definition.confirmationTemplateId',
          message: expect.stringMatching(/transactional/),
        },
        { field: 'definition.targetSegmentId', message: 'No segment has this id' },
        { field: 'definition.topics.0', message: 'No topic nope exists' },
      ]),
    );
    const invalid = await call('POST', '/api/forms', { name: 'x', definition: { fields: [] } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues[0].field).toBe('definition.fields');
  });
});

describe('submissions', () => {
  it('a plain submission creates the contact, records consent with time, source and IP, and form.submitted', async () => {
    const form = await createForm();
    const response = await submit(
      form.id,
      { email: 'Sam@Example.com ', first_name: 'Sam', interest: 'tea', deals: 'on' },
      { 'x-forwarded-for': '198.51.100.7' },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Thanks for signing up!');
    const contact = (await contactByEmail('sam@example.com'))!;
    expect(contact.properties).toMatchObject({ first_name: 'Sam', interest: 'tea' });
    const consents = await listTopicConsents(db.sql, contact.id);
    expect(consents).toEqual([
      expect.objectContaining({
        topic: 'newsletter',
        status: 'subscribed',
        source: `form:${form.id}`,
        ip: '198.51.100.7',
      }),
      expect.objectContaining({ topic: 'offers', status: 'subscribed', ip: '198.51.100.7' }),
    ]);
    expect(consents[0]!.updatedAt).toBeInstanceOf(Date);
    const [submitted] = await eventsOf(db.sql, contact.id, 'form.submitted');
    expect(submitted!.properties).toMatchObject({
      formId: form.id,
      interest: 'tea',
      topics: ['newsletter', 'offers'],
    });
    expect(recording.calls.events).toContain(submitted!.id);
    expect(await inSegment(contact.id)).toBe(true);
  });

  it('drops a bot that fills the honeypot, answering as if it worked', async () => {
    const form = await createForm();
    const response = await submit(form.id, { email: 'bot@example.com', website: 'http://spam' });
    expect(response.status).toBe(200);
    expect(await contactByEmail('bot@example.com')).toBeUndefined();
  });

  it('limits submissions per client address', async () => {
    const form = await createForm();
    const headers = { 'x-forwarded-for': '192.0.2.99', accept: 'application/json' };
    for (let i = 0; i < 10; i++) {
      expect((await submit(form.id, { email: `r${i}@example.com` }, headers)).status).toBe(200);
    }
    const limited = await submit(form.id, { email: 'r10@example.com' }, headers);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('600');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(await contactByEmail('r10@example.com')).toBeUndefined();
    // Another address is not affected.
    expect((await submit(form.id, { email: 'other@example.com' })).status).toBe(200);
  });

  it('answers CORS for the allowed sites only, and takes JSON from their scripts', async () => {
    const form = await createForm();
    const preflight = await app.request(`/f/${form.id}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://www.acme.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://www.acme.test');

    const json = await app.request(`/f/${form.id}`, {
      method: 'POST',
      headers: {
        origin: 'https://www.acme.test',
        'content-type': 'application/json',
        'x-forwarded-for': '203.0.113.200',
      },
      body: JSON.stringify({ email: 'js@example.com', interest: 'coffee' }),
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('access-control-allow-origin')).toBe('https://www.acme.test');
    expect(await json.json()).toEqual({
      ok: true,
      message: 'Thanks for signing up!',
      confirmationRequired: false,
    });

    const foreign = await submit(
      form.id,
      { email: 'x@example.com' },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(await contactByEmail('x@example.com')).toBeUndefined();
  });

  it('names each invalid field', async () => {
    const form = await createForm();
    const response = await submit(
      form.id,
      { email: 'not-an-address', interest: 'wine' },
      { accept: 'application/json' },
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as {
      error: { issues: { field: string; message: string }[] };
    };
    expect(body.error.issues).toEqual([
      { field: 'email', message: 'Enter a valid email address' },
      { field: 'interest', message: 'Choose one of the options for Interest' },
    ]);
    expect(
      (await submit('00000000-0000-4000-8000-000000000000', { email: 'a@b.test' })).status,
    ).toBe(404);
  });
});

describe('double opt-in, end to end through real SMTP', () => {
  it('pending until the emailed link is clicked; then subscribed, in the segment, and mailed', async () => {
    const form = await createForm({ doubleOptIn: true, confirmationTemplateId: confirmationId });
    const before = server.received.length;
    const response = await submit(form.id, { email: 'dora@example.com', first_name: 'Dora' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Check your inbox');
    const contact = (await contactByEmail('dora@example.com'))!;
    expect(await listTopicConsents(db.sql, contact.id)).toEqual([
      expect.objectContaining({ topic: 'newsletter', status: 'pending' }),
    ]);
    expect(await inSegment(contact.id)).toBe(false);

    // Marketing to a pending topic waits for the confirmation.
    const send = createEmailActivities({
      sql: db.sql,
      provider,
      tracking,
      dispatcher: recording.dispatcher,
    });
    const base = {
      workspaceId: db.workspaceId,
      contactId: contact.id,
      templateId: newsletterId,
      journeyId: 'j',
      runId: 'r',
      nodeId: 'n',
    };
    expect(await send.sendEmail({ ...base, idempotencyKey: 'doi:1' })).toMatchObject({
      outcome: 'skipped',
      reason: 'topic_pending_confirmation',
    });

    // The confirmation email arrived, personalised, with a signed /s/ link.
    expect(server.received).toHaveLength(before + 1);
    const mail = server.received.at(-1)!;
    expect(mail.to).toEqual(['dora@example.com']);
    expect(headersOf(mail.raw).get('subject')).toBe('Please confirm your subscription');
    expect(headersOf(mail.raw).get('list-unsubscribe')).toBeUndefined(); // transactional
    const html = partOf(mail.raw, 'text/html');
    expect(html).toContain('Hi Dora');
    const confirm = linksIn(html).find((link) => link.startsWith(`${PUBLIC_URL}/s/`))!;
    expect(tracking.verifyConfirm(confirm.slice(`${PUBLIC_URL}/s/`.length))).toEqual({
      workspaceId: db.workspaceId,
      contactId: contact.id,
      formId: form.id,
      topics: ['newsletter'],
    });

    // A tampered link confirms nothing.
    const path = confirm.slice(PUBLIC_URL.length);
    expect((await app.request(`${path}x`, { method: 'POST' })).status).toBe(403);

    // Following the link (as a mail scanner does) shows the button and changes nothing.
    const shown = await app.request(path);
    expect(shown.status).toBe(200);
    const page = await shown.text();
    expect(page).toContain('d•••@example.com');
    expect(page).toContain(`<form method="post" action="${confirm}">`);
    expect(await listTopicConsents(db.sql, contact.id)).toEqual([
      expect.objectContaining({ topic: 'newsletter', status: 'pending' }),
    ]);
    expect(await inSegment(contact.id)).toBe(false);
    expect(await eventsOf(db.sql, contact.id, 'form.confirmed')).toEqual([]);

    // The person presses it.
    const confirmed = await app.request(path, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You are subscribed');
    expect(await listTopicConsents(db.sql, contact.id)).toEqual([
      expect.objectContaining({
        topic: 'newsletter',
        status: 'subscribed',
        source: `confirm:${form.id}`,
      }),
    ]);
    expect(await inSegment(contact.id)).toBe(true);
    // Pressing twice records the confirmation once.
    await app.request(path, { method: 'POST' });
    expect(await eventsOf(db.sql, contact.id, 'form.confirmed')).toHaveLength(1);
    expect(await eventsOf(db.sql, contact.id, 'email.sent')).toHaveLength(1);

    expect(await send.sendEmail({ ...base, idempotencyKey: 'doi:2' })).toMatchObject({
      outcome: 'sent',
    });
    expect(server.received).toHaveLength(before + 2);
  });
});
