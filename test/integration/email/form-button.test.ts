// The button of a form's embed snippet: the marketer's words as written when the form names
// them, else "Subscribe" in the workspace's page language (a snippet has no visitor to ask). The
// hosted page shows the same label.
import { expect, it } from 'vitest';
import { useEmailApp } from './support';

const env = useEmailApp();

const FIELDS = [{ type: 'email', name: 'email', label: 'Courriel' }];

async function snippetOf(id: string): Promise<string> {
  const got = await env.call('GET', `/api/forms/${id}`);
  expect(got.status).toBe(200);
  return got.body.snippet as string;
}

it('says "Subscribe" in the workspace’s page language, and the marketer’s label as written', async () => {
  const created = await env.call('POST', '/api/forms', {
    name: 'Lettre',
    definition: { fields: FIELDS },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect(created.body.snippet).toContain('<button type="submit">Subscribe</button>');

  expect((await env.call('PATCH', '/api/workspace', { pageLanguage: 'fr' })).status).toBe(200);
  expect(await snippetOf(id)).toContain('<button type="submit">M’inscrire</button>');
  const listed = await env.call('GET', '/api/forms');
  expect(listed.body.forms[0].snippet).toContain('>M’inscrire</button>');

  const saved = await env.call('PUT', `/api/forms/${id}`, {
    name: 'Lettre',
    definition: { fields: FIELDS, submitLabel: '  Je veux la lettre & les offres ' },
  });
  expect(saved.status).toBe(200);
  expect(saved.body.definition.submitLabel).toBe('Je veux la lettre & les offres');
  expect(saved.body.snippet).toContain(
    '<button type="submit">Je veux la lettre &amp; les offres</button>',
  );
  const page = await (await env.app.request(`/f/${id}`)).text();
  expect(page).toContain('<button type="submit">Je veux la lettre &amp; les offres</button>');

  // A label left blank is none: back to the page language's word.
  const blank = await env.call('PUT', `/api/forms/${id}`, {
    name: 'Lettre',
    definition: { fields: FIELDS, submitLabel: '   ' },
  });
  expect(blank.body.definition.submitLabel).toBeNull();
  expect(blank.body.snippet).toContain('>M’inscrire</button>');

  const tooLong = await env.call('PUT', `/api/forms/${id}`, {
    name: 'Lettre',
    definition: { fields: FIELDS, submitLabel: 'x'.repeat(61) },
  });
  expect(tooLong.status).toBe(400);
  expect(JSON.stringify(tooLong.body)).toContain('Keep the button label to 60 characters');
  await env.call('PATCH', '/api/workspace', { pageLanguage: null });
});
