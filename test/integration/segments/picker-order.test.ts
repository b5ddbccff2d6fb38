// Segment pickers (a journey's trigger, a move step, a rule's "is in segment") and the segments
// page list the workspace's own segments first, then the built-in ones, each alphabetical
// whatever the case: a marketer picking Reactivation does not scroll past nine lifecycle segments.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedWorkspaceDefaults } from '@relance/db';
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

it('lists the workspace’s own segments first, then the built-in ones, each alphabetical', async () => {
  await seedWorkspaceDefaults(db.sql, db.workspaceId);
  for (const name of ['Reactivation', 'dormant', 'Active']) {
    expect((await call('POST', '/api/segments', { kind: 'static', name })).status).toBe(201);
  }
  const listed = await call('GET', '/api/segments');
  expect(listed.status).toBe(200);
  const segments = listed.body.segments as { name: string; builtin: string | null }[];
  expect(segments.map((s) => s.name)).toEqual([
    'Active',
    'dormant',
    'Reactivation',
    'Engaged prospects',
    'High value',
    'Inactive',
    'Inactive customers',
    'Low value',
    'Medium value',
    'New customers',
    'Prospects',
    'Repeat customers',
  ]);
});
