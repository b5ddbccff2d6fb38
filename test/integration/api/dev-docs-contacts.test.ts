import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// A developer creating and editing contacts from docs/contacts-segments-api.md: a field the API
// does not take, a property name it cannot store or a tag both added and removed is refused,
// naming the field and the reason, instead of being dropped or answered in zod's words.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
const recorded = createRecordingDispatcher();
let call: ReturnType<typeof createTestApp>['call'];
let id: string;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call } = createTestApp({ db, temporal, dispatcher: recorded.dispatcher }));
  const created = await call('POST', '/api/contacts', { email: 'ada@x.test', tags: ['vip'] });
  id = created.body.contact.id;
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const issuesOf = (body: { error: { issues: { field: string; message: string }[] } }) =>
  body.error.issues.map((i) => [i.field, i.message]);

describe('creating a contact', () => {
  it.each([
    [
      'its own field beside email instead of under properties',
      { email: 'grace@x.test', first_name: 'Grace' },
      [['(body)', expect.stringMatching(/^Unknown field "first_name": .*under properties$/)]],
    ],
    [
      'a property name with a space',
      { email: 'grace@x.test', properties: { 'first name': 'Grace' } },
      [['properties.first name', expect.stringContaining('Property names use letters, digits')]],
    ],
    [
      'tags as one string',
      { email: 'grace@x.test', tags: 'vip' },
      [['tags', 'Send the tags as a list, such as ["vip"]']],
    ],
    [
      'an empty external id',
      { externalId: ' ' },
      [['externalId', 'The external id cannot be empty']],
    ],
  ])('refuses %s', async (_what, body, issues) => {
    const response = await call('POST', '/api/contacts', body);
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual(issues);
    const search = await call('GET', '/api/contacts?q=grace');
    expect(search.body.contacts).toEqual([]);
  });
});

describe('editing a contact', () => {
  it.each([
    [
      'a misspelt field',
      { property: { plan: 'pro' } },
      [['(body)', expect.stringMatching(/^Unknown field "property": .*scoreDelta/)]],
    ],
    [
      'a tag both added and removed',
      { tags: { add: ['vip', 'trial'], remove: ['trial'] } },
      [['tags.remove', '“trial” cannot be both added and removed']],
    ],
    [
      'a score change as text',
      { scoreDelta: '5' },
      [['scoreDelta', 'Send the score change as a whole number, such as 5 or -3']],
    ],
  ])('refuses %s and changes nothing', async (_what, body, issues) => {
    const response = await call('PATCH', `/api/contacts/${id}`, body);
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual(issues);
    const profile = await call('GET', `/api/contacts/${id}`);
    expect(profile.body).toMatchObject({ tags: ['vip'], properties: {}, score: 0 });
  });

  it('still takes what the docs show', async () => {
    const response = await call('PATCH', `/api/contacts/${id}`, {
      properties: { 'address.city': 'Lyon', plan: 'pro' },
      tags: { add: ['beta'], remove: ['vip'] },
      scoreDelta: 5,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      properties: { address: { city: 'Lyon' }, plan: 'pro' },
      tags: ['beta'],
      score: 5,
    });
  });
});
