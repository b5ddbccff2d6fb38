import type { Client } from '@temporalio/client';
import { createApp, type AppDeps } from '@relance/api/app';
import type { JourneyDispatcher } from '@relance/db';
import { createOutboxProvider } from '@relance/email';
import type { TestDatabase } from './db';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef0123';

/**
 * The real Hono app over a test database, exercised with `app.request()`. Pass the real
 * dispatcher (journey runtime) or one of your own when a test checks what was dispatched.
 */
export function createTestApp(options: {
  db: TestDatabase;
  temporal: { client: Client; taskQueue: string };
  dispatcher: JourneyDispatcher;
  overrides?: Partial<AppDeps>;
}) {
  const deps: AppDeps = {
    sql: options.db.sql,
    dispatcher: options.dispatcher,
    temporal: {
      client: options.temporal.client,
      namespace: 'default',
      taskQueue: options.temporal.taskQueue,
    },
    auth: { adminToken: TEST_ADMIN_TOKEN },
    workspaceId: options.db.workspaceId,
    publicUrl: 'http://relance.test',
    signingSecret: TEST_SIGNING_SECRET,
    // The dev outbox unless a test hands in an SMTP provider through `overrides`.
    mail: { provider: createOutboxProvider({ sql: options.db.sql }) },
    version: 'test',
    log: () => {},
    ...options.overrides,
  };
  const app = createApp(deps);
  /** A JSON request as the admin; `token: null` sends none. */
  async function call(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = TEST_ADMIN_TOKEN,
  ) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await app.request(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, body: json as any, headers: response.headers };
  }
  return { app, deps, call };
}
