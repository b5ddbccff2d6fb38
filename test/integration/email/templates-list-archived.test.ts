// The templates list offers live templates for sending; `archived=include` adds the archived
// ones after them, each saying so, for the conditions that count the emails they sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let call: ReturnType<typeof createTestApp>['call'];

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call } = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher }));
  const ids: Record<string, string> = {};
  for (const name of ['Welcome', 'Autumn sale', 'Spring sale', 'Tips']) {
    const created = await call('POST', '/api/templates', {
      name,
      kind: 'transactional',
      from: { name: 'Acme', address: 'news@acme.test' },
      subject: name,
      body: { kind: 'html', source: '<p>Hello</p>' },
    });
    expect(created.status).toBe(201);
    ids[name] = created.body.id;
  }
  for (const name of ['Spring sale', 'Autumn sale']) {
    expect((await call('DELETE', `/api/templates/${ids[name]}`)).status).toBe(204);
  }
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const listed = (body: { templates: { name: string; archived: boolean }[] }) =>
  body.templates.map((t) => `${t.name}${t.archived ? ' (archived)' : ''}`);

describe('the templates list', () => {
  it('holds the live templates by name', async () => {
    const response = await call('GET', '/api/templates');
    expect(response.status).toBe(200);
    expect(listed(response.body)).toEqual(['Tips', 'Welcome']);
  });

  it('adds the archived ones after them with archived=include', async () => {
    const response = await call('GET', '/api/templates?archived=include');
    expect(response.status).toBe(200);
    expect(listed(response.body)).toEqual([
      'Tips',
      'Welcome',
      'Autumn sale (archived)',
      'Spring sale (archived)',
    ]);
  });

  it('refuses another value, naming the field', async () => {
    const response = await call('GET', '/api/templates?archived=yes');
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      {
        field: 'query.archived',
        message: 'Send include to list archived templates too, or leave it out',
      },
    ]);
  });
});
