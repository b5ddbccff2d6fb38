import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFixtureActivities } from '../fixtures/activities';
import type { greet } from '../fixtures/workflows';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { connectDevServer, withWorker } from '../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

it('runs a workflow on the real Temporal dev server whose activity writes to the real Postgres', async () => {
  const result = await withWorker(
    {
      connection: temporal.nativeConnection,
      taskQueue: temporal.taskQueue,
      workflowsPath: fileURLToPath(new URL('../fixtures/workflows.ts', import.meta.url)),
      activities: createFixtureActivities(db.sql),
    },
    () =>
      temporal.client.workflow.execute<typeof greet>('greet', {
        args: ['Camille'],
        taskQueue: temporal.taskQueue,
        workflowId: `greet-${temporal.taskQueue}`,
      }),
  );
  const rows = await db.sql<{ id: number; text: string }[]>`select id, text from greetings`;
  expect(rows).toEqual([{ id: 1, text: 'Hello, Camille' }]);
  expect(result).toBe('greeting 1 stored');
});
