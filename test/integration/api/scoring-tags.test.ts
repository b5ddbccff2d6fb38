// A tag the score starts keeping is refused while contacts carry it already: the score takes
// its tags off everyone below the threshold, so saving would strip a tag put there by hand, an
// import or a journey (a "vip" list) from every contact without a word.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let call: ReturnType<typeof createTestApp>['call'];
const recorded = createRecordingDispatcher();

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call } = createTestApp({ db, temporal, dispatcher: recorded.dispatcher }));
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function contact(email: string, tags: string[]): Promise<string> {
  const created = await call('POST', '/api/contacts', { email, tags });
  expect(created.status).toBe(201);
  return created.body.contact.id as string;
}

const tagsOf = async (id: string) =>
  (await call('GET', `/api/contacts/${id}`)).body.tags as string[];

const rules = [{ name: 'Clicks', event: 'email.clicked', points: 3 }];

it('refuses a score tag that contacts already carry, at its field, and takes it off nobody', async () => {
  const ann = await contact('ann@example.com', ['vip']);
  const bob = await contact('bob@example.com', ['vip', 'newsletter']);

  const refused = await call('PUT', '/api/scoring', {
    rules,
    tags: [
      { tag: 'warm-lead', minScore: 20 },
      { tag: 'vip', minScore: 100 },
    ],
  });
  expect(refused.status, JSON.stringify(refused.body)).toBe(409);
  expect(refused.body.error.code).toBe('tag_in_use');
  expect(refused.body.error.issues).toEqual([
    {
      field: 'tags.1.tag',
      message: expect.stringContaining('“vip” is already in use: 2 contacts have it'),
    },
  ]);
  expect(refused.body.error.issues[0].message).toContain('below 100 points');

  // Nothing was saved and nobody lost the tag.
  expect(await tagsOf(ann)).toEqual(['vip']);
  expect(await tagsOf(bob)).toEqual(['vip', 'newsletter']);
  const scoring = await call('GET', '/api/scoring');
  expect(scoring.body.tags.map((t: { tag: string }) => t.tag)).not.toContain('vip');

  // A tag nobody has yet is saved, and a tag the score keeps already stays savable.
  const saved = await call('PUT', '/api/scoring', {
    rules,
    tags: [
      { tag: 'warm-lead', minScore: 20 },
      { tag: 'top-fan', minScore: 100 },
    ],
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  expect(saved.body.tags).toEqual([
    { tag: 'warm-lead', minScore: 20 },
    { tag: 'top-fan', minScore: 100 },
  ]);
  const again = await call('PUT', '/api/scoring', {
    rules,
    tags: [{ tag: 'top-fan', minScore: 50 }],
  });
  expect(again.status, JSON.stringify(again.body)).toBe(200);
  expect(await tagsOf(bob)).toEqual(['vip', 'newsletter']);
});
