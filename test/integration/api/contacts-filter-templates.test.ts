// A contacts search filtered on a template's emails the workspace does not have would find no
// one without a word: the list and its export refuse it at its field, as segment rules do. An
// archived template is one of the workspace's: its emails were sent, and are still opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let call: ReturnType<typeof createTestApp>['call'];
const templates: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call } = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher }));
  for (const name of ['Welcome', 'Spring sale']) {
    const created = await call('POST', '/api/templates', {
      name,
      kind: 'transactional',
      from: { name: 'Acme', address: 'news@acme.test' },
      subject: name,
      body: { kind: 'html', source: '<p>Hello</p>' },
    });
    expect(created.status).toBe(201);
    templates[name] = created.body.id;
  }
  expect((await call('DELETE', `/api/templates/${templates['Spring sale']}`)).status).toBe(204);
  const vip = await call('POST', '/api/contacts', { email: 'ada@acme.test', tags: ['vip'] });
  expect(vip.status).toBe(201);
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const MISSING = '00000000-0000-4000-8000-0000000000ee';
/** vip and opened `templateId`'s emails, as the list's query string. */
const filter = (templateId: string) =>
  `filter=${encodeURIComponent(
    JSON.stringify({
      kind: 'all',
      conditions: [
        { kind: 'tag', op: 'has', tag: 'vip' },
        { kind: 'email', action: 'opened', op: 'at_least', count: 0, templateId },
      ],
    }),
  )}`;

describe('a contacts filter naming an email template', () => {
  it.each([
    ['the list', '/api/contacts?'],
    ['its export', '/api/contacts/export?'],
  ])('is refused in %s with 400 at its field when no template has the id', async (_, path) => {
    const response = await call('GET', `${path}${filter(MISSING)}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'invalid_rule',
      issues: [
        {
          field: 'query.filter.conditions.1.templateId',
          message: `No email template has the id ${MISSING}: choose one of your templates, or any email`,
        },
      ],
    });
  });

  it('finds contacts for a template of the workspace, archived or not', async () => {
    for (const id of [templates.Welcome!, templates['Spring sale']!]) {
      const response = await call('GET', `/api/contacts?${filter(id)}`);
      expect(response.status).toBe(200);
      expect(response.body.contacts.map((c: { email: string }) => c.email)).toEqual([
        'ada@acme.test',
      ]);
      expect((await call('GET', `/api/contacts/export?${filter(id)}`)).status).toBe(200);
    }
  });
});
