// The pages a recipient lands on from an email or a form speak the recipient's language: the
// contact's `locale` property (a Segment identify trait), else the workspace's page language,
// else the browser's Accept-Language, else English. The marketer's words stay as written.

import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/db';
import { insertContact, saveTopic, tracking, useEmailApp, type EmailApp } from './support';

const env = useEmailApp();
let db: TestDatabase;
let app: EmailApp['app'];
let call: EmailApp['call'];

beforeAll(async () => {
  ({ db, app, call } = env);
  await saveTopic(db.sql, db.workspaceId, 'newsletter', true);
});

const path = (url: string) => new URL(url).pathname;
const unsubscribeLink = (contactId: string) =>
  path(
    tracking.unsubscribeUrl({
      workspaceId: db.workspaceId,
      contactId,
      messageId: null,
      topic: 'newsletter',
    }),
  );
const preferencesLink = (contactId: string) =>
  path(tracking.preferencesUrl({ workspaceId: db.workspaceId, contactId }));

async function page(url: string, acceptLanguage?: string, body?: string) {
  const headers: Record<string, string> = {};
  if (acceptLanguage) headers['accept-language'] = acceptLanguage;
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await app.request(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    redirect: 'manual',
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, html: await response.text() };
}

/** A contact identified through the ingestion API, as a shop's site sends it. */
async function identify(userId: string, traits: Record<string, unknown>) {
  const [workspace] = await db.sql<{ writeKey: string }[]>`
    select write_key from workspaces where id = ${db.workspaceId}`;
  const response = await app.request('/v1/identify', {
    method: 'POST',
    headers: { authorization: `Bearer ${workspace!.writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId, traits }),
  });
  expect(response.status).toBe(200);
  const [contact] = await db.sql<{ id: string }[]>`
    select id from contacts where workspace_id = ${db.workspaceId} and external_id = ${userId}`;
  return contact!.id;
}

describe('a contact whose locale is French', () => {
  it('gets the French unsubscribe page, whatever their browser says, and a French answer', async () => {
    const contactId = await identify('marie', { email: 'marie@example.fr', locale: 'fr-FR' });
    const link = unsubscribeLink(contactId);
    for (const acceptLanguage of [undefined, 'de-DE,de;q=0.9,en;q=0.5']) {
      const shown = await page(link, acceptLanguage);
      expect(shown.status).toBe(200);
      expect(shown.html).toContain('<html lang="fr">');
      expect(shown.html).toContain('<title>Désinscription</title>');
      // The topic's and the workspace's names stay as written.
      expect(shown.html).toContain(
        'Ne plus recevoir les e-mails «\u00a0Newsletter\u00a0» envoyés par',
      );
      expect(shown.html).toContain('m••••@example.fr');
      expect(shown.html).toContain('vous parviendront toujours');
      expect(shown.html).not.toContain('Unsubscribe');
    }
    const done = await page(link, undefined, 'scope=all');
    expect(done.status).toBe(200);
    expect(done.html).toContain('<html lang="fr">');
    expect(done.html).toContain('<h1>Désinscription confirmée</h1>');
    expect(done.html).toContain('Plus aucun e-mail marketing envoyé par');
  });

  it('gets the French preference centre, and the French notice when a choice is refused', async () => {
    const contactId = await insertContact(db.sql, db.workspaceId, {
      email: 'luc@example.fr',
      properties: { locale: 'fr' },
    });
    const link = preferencesLink(contactId);
    const shown = await page(link, 'en-US');
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('<html lang="fr">');
    expect(shown.html).toContain('<h1>Préférences e-mail</h1>');
    expect(shown.html).toContain('<legend>Sujets</legend>');
    expect(shown.html).toContain('>Newsletter<');
    expect(shown.html).toContain('Enregistrer mes préférences</button>');

    const saved = await page(link, 'en-US', 'topic=newsletter&frequency=monthly');
    expect(saved.status).toBe(303);
    const after = await page(`${link}?saved=1`, 'en-US');
    expect(after.html).toContain('<strong>Enregistré.</strong>');
    expect(after.html).toContain('value="monthly" checked');

    const refused = await page(link, 'en-US', 'frequency=weekly');
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('<title>Ce choix n’est pas disponible</title>');
    expect(refused.html).toContain('reçu\u00a0: «\u00a0weekly\u00a0»');
  });
});

describe('a contact without a language of their own', () => {
  let contactId: string;
  beforeAll(async () => {
    contactId = await insertContact(db.sql, db.workspaceId, { email: 'sam@example.com' });
  });

  it.each([
    ['de-CH, de;q=0.9, en;q=0.8', 'de', 'E-Mail-Einstellungen'],
    ['pt-BR,pt;q=0.9,es;q=0.8', 'es', 'Preferencias de correo'],
    ['it-IT', 'it', 'Preferenze email'],
    ['nl-BE,nl;q=0.9', 'nl', 'E-mailvoorkeuren'],
  ])('with Accept-Language %j gets the %s preference centre', async (header, lang, title) => {
    const shown = await page(preferencesLink(contactId), header);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain(`<html lang="${lang}">`);
    expect(shown.html).toContain(`<h1>${title}</h1>`);
  });

  it('falls back to English for a language the pages do not speak, or none', async () => {
    const link = unsubscribeLink(contactId);
    // The same link in a language the pages speak, so English below is a fallback, not a default.
    expect((await page(link, 'it-IT')).html).toContain('<html lang="it">');
    for (const header of ['xx-YY, tlh;q=0.8', 'ja-JP,ja;q=0.9', undefined]) {
      const shown = await page(link, header);
      expect(shown.html).toContain('<html lang="en">');
      expect(shown.html).toContain('<h1>Stop receiving “Newsletter” emails from');
      expect(shown.html).toContain(
        'Transactional emails, such as receipts and account messages, still come.',
      );
    }
  });

  it('gets the workspace’s page language before the browser’s, once the team sets one', async () => {
    const refused = await call('PATCH', '/api/workspace', { pageLanguage: 'pt' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('pageLanguage');

    const set = await call('PATCH', '/api/workspace', { pageLanguage: 'nl' });
    expect(set.status).toBe(200);
    expect((await call('GET', '/api/workspace')).body.pageLanguage).toBe('nl');
    try {
      const shown = await page(unsubscribeLink(contactId), 'de-DE');
      expect(shown.html).toContain('<html lang="nl">');
      expect(shown.html).toContain('Afmelden voor ‘Newsletter’</button>');
      // A contact's own language still comes first.
      const french = await insertContact(db.sql, db.workspaceId, {
        email: 'zoe@example.fr',
        properties: { language: 'fr' },
      });
      expect((await page(preferencesLink(french), 'de-DE')).html).toContain('<html lang="fr">');
    } finally {
      expect((await call('PATCH', '/api/workspace', { pageLanguage: null })).status).toBe(200);
    }
  });

  it('says a broken link is broken in the browser’s language', async () => {
    const shown = await page('/u/not-a-token', 'fr-FR,fr;q=0.9');
    expect(shown.status).toBe(403);
    expect(shown.html).toContain('<html lang="fr">');
    expect(shown.html).toContain('<h1>Ce lien n’est pas valide</h1>');
    // So does a broken tracked link in an email.
    const click = await page('/t/c/not-a-token', 'nl-NL,nl;q=0.9');
    expect(click.status).toBe(403);
    expect(click.html).toContain('<html lang="nl">');
    expect(click.html).not.toContain('This link is not valid');
  });
});

describe('a contact identified from a browser', () => {
  it('speaks the language the browser library sent as context.locale, unless a locale trait says otherwise', async () => {
    const [workspace] = await db.sql<{ writeKey: string }[]>`
      select write_key from workspaces where id = ${db.workspaceId}`;
    const send = (body: object) =>
      app.request('/v1/identify', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${workspace!.writeKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    const contactOf = async (userId: string) =>
      (
        await db.sql<{ id: string; properties: Record<string, unknown> }[]>`
          select id, properties from contacts
          where workspace_id = ${db.workspaceId} and external_id = ${userId}`
      )[0]!;
    expect(
      (
        await send({
          userId: 'greta',
          traits: { email: 'greta@example.de' },
          context: { locale: 'de-DE' },
        })
      ).status,
    ).toBe(200);
    const greta = await contactOf('greta');
    expect(greta.properties.locale).toBe('de-DE');
    expect((await page(unsubscribeLink(greta.id), 'en-US')).html).toContain('<html lang="de">');

    // A locale trait is the caller's word; an unusable context locale is ignored.
    expect(
      (
        await send({
          userId: 'paola',
          traits: { email: 'paola@example.it', locale: 'it-IT' },
          context: { locale: 'en-US' },
        })
      ).status,
    ).toBe(200);
    expect((await contactOf('paola')).properties.locale).toBe('it-IT');
    expect(
      (await send({ userId: 'ned', traits: { email: 'ned@example.com' }, context: { locale: 42 } }))
        .status,
    ).toBe(200);
    expect((await contactOf('ned')).properties.locale).toBeUndefined();
  });
});

describe('a signup form', () => {
  it('tells the visitor what went wrong in their browser’s language', async () => {
    const created = await call('POST', '/api/forms', {
      name: 'Inscription',
      definition: {
        fields: [{ type: 'email', name: 'email', label: 'E-mail' }],
        topics: ['newsletter'],
        doubleOptIn: false,
        allowedOrigins: [],
        successMessage: 'Bienvenue chez nous !',
      },
    });
    expect(created.status).toBe(201);
    const formId = created.body.id as string;
    const post = (body: string, acceptLanguage: string) =>
      app.request(`/f/${formId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
          'accept-language': acceptLanguage,
          'x-forwarded-for': '198.51.100.77',
        },
        body,
      });
    const invalid = await post('email=', 'es-ES,es;q=0.9');
    expect(invalid.status).toBe(422);
    const html = await invalid.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('<h1>Revise el formulario, por favor</h1>');
    expect(html).toContain('Volver al formulario');

    const thanks = await post('email=ana%40example.es', 'de-DE');
    expect(thanks.status).toBe(200);
    const thanked = await thanks.text();
    expect(thanked).toContain('<html lang="de">');
    expect(thanked).toContain('<h1>Vielen Dank</h1>');
    // The form's own message is the marketer's words.
    expect(thanked).toContain('Bienvenue chez nous !');
  });
});
