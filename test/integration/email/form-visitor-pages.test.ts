import { beforeAll, describe, expect, it } from 'vitest';
import { useEmailApp, type EmailApp } from './support';

// A visitor fills in a form still embedded on a site after the marketer archived it, or on a
// site the form does not list: their browser used to show a raw JSON error. It now shows a page
// in their language that says what happened; a script posting JSON keeps its JSON error.
const email = useEmailApp();
let app: EmailApp['app'];
let call: EmailApp['call'];

beforeAll(() => {
  ({ app, call } = email);
});

async function createForm(name: string) {
  const created = await call('POST', '/api/forms', {
    name,
    definition: {
      fields: [{ type: 'email', name: 'email', label: 'Email' }],
      allowedOrigins: ['https://www.acme.test'],
    },
  });
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

let ip = 0;
/** What a browser sends when a visitor presses the button of an embedded form. */
function browserPost(formId: string, headers: Record<string, string> = {}) {
  return app.request(`/f/${formId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      origin: 'https://www.acme.test',
      'x-forwarded-for': `198.51.100.${++ip}`,
      ...headers,
    },
    body: 'email=ada%40example.com',
  });
}

describe('what a visitor’s browser shows when a form cannot take their signup', () => {
  it('an archived form: a page saying it is closed, in the visitor’s language', async () => {
    const formId = await createForm('Spring contest');
    expect((await call('DELETE', `/api/forms/${formId}`)).status).toBe(204);

    const posted = await browserPost(formId, { 'accept-language': 'fr-FR,fr;q=0.9' });
    expect(posted.status).toBe(404);
    expect(posted.headers.get('content-type')).toContain('text/html');
    const page = await posted.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('Ce formulaire est fermé');

    const hosted = await app.request(`/f/${formId}`, { headers: { accept: 'text/html' } });
    expect(hosted.status).toBe(404);
    expect(await hosted.text()).toContain('This form is closed');

    const script = await app.request(`/f/${formId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://www.acme.test' },
      body: JSON.stringify({ email: 'ada@example.com' }),
    });
    expect(script.status).toBe(404);
    expect(await script.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('a site the form does not allow: a page saying so; a script gets the JSON naming the site', async () => {
    const formId = await createForm('Footer');
    const posted = await browserPost(formId, { origin: 'https://blog.example.org' });
    expect(posted.status).toBe(403);
    expect(posted.headers.get('content-type')).toContain('text/html');
    expect(await posted.text()).toContain('This form cannot be sent from this site');

    const script = await app.request(`/f/${formId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://blog.example.org' },
      body: JSON.stringify({ email: 'ada@example.com' }),
    });
    expect(script.status).toBe(403);
    expect(await script.json()).toMatchObject({
      error: {
        code: 'origin_not_allowed',
        message: expect.stringContaining('https://blog.example.org') as unknown,
      },
    });
    // The allowed site still signs people up.
    expect((await browserPost(formId)).status).toBe(200);
  });
});
