import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// A marketer types a name as it comes to mind: "lefevre" for Lefèvre, "jose" for José,
// "muller" for Müller. Before, the search only lower-cased, and found none of them. And in
// any alphabet, whatever the case it was written in: the embedded database's C locale
// lower-cased A to Z only, so "дмитрий" missed Дмитрий and "σωκράτης" ΣΩΚΡΆΤΗΣ (migration 0099).

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let test: ReturnType<typeof createTestApp>;

const people = [
  { email: 'claire@x.test', first_name: 'Claire', last_name: 'Lefèvre' },
  { email: 'paul@x.test', first_name: 'Paul', last_name: 'Lefevre' },
  { email: 'jose@x.test', first_name: 'José', last_name: 'García' },
  { email: 'anna@x.test', first_name: 'Anna', last_name: 'Müller' },
  { email: 'emile@x.test', first_name: 'ÉMILE', last_name: 'Zola' },
  { email: 'percent@x.test', first_name: 'Cent', last_name: 'Pour' },
  { email: 'dmitri@x.test', first_name: 'Дмитрий', last_name: 'ФЁДОРОВ' },
  { email: 'sokratis@x.test', name: 'ΣΩΚΡΆΤΗΣ ΠΑΠΑΔΌΠΟΥΛΟΣ' },
  { email: 'eleni@x.test', first_name: 'Ελένη', last_name: 'Παππάς' },
  { email: 'rashad@x.test', first_name: 'Rəşad', last_name: 'ƏLİYEV' },
];

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  test = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher });
  for (const { email, ...properties } of people) {
    const created = await test.call('POST', '/api/contacts', { email, properties });
    expect(created.status).toBe(201);
  }
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const search = async (q: string) => {
  const { status, body: json } = await test.call('GET', `/api/contacts?q=${encodeURIComponent(q)}`);
  expect(status).toBe(200);
  const body = json as { contacts: { email: string }[]; total: unknown };
  return { emails: body.contacts.map((c) => c.email).sort(), total: body.total };
};

it.each([
  ['without its accents', 'lefevre', ['claire@x.test', 'paul@x.test']],
  ['with accents a name lacks', 'Lefèvre', ['claire@x.test', 'paul@x.test']],
  ['in capitals', 'LEFÈVRE', ['claire@x.test', 'paul@x.test']],
  ['a first name without its accent', 'jose', ['jose@x.test']],
  ['across first and last name', 'jose garcia', ['jose@x.test']],
  ['an umlaut typed as a plain letter', 'muller', ['anna@x.test']],
  ['an accented capital typed in lower case', 'emile', ['emile@x.test']],
  ['in Cyrillic, in lower case', 'дмитрий', ['dmitri@x.test']],
  ['in Cyrillic, in capitals', 'ДМИТРИЙ', ['dmitri@x.test']],
  ['in Cyrillic, without its accent and in lower case', 'федоров', ['dmitri@x.test']],
  ['in Greek, in lower case with its final sigma', 'σωκράτης', ['sokratis@x.test']],
  ['in Greek, without accents and in lower case', 'παπαδοπουλος', ['sokratis@x.test']],
  ['in Greek, in capitals', 'ΕΛΈΝΗ ΠΑΠΠΆΣ', ['eleni@x.test']],
  ['in Greek capitals, its final sigma a capital one', 'ΠΑΠΠΑΣ', ['eleni@x.test']],
  ['with a letter unaccent keeps (ə), in lower case', 'əliyev', ['rashad@x.test']],
  ['with a letter unaccent keeps (Ə), in capitals', 'RƏŞAD', ['rashad@x.test']],
])('finds a name typed %s (“%s”)', async (_how, q, emails) => {
  expect((await search(q)).emails).toEqual(emails);
});

it('takes a full-width % or _ (folded to % and _) for the character, not a wildcard', async () => {
  expect((await search('％')).emails).toEqual([]);
  expect((await search('c＿nt')).emails).toEqual([]);
});

it('says how many contacts a search finds, exactly up to the cap', async () => {
  expect((await search('lefevre')).total).toEqual({ count: 2, more: false });
  expect((await search('nobody-like-this')).total).toEqual({ count: 0, more: false });
  const all = await test.call('GET', '/api/contacts?limit=2');
  const page = all.body as { nextCursor: string; total: unknown };
  expect(page.total).toEqual({ count: people.length, more: false });
  // The next pages belong to the same list: the count is not taken again.
  const next = await test.call('GET', `/api/contacts?limit=2&cursor=${page.nextCursor}`);
  expect((next.body as { total: unknown }).total).toBeNull();
  // A picker asks without it, and is not counted for.
  const picked = await test.call('GET', '/api/contacts?q=lefevre&limit=8&total=false');
  expect((picked.body as { total: unknown }).total).toBeNull();
  const wrong = await test.call('GET', '/api/contacts?total=yes');
  expect(wrong.status).toBe(400);
  expect(wrong.body.error.issues[0].field).toBe('query.total');
});

it('downloads the contacts an accent-free search finds', async () => {
  const response = await test.app.request('/api/contacts/export?q=lefevre', {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  expect(response.status).toBe(200);
  const lines = (await response.text()).split('\r\n').filter(Boolean);
  expect(
    lines
      .slice(1)
      .map((l) => l.split(',')[0])
      .sort(),
  ).toEqual(['claire@x.test', 'paul@x.test']);
});
