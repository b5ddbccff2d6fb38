// An email-engagement rule naming a template the workspace does not have counts no email and
// holds no one: the segments API refuses it at its field, as it refuses a segment that does not
// exist, instead of previewing 0.
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
  for (const name of ['Welcome', 'Old newsletter']) {
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
  // Archived: its emails were sent, and may still be opened.
  expect((await call('DELETE', `/api/templates/${templates['Old newsletter']}`)).status).toBe(204);
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const MISSING = '00000000-0000-4000-8000-0000000000ee';
const opened = (templateId: string) => ({
  kind: 'email',
  action: 'opened',
  op: 'at_least',
  count: 1,
  templateId,
});
const rule = (templateId: string) => ({
  kind: 'all',
  conditions: [{ kind: 'tag', op: 'has', tag: 'vip' }, opened(templateId)],
});

describe('a segment rule naming an email template', () => {
  it.each([
    ['an id no template has', MISSING],
    ['a name instead of an id', 'newsletter'],
  ])('is refused in the preview with 400 at the field when it is %s', async (_name, id) => {
    const response = await call('POST', '/api/segments/preview', { rule: rule(id) });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      {
        field: 'rule.conditions.1.templateId',
        message: `No email template has the id ${id}: choose one of your templates, or any email`,
      },
    ]);
  });

  it('is refused when a segment is created or its rule changed, and the rule is kept', async () => {
    const created = await call('POST', '/api/segments', {
      kind: 'dynamic',
      name: 'Opened it',
      rule: opened(MISSING),
    });
    expect(created.status).toBe(400);
    expect(created.body.error.issues.map((i: { field: string }) => i.field)).toEqual([
      'rule.templateId',
    ]);

    const good = await call('POST', '/api/segments', {
      kind: 'dynamic',
      name: 'Opened the welcome',
      rule: opened(templates.Welcome!),
    });
    expect(good.status).toBe(201);
    const changed = await call('PATCH', `/api/segments/${good.body.id}`, { rule: rule(MISSING) });
    expect(changed.status).toBe(400);
    expect(changed.body.error.issues.map((i: { field: string }) => i.field)).toEqual([
      'rule.conditions.1.templateId',
    ]);
    const kept = await call('GET', `/api/segments/${good.body.id}`);
    expect(kept.body.rule).toEqual(opened(templates.Welcome!));
  });

  it('is taken for a template of the workspace, archived or not, and for any email', async () => {
    for (const id of [templates.Welcome!, templates['Old newsletter']!.toUpperCase()]) {
      const response = await call('POST', '/api/segments/preview', { rule: rule(id) });
      expect(response.status).toBe(200);
      expect(response.body.count).toBe(0);
    }
    const anyEmail = { kind: 'email', action: 'opened', op: 'at_least', count: 1 };
    expect((await call('POST', '/api/segments/preview', { rule: anyEmail })).status).toBe(200);
  });
});
