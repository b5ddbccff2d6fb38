import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDispatcher } from '@relance/db';
import { createSql } from '@relance/db';
import { createTestApp, TEST_ADMIN_TOKEN } from '../../../test/support/app';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import { connectDevServer } from '../../../test/support/temporal';

// The foundation's HTTP contract: health, auth, and error bodies, on the real Postgres and Temporal.
// None of these routes records facts, so nothing may reach the dispatcher.
const unexpected = () => Promise.reject(new Error('these routes must not dispatch'));
const dispatcher: JourneyDispatcher = {
  eventsRecorded: unexpected,
  segmentsChanged: unexpected,
  contactsChanged: unexpected,
};

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

describe('GET /api/health', () => {
  it('is 200 with both parts ok, without authentication', async () => {
    const { call } = createTestApp({ db, temporal, dispatcher });
    const res = await call('GET', '/api/health', undefined, null);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', postgres: 'ok', temporal: 'ok', version: 'test' });
  });

  it('is 503 naming PostgreSQL when the database is unreachable', async () => {
    const deadSql = createSql({ databaseUrl: 'postgres://nobody:x@127.0.0.1:1/none', max: 1 });
    const { call } = createTestApp({ db, temporal, dispatcher, overrides: { sql: deadSql } });
    const res = await call('GET', '/api/health', undefined, null);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'degraded', postgres: 'down', temporal: 'ok' });
    expect(res.body.problems[0]).toMatch(/^postgres: /);
    await deadSql.end({ timeout: 0 });
  });

  it('is 503 naming Temporal when the server is unreachable', async () => {
    // No retry interceptor: the default one retries on a timer after the answer, and a retry
    // made once the connection below is closed throws from that timer.
    const connection = Connection.lazy({ address: '127.0.0.1:1', interceptors: [] });
    const client = new Client({ connection });
    const { call } = createTestApp({ db, temporal: { client, taskQueue: 'none' }, dispatcher });
    const res = await call('GET', '/api/health', undefined, null);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'degraded', postgres: 'ok', temporal: 'down' });
    await connection.close().catch(() => undefined);
  });
});

describe('admin authentication', () => {
  it.each([
    ['no header', null],
    ['a wrong token', 'not-the-token-at-all'],
  ])('answers 401 JSON with %s', async (_what, token) => {
    const { call } = createTestApp({ db, temporal, dispatcher });
    const res = await call('GET', '/api/workspace', undefined, token);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'unauthorized' });
    expect(res.body.error.requestId).toBeTruthy();
  });

  it('lets the admin token through to the workspace', async () => {
    const { call } = createTestApp({ db, temporal, dispatcher });
    const res = await call('GET', '/api/workspace', undefined, TEST_ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: db.workspaceId,
      name: 'My workspace',
      ingestionUrl: 'http://relance.test/v1',
    });
    expect(res.body.writeKey).toMatch(/^wk_/);
  });

  it('guards unknown /api paths too, then answers 404 JSON', async () => {
    const { call } = createTestApp({ db, temporal, dispatcher });
    expect((await call('GET', '/api/nothing-here', undefined, null)).status).toBe(401);
    const res = await call('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
