// Two tabs (or two teammates) editing one journey: each tab saves with the updatedAt it last read
// or wrote, so the second tab's autosave is refused instead of silently undoing the first's work.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let call: ReturnType<typeof createTestApp>['call'];
let app: ReturnType<typeof createTestApp>['app'];

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call, app } = createTestApp({
    db,
    temporal,
    dispatcher: createRecordingDispatcher().dispatcher,
  }));
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

/** Saves `body` as a tab does, naming the updatedAt it last read or wrote. */
async function save(id: string, basedOn: string, body: unknown) {
  const response = await app.request(`/api/journeys/${id}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
      'content-type': 'application/json',
      'if-match': basedOn,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const draft = (name: string, days: number) => ({
  name,
  nodes: [{ id: 'wait', kind: 'wait.delay', config: { duration: `${days}d` } }],
  edges: [],
});

it("refuses a save based on a draft another tab has saved since, and keeps that tab's work", async () => {
  const created = await call('POST', '/api/journeys', draft('Welcome', 3));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const opened = (await call('GET', `/api/journeys/${id}`)).body.updatedAt as string;

  // Both tabs opened the same draft. The first renames it and saves.
  const first = await save(id, opened, draft('Welcome series', 3));
  expect(first.status).toBe(200);

  // The second tab still works from what it opened: refused, nothing written.
  const second = await save(id, opened, draft('Welcome', 4));
  expect(second.status).toBe(412);
  expect(second.body.error).toMatchObject({
    code: 'draft_changed',
    message: expect.stringContaining('changed somewhere else (another tab, or a teammate)'),
  });
  const kept = (await call('GET', `/api/journeys/${id}`)).body;
  expect(kept.name).toBe('Welcome series');
  expect(kept.document.nodes[0].config.duration).toBe('3d');

  // The first tab goes on from what it wrote; a tab choosing to keep its own version saves it
  // based on the draft it has now seen.
  const again = await save(id, first.body.updatedAt, draft('Welcome series', 2));
  expect(again.status).toBe(200);
  const replaced = await save(id, again.body.updatedAt, draft('Welcome', 4));
  expect(replaced.status).toBe(200);
  expect(replaced.body.document.nodes[0].config.duration).toBe('4d');

  // Without If-Match (scripts, older clients) the draft is replaced as before; a malformed one is a 400.
  expect((await call('PUT', `/api/journeys/${id}`, draft('Scripted', 1))).status).toBe(200);
  const malformed = await save(id, 'yesterday', draft('X', 1));
  expect(malformed.status).toBe(400);
  expect(malformed.body.error.issues[0].field).toBe('header.if-match');
});
