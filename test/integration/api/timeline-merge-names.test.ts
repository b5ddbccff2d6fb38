import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// A contact's timeline names the contact each merge brought in (its email and ids, from the row
// that stays as a pointer), so the profile says "Merged ivan@example.com into this contact"
// rather than showing an id; erased since, it is null.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let test: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  test = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function admin(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  const response = await test.app.request(path, {
    method,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const create = async (body: object) =>
  (await admin('/api/contacts', body)).body.contact.id as string;

interface Item {
  kind: string;
  name?: string;
  properties?: Record<string, unknown>;
  mergedContact?: unknown;
}

async function merges(contactId: string): Promise<Item[]> {
  const { status, body } = await admin(`/api/contacts/${contactId}/timeline`);
  expect(status).toBe(200);
  return (body.items as Item[]).filter((i) => i.kind === 'event' && i.name === '$merge');
}

describe('the merge lines of a timeline', () => {
  it('name the merged contact by its email, external id and properties', async () => {
    const judy = await create({ email: 'judy@merge-names.example' });
    const ivan = await create({
      email: 'ivan@merge-names.example',
      externalId: 'u-ivan',
      properties: { first_name: 'Ivan' },
    });
    expect((await admin(`/api/contacts/${judy}/merge`, { otherId: ivan })).status).toBe(200);

    const [line] = await merges(judy);
    expect(line?.mergedContact).toEqual({
      id: ivan,
      email: 'ivan@merge-names.example',
      externalId: 'u-ivan',
      properties: { first_name: 'Ivan' },
    });
    // Other events carry nothing more.
    const { body } = await admin(`/api/contacts/${judy}/timeline`);
    for (const item of body.items as Item[])
      if (item.name !== '$merge') expect(item).not.toHaveProperty('mergedContact');
  });

  it('say null for a merged contact that no longer exists', async () => {
    const survivor = await create({ email: 'survivor@merge-names.example' });
    const other = await create({ email: 'other@merge-names.example' });
    expect((await admin(`/api/contacts/${survivor}/merge`, { otherId: other })).status).toBe(200);
    // As an erasure of the pointer leaves it (the event keeps the id it named).
    await db.sql`delete from contacts where id = ${other}`;
    const [line] = await merges(survivor);
    expect(line?.properties?.mergedId).toBe(other);
    expect(line?.mergedContact).toBeNull();
  });
});
