import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';
import { NEWSLETTER, saveTemplate, saveTopic } from '../email/support';

// What the audience screens read beyond the plain resources: a form's submissions, the
// suppression list searched, filtered and paged, and a topic that templates still use.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let app: ReturnType<typeof createTestApp>['app'];
let call: ReturnType<typeof createTestApp>['call'];

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ app, call } = createTestApp({
    db,
    temporal,
    dispatcher: createRecordingDispatcher().dispatcher,
  }));
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const FIELDS = [
  { type: 'email', name: 'email', label: 'Email' },
  { type: 'text', name: 'first_name', label: 'First name', property: 'first_name' },
];

async function createForm(name: string) {
  const created = await call('POST', '/api/forms', { name, definition: { fields: FIELDS } });
  expect(created.status).toBe(201);
  return created.body as { id: string };
}

let ip = 0;
async function submit(formId: string, email: string) {
  const response = await app.request(`/f/${formId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'x-forwarded-for': `198.51.100.${++ip}`,
    },
    body: new URLSearchParams({ email, first_name: 'Ada' }).toString(),
  });
  expect(response.status).toBe(200);
}

describe('form submissions', () => {
  it('counts each form’s accepted submissions in the list and lists its latest with the address', async () => {
    const newsletter = await createForm('Newsletter');
    const webinar = await createForm('Webinar');
    await submit(newsletter.id, 'ada@example.com');
    await submit(newsletter.id, 'grace@example.com');
    await submit(webinar.id, 'linus@example.com');

    const list = await call('GET', '/api/forms');
    const counts = Object.fromEntries(
      (list.body.forms as { name: string; submissions: number }[]).map((f) => [
        f.name,
        f.submissions,
      ]),
    );
    expect(counts).toEqual({ Newsletter: 2, Webinar: 1 });

    const recent = await call('GET', `/api/forms/${newsletter.id}/submissions?limit=1`);
    expect(recent.status).toBe(200);
    expect(recent.body.total).toBe(2);
    expect(recent.body.submissions).toEqual([
      expect.objectContaining({ email: 'grace@example.com', contactId: expect.any(String) }),
    ]);
  });

  it('answers 404 for the submissions of an archived form', async () => {
    const form = await createForm('Old');
    expect((await call('DELETE', `/api/forms/${form.id}`)).status).toBe(204);
    expect((await call('GET', `/api/forms/${form.id}/submissions`)).status).toBe(404);
  });
});

describe('suppression list', () => {
  it('searches by part of the address, filters by reason and pages with hasMore', async () => {
    for (const [email, reason] of [
      ['one@acme.test', 'manual'],
      ['two@acme.test', 'unsubscribed'],
      ['three@acme.test', 'manual'],
      ['other@example.com', 'manual'],
    ] as const) {
      expect((await call('POST', '/api/suppressions', { email, reason })).status).toBe(201);
    }
    const emails = (body: { suppressions: { email: string }[] }) =>
      body.suppressions.map((s) => s.email).sort();

    const acme = await call('GET', '/api/suppressions?q=ACME.test');
    expect(emails(acme.body)).toEqual(['one@acme.test', 'three@acme.test', 'two@acme.test']);
    const manual = await call('GET', '/api/suppressions?q=acme&reason=manual');
    expect(emails(manual.body)).toEqual(['one@acme.test', 'three@acme.test']);

    const first = await call('GET', '/api/suppressions?limit=3');
    expect(first.body.suppressions).toHaveLength(3);
    expect(first.body.hasMore).toBe(true);
    const second = await call('GET', '/api/suppressions?limit=3&offset=3');
    expect(second.body.suppressions).toHaveLength(1);
    expect(second.body.hasMore).toBe(false);
    expect([...emails(first.body), ...emails(second.body)].sort()).toHaveLength(4);

    const bad = await call('GET', '/api/suppressions?reason=spam');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].field).toBe('query.reason');
  });
});

describe('topic deletion', () => {
  it('refuses to delete a topic a template uses, naming the template, and deletes it once free', async () => {
    await saveTopic(db.sql, db.workspaceId, 'newsletter');
    const template = await saveTemplate(db.sql, db.workspaceId, NEWSLETTER);
    const refused = await call('DELETE', '/api/topics/newsletter');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(NEWSLETTER.name);
    expect(refused.body.error.issues[0].field).toBe('key');

    expect((await call('DELETE', `/api/templates/${template.id}`)).status).toBe(204);
    expect((await call('DELETE', '/api/topics/newsletter')).status).toBe(204);
  });

  it('refuses to delete a topic a signup form subscribes to, by itself or by a checkbox', async () => {
    await saveTopic(db.sql, db.workspaceId, 'offers');
    const created = await call('POST', '/api/forms', {
      name: 'Deals',
      definition: {
        fields: [...FIELDS, { type: 'checkbox', name: 'deals', label: 'Deals', topic: 'offers' }],
      },
    });
    expect(created.status).toBe(201);
    const refused = await call('DELETE', '/api/topics/offers');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('the signup form “Deals”');

    expect((await call('DELETE', `/api/forms/${created.body.id}`)).status).toBe(204);
    expect((await call('DELETE', '/api/topics/offers')).status).toBe(204);
  });
});
