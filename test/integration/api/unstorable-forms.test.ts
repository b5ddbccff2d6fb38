// Text PostgreSQL cannot store (a null character, half a character) posted by a visitor to a
// signup form or through the links in an email: a plain answer on the page, never a 500.

import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/db';
import { insertContact, saveTopic, tracking, useEmailApp, type EmailApp } from '../email/support';

const NUL = '\u0000';
const HALF = '\ud800';

const env = useEmailApp();
let db: TestDatabase;
let app: EmailApp['app'];
let call: EmailApp['call'];

beforeAll(async () => {
  ({ db, app, call } = env);
  await saveTopic(db.sql, db.workspaceId, 'newsletter', true);
});

let ipCounter = 0;
const headers = (type: string, accept = 'text/html') => ({
  'content-type': type,
  accept,
  'x-forwarded-for': `198.51.100.${++ipCounter}`,
});

async function createForm() {
  const created = await call('POST', '/api/forms', {
    name: 'Signup',
    definition: {
      fields: [
        { type: 'email', name: 'email', label: 'Email' },
        { type: 'text', name: 'first_name', label: 'First name', property: 'first_name' },
      ],
      topics: ['newsletter'],
      doubleOptIn: false,
      allowedOrigins: [],
    },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function contactCount(email: string) {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from contacts where workspace_id = ${db.workspaceId} and email = ${email}`;
  return row!.n;
}

describe('the public signup form', () => {
  it('tells the visitor which field holds a character that cannot be saved, as JSON and as a page', async () => {
    const formId = await createForm();
    // JSON from the site's own script: a null character, then half a character.
    for (const bad of [`Ann${NUL}`, `Ann${HALF}`]) {
      const response = await app.request(`/f/${formId}`, {
        method: 'POST',
        headers: headers('application/json', 'application/json'),
        body: JSON.stringify({ email: 'nul-json@example.com', first_name: bad }),
      });
      expect(response.status).toBe(422);
      const body = (await response.json()) as {
        error: { code: string; message: string; issues: { field: string; message: string }[] };
      };
      expect(body.error.code).toBe('invalid_submission');
      expect(body.error.issues).toEqual([
        { field: 'first_name', message: expect.stringContaining('First name') },
      ]);
    }
    expect(await contactCount('nul-json@example.com')).toBe(0);

    // The hosted page posts form-encoded: %00 is a null character.
    const page = await app.request(`/f/${formId}`, {
      method: 'POST',
      headers: headers('application/x-www-form-urlencoded'),
      body: 'email=nul-form%40example.com&first_name=Ann%00',
    });
    expect(page.status).toBe(422);
    const html = await page.text();
    expect(html).toContain('First name');
    expect(html).toContain('Back to the form');
    expect(await contactCount('nul-form@example.com')).toBe(0);

    // A field the form does not have is ignored, whatever it holds.
    const extra = await app.request(`/f/${formId}`, {
      method: 'POST',
      headers: headers('application/json', 'application/json'),
      body: JSON.stringify({ email: 'extra@example.com', first_name: 'Ann', junk: NUL }),
    });
    expect(extra.status).toBe(200);
    expect(await contactCount('extra@example.com')).toBe(1);
  });
});

describe('links from emails', () => {
  it('answers a mangled token or a form post holding a null character without a 500', async () => {
    for (const path of ['/t/o/a%00b', '/t/c/a%00b', '/u/a%00b', '/p/a%00b', '/s/a%00b']) {
      expect((await app.request(path)).status, path).toBe(403);
    }
    expect((await app.request('/u/a%00b', { method: 'POST' })).status).toBe(403);

    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'links@example.com' });
    const preferences = new URL(tracking.preferencesUrl({ workspaceId: db.workspaceId, contactId }))
      .pathname;
    const post = (path: string, body: string) =>
      app.request(path, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    expect((await post(preferences, 'topic=news%00letter&frequency=every')).status).toBe(303);
    expect((await post(preferences, 'frequency=every%00')).status).toBe(400);
    const unsubscribe = new URL(
      tracking.unsubscribeUrl({
        workspaceId: db.workspaceId,
        contactId,
        messageId: null,
        topic: 'newsletter',
      }),
    ).pathname;
    expect((await post(unsubscribe, 'scope=all%00')).status).toBe(200);
  });
});
