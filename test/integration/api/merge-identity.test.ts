import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// A merged contact's identifiers keep leading to the contact it was merged into. Reaching the
// survivor that way says nothing new about its address: it keeps its own email, so that
// address still finds it and the person never becomes two contacts again.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let writeKey: string;
let test: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
  test = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function send(path: string, body: unknown) {
  const response = await test.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function csv(text: string) {
  const response = await test.app.request('/api/contacts/import', {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/csv' },
    body: text,
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Two contacts, the second merged into the first. */
async function mergedPair(
  name: string,
  extra: { survivor?: { externalId: string }; other?: { externalId: string } } = {},
) {
  const make = async (body: object) => {
    const created = await test.call('POST', '/api/contacts', body);
    expect(created.status).toBe(201);
    return created.body.contact.id as string;
  };
  const survivor = await make({ email: `${name}-a@x.test`, ...extra.survivor });
  const merged = await make({ email: `${name}-b@x.test`, ...extra.other });
  expect(
    (await test.call('POST', `/api/contacts/${survivor}/merge`, { otherId: merged })).status,
  ).toBe(200);
  return { survivor, merged, own: `${name}-a@x.test`, old: `${name}-b@x.test` };
}

const liveHolders = async (email: string) =>
  db.sql<{ id: string }[]>`
    select id from contacts where email = ${email} and merged_into is null`;

/** The contact an identify's event was stored on. */
async function identifiedContact(messageId: string) {
  const [row] = await db.sql<{ contactId: string }[]>`
    select contact_id from events where message_id = ${messageId}`;
  return row!.contactId;
}

type Entry = (email: string) => Promise<{ contactId: string; warning: unknown }>;

const entries: [string, Entry][] = [
  [
    'a CSV import row',
    async (email) => {
      const report = await csv(`email,plan\n${email},gold\n`);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ rows: 1, updated: 1, created: 0 });
      const [holder] = await db.sql<{ id: string }[]>`
        select merged_into as id from contacts where email = ${email}`;
      return { contactId: holder!.id, warning: report.body.warnings[0] };
    },
  ],
  [
    'an identify',
    async (email) => {
      const messageId = `identify-${email}`;
      const response = await send('/v1/identify', { traits: { email, plan: 'gold' }, messageId });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('accepted');
      return { contactId: await identifiedContact(messageId), warning: response.body.warnings[0] };
    },
  ],
  [
    'POST /api/contacts',
    async (email) => {
      const response = await test.call('POST', '/api/contacts', {
        email,
        properties: { plan: 'gold' },
      });
      expect(response.status).toBe(200);
      return { contactId: response.body.contact.id, warning: response.body.warning };
    },
  ],
];

describe('a merged contact’s old email leads to the survivor, which keeps its own', () => {
  it.each(entries)('through %s', async (name, entry) => {
    const slug = name.toLowerCase().replace(/\W+/g, '-');
    const { survivor, own, old } = await mergedPair(slug);

    const { contactId, warning } = await entry(old);

    expect(contactId).toBe(survivor);
    const profile = (await test.call('GET', `/api/contacts/${survivor}`)).body;
    expect(profile).toMatchObject({ email: own, properties: { plan: 'gold' } });
    expect(warning).toMatchObject({
      field: expect.stringMatching(/email$/),
      [name === 'an identify' ? 'message' : 'reason']:
        `The contact with ${old} was merged into the one with ${own}, which keeps its email`,
    });
    // The survivor's own address still finds it: the same person is not made twice.
    await send('/v1/identify', { traits: { email: own }, messageId: `again-${slug}` });
    expect(await identifiedContact(`again-${slug}`)).toBe(survivor);
    expect(await liveHolders(own)).toEqual([{ id: survivor }]);
  });

  it('an identify by the merged contact’s userId with another email leaves the survivor’s email', async () => {
    const { survivor, own } = await mergedPair('by-user-id', {
      survivor: { externalId: 'new-account' },
      other: { externalId: 'old-account' },
    });
    const response = await send('/v1/identify', {
      userId: 'old-account',
      traits: { email: 'elsewhere@x.test' },
    });
    expect(response.body.warnings).toEqual([
      {
        field: 'traits.email',
        message: `The contact with old-account was merged into the one with ${own}, which keeps its email; elsewhere@x.test was not set`,
      },
    ]);
    expect((await test.call('GET', `/api/contacts/${survivor}`)).body.email).toBe(own);
  });

  it('the survivor’s own userId with the merged contact’s email is an email change the app makes', async () => {
    const { survivor, old } = await mergedPair('own-user-id', {
      survivor: { externalId: 'own-account' },
    });
    const response = await send('/v1/identify', { userId: 'own-account', traits: { email: old } });
    expect(response.body.warnings).toBeUndefined();
    expect((await test.call('GET', `/api/contacts/${survivor}`)).body.email).toBe(old);
  });
});
