// A visitor of a signup form has no contact yet: the hosted form page and its field errors speak
// the workspace's page language, else the browser's Accept-Language, else English. The form's
// labels and name stay as the marketer wrote them; a script's JSON keeps its English `issues`.

import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/db';
import { saveTopic, useEmailApp, type EmailApp } from './support';

const env = useEmailApp();
let db: TestDatabase;
let app: EmailApp['app'];
let call: EmailApp['call'];
let formId: string;

beforeAll(async () => {
  ({ db, app, call } = env);
  await saveTopic(db.sql, db.workspaceId, 'newsletter', true);
  const created = await call('POST', '/api/forms', {
    name: 'Lettre de la boutique',
    definition: {
      fields: [
        { type: 'email', name: 'email', label: 'Courriel' },
        { type: 'text', name: 'first_name', label: 'Prénom', required: true },
        {
          type: 'select',
          name: 'shop',
          label: 'Boutique',
          required: true,
          options: [{ value: 'lyon', label: 'Lyon' }],
        },
        { type: 'checkbox', name: 'terms', label: 'J’accepte les conditions', required: true },
      ],
      topics: ['newsletter'],
    },
  });
  expect(created.status).toBe(201);
  formId = created.body.id as string;
});

let ipCounter = 0;
/** The hosted page, as a browser asks for it. */
async function formPage(acceptLanguage?: string) {
  const response = await app.request(`/f/${formId}`, {
    headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {},
  });
  expect(response.status).toBe(200);
  return response.text();
}
/** An incomplete submission: no email, first name, shop or ticked terms. */
async function submitIncomplete(acceptLanguage?: string, accept = 'text/html') {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept,
    'x-forwarded-for': `192.0.2.${++ipCounter}`,
  };
  if (acceptLanguage) headers['accept-language'] = acceptLanguage;
  const response = await app.request(`/f/${formId}`, {
    method: 'POST',
    headers,
    body: 'email=&first_name=&shop=',
  });
  expect(response.status).toBe(422);
  return response;
}

describe('a French browser', () => {
  const FR = 'fr-FR,fr;q=0.9,en;q=0.5';

  it('gets the form page in French, the marketer’s labels as written', async () => {
    const html = await formPage(FR);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<button type="submit">M’inscrire</button>');
    expect(html).toContain('<title>Lettre de la boutique</title>');
    expect(html).toContain('>Prénom</label>');
    expect(html).not.toContain('Subscribe');
  });

  it('is told in French what to fix, on a French page', async () => {
    const html = await (await submitIncomplete(FR)).text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h1>Veuillez vérifier le formulaire</h1>');
    expect(html).toContain('Saisissez votre adresse e-mail');
    expect(html).toContain('Le champ «\u00a0Prénom\u00a0» est obligatoire');
    expect(html).toContain('Faites un choix pour «\u00a0Boutique\u00a0»');
    expect(html).toContain('Cochez la case «\u00a0J’accepte les conditions\u00a0»');
    expect(html).toContain('Retour au formulaire');
    expect(html).not.toMatch(/is required|Enter your email|must be ticked/);
  });

  it('gets French words in a script’s JSON too, beside the English issues it always had', async () => {
    const response = await submitIncomplete(FR, 'application/json');
    const { error } = (await response.json()) as {
      error: {
        code: string;
        message: string;
        language: string;
        issues: { field: string; message: string }[];
        localizedIssues: { field: string; reason: string; message: string }[];
      };
    };
    expect(error.code).toBe('invalid_submission');
    expect(error.language).toBe('fr');
    expect(error.issues).toEqual([
      { field: 'email', message: 'Enter your email address' },
      { field: 'first_name', message: 'Prénom is required' },
      { field: 'shop', message: 'Choose Boutique' },
      { field: 'terms', message: 'J’accepte les conditions must be ticked' },
    ]);
    expect(error.localizedIssues).toEqual([
      { field: 'email', reason: 'email_missing', message: 'Saisissez votre adresse e-mail' },
      {
        field: 'first_name',
        reason: 'required',
        message: 'Le champ «\u00a0Prénom\u00a0» est obligatoire',
      },
      {
        field: 'shop',
        reason: 'not_chosen',
        message: 'Faites un choix pour «\u00a0Boutique\u00a0»',
      },
      {
        field: 'terms',
        reason: 'not_ticked',
        message: 'Cochez la case «\u00a0J’accepte les conditions\u00a0»',
      },
    ]);
    expect(error.message).toBe(error.localizedIssues.map((issue) => issue.message).join('. '));
  });

  it('is told in French which field holds a character that cannot be saved', async () => {
    const response = await app.request(`/f/${formId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'accept-language': FR,
        'x-forwarded-for': `192.0.2.${++ipCounter}`,
      },
      body: 'email=ana%40example.fr&first_name=Ana%00&shop=lyon&terms=on',
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain(
      'Le champ «\u00a0Prénom\u00a0» contient un caractère que nous ne pouvons pas enregistrer',
    );
    expect(html).not.toContain('retype it');
  });
});

describe('a workspace whose page language is German', () => {
  it('shows German to every visitor, whatever their browser says', async () => {
    expect((await call('PATCH', '/api/workspace', { pageLanguage: 'de' })).status).toBe(200);
    try {
      for (const acceptLanguage of ['fr-FR', undefined]) {
        const page = await formPage(acceptLanguage);
        expect(page).toContain('<html lang="de">');
        expect(page).toContain('<button type="submit">Anmelden</button>');
        const html = await (await submitIncomplete(acceptLanguage)).text();
        expect(html).toContain('<html lang="de">');
        expect(html).toContain('Bitte geben Sie Ihre E-Mail-Adresse ein');
        expect(html).toContain('„Prénom“ ist ein Pflichtfeld');
        expect(html).toContain('Bitte setzen Sie das Häkchen bei „J’accepte les conditions“');
      }
    } finally {
      expect((await call('PATCH', '/api/workspace', { pageLanguage: null })).status).toBe(200);
    }
  });
});

describe('a browser in a language the pages do not speak, or none', () => {
  it.each(['pt-BR,pt;q=0.9', undefined])('%s: English', async (acceptLanguage) => {
    const page = await formPage(acceptLanguage);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<button type="submit">Subscribe</button>');
    const html = await (await submitIncomplete(acceptLanguage)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Enter your email address. Prénom is required. Choose Boutique.');
    // A script learns the language chosen and a reason code for each field.
    const json = await submitIncomplete(acceptLanguage, 'application/json');
    const { error } = (await json.json()) as {
      error: { language: string; localizedIssues: { field: string; reason: string }[] };
    };
    expect(error.language).toBe('en');
    expect(error.localizedIssues.map((issue) => [issue.field, issue.reason])).toEqual([
      ['email', 'email_missing'],
      ['first_name', 'required'],
      ['shop', 'not_chosen'],
      ['terms', 'not_ticked'],
    ]);
  });
});
