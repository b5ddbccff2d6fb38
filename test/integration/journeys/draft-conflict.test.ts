// Two tabs (or two teammates) editing one journey: each tab saves with the updatedAt it last read
// or wrote, so the second tab's autosave is refused instead of silently undoing the first's work.
import { afterAll, beforeAll, expect, it } from 'vitest';
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
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

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
  const first = await call(
    'PUT',
    `/api/journeys/${id}?basedOn=${opened}`,
    draft('Welcome series', 3),
  );
  expect(first.status).toBe(200);

  // The second tab still works from what it opened: refused, nothing written.
  const second = await call('PUT', `/api/journeys/${id}?basedOn=${opened}`, draft('Welcome', 4));
  expect(second.status).toBe(409);
  expect(second.body.error).toMatchObject({
    code: 'draft_changed',
    message: expect.stringContaining('changed somewhere else (another tab, or a teammate)'),
  });
  const kept = (await call('GET', `/api/journeys/${id}`)).body;
  expect(kept.name).toBe('Welcome series');
  expect(kept.document.nodes[0].config.duration).toBe('3d');

  // The first tab goes on from what it wrote; a tab choosing to keep its own version saves it
  // based on the draft it has now seen.
  const again = await call(
    'PUT',
    `/api/journeys/${id}?basedOn=${first.body.updatedAt}`,
    draft('Welcome series', 2),
  );
  expect(again.status).toBe(200);
  const replaced = await call(
    'PUT',
    `/api/journeys/${id}?basedOn=${again.body.updatedAt}`,
    draft('Welcome', 4),
  );
  expect(replaced.status).toBe(200);
  expect(replaced.body.document.nodes[0].config.duration).toBe('4d');

  // Without basedOn (scripts, older clients) the draft is replaced as before; a malformed one is a 400.
  expect((await call('PUT', `/api/journeys/${id}`, draft('Scripted', 1))).status).toBe(200);
  const malformed = await call('PUT', `/api/journeys/${id}?basedOn=yesterday`, draft('X', 1));
  expect(malformed.status).toBe(400);
  expect(malformed.body.error.issues[0].field).toBe('query.basedOn');
});
