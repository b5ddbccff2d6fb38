import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONFIRMATION,
  PUBLIC_URL,
  saveTemplate,
  saveTopic,
  tracking,
  useEmailApp,
  type EmailApp,
} from './support';

// A marketer running double opt-in reads on the forms list and the form's page how many people
// signed up and how many of them confirmed: not submissions, nor "Confirmation sent" beside
// someone who has long since clicked.
const email = useEmailApp();
let app: EmailApp['app'];
let call: EmailApp['call'];
let formId: string;

beforeAll(async () => {
  ({ app, call } = email);
  const { db } = email;
  await saveTopic(db.sql, db.workspaceId, 'newsletter', true);
  const confirmation = await saveTemplate(db.sql, db.workspaceId, CONFIRMATION);
  const created = await call('POST', '/api/forms', {
    name: 'Newsletter signup',
    definition: {
      fields: [{ type: 'email', name: 'email', label: 'Email' }],
      topics: ['newsletter'],
      doubleOptIn: true,
      confirmationTemplateId: confirmation.id,
    },
  });
  expect(created.status).toBe(201);
  formId = (created.body as { id: string }).id;
});

let ip = 0;
async function signUp(address: string) {
  const response = await app.request(`/f/${formId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'x-forwarded-for': `198.51.100.${++ip}`,
    },
    body: new URLSearchParams({ email: address }).toString(),
  });
  expect(response.status).toBe(200);
}

async function contactId(address: string) {
  const [row] = await email.db.sql<{ id: string }[]>`
    select id from contacts where workspace_id = ${email.db.workspaceId} and email = ${address}`;
  return row!.id;
}

type Listed = { email: string; confirmedAt: string | null; confirmation: { status: string } };

describe('a double opt-in form’s numbers', () => {
  it('counts people and those who confirmed, and marks each signup of a confirmed person', async () => {
    await signUp('ada@example.com');
    await signUp('grace@example.com');
    await signUp('ada@example.com'); // the same person, again

    const before = await call('GET', `/api/forms/${formId}/submissions`);
    expect(before.body).toMatchObject({ total: 3, people: 2, confirmed: 0 });

    // Ada clicks the link of her first email; Grace never does.
    const confirmUrl = tracking.confirmUrl({
      workspaceId: email.db.workspaceId,
      contactId: await contactId('ada@example.com'),
      formId,
      topics: ['newsletter'],
    });
    const pressed = await app.request(confirmUrl.slice(PUBLIC_URL.length), { method: 'POST' });
    expect(pressed.status).toBe(200);
    // A second press changes no number.
    await app.request(confirmUrl.slice(PUBLIC_URL.length), { method: 'POST' });

    const list = await call('GET', '/api/forms');
    expect(list.body.forms).toEqual([
      expect.objectContaining({ id: formId, submissions: 3, people: 2, confirmed: 1 }),
    ]);

    const after = await call('GET', `/api/forms/${formId}/submissions`);
    expect(after.body).toMatchObject({ total: 3, people: 2, confirmed: 1 });
    const rows = (after.body.submissions as Listed[]).map((s) => [
      s.email,
      s.confirmedAt === null ? 'not confirmed' : 'confirmed',
      s.confirmation.status,
    ]);
    expect(rows).toEqual([
      ['ada@example.com', 'confirmed', 'sent'],
      ['grace@example.com', 'not confirmed', 'sent'],
      ['ada@example.com', 'confirmed', 'sent'],
    ]);
  });
});
