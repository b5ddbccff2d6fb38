// Real services for journey integration tests: a fresh Postgres database, the Temporal dev
// server, the real journey runtime and the real activities (stubbed: nothing; sendEmail: the
// email package's own activity is not in these flows).

import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll } from 'vitest';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '@relance/activities';
import { loadConfig } from '@relance/config';
import {
  changeStaticMembership,
  createJourney,
  evaluateCondition,
  settleContactsIn,
  type Sql,
} from '@relance/db';
import { createDocumentBuilder, type FlowDocumentInput } from '@relance/flow';
import { createDeploymentTracking, createOutboxProvider } from '@relance/email';
import { createJourneyRuntime, type JourneyRuntime } from '@relance/journeys';
import { createTestApp, TEST_SIGNING_SECRET } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { connectDevServer } from '../../support/temporal';

export type DevServer = Awaited<ReturnType<typeof connectDevServer>>;

let bundle: Promise<WorkflowBundle> | undefined;
/** The workflow code, bundled once per test file. */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: fileURLToPath(import.meta.resolve('@relance/workflows')),
    logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} },
  });
  return bundle;
}

export const facts = { evaluateCondition, changeStaticMembership, settleContactsIn };

/** Links in emails signed as createTestApp verifies them. */
export const tracking = createDeploymentTracking({
  publicUrl: 'http://relance.test',
  secret: TEST_SIGNING_SECRET,
  mailFrom: 'news@acme.test',
});

/**
 * The worker's activities exactly as apps/worker builds them, over the test database: email
 * goes to the dev outbox (the default provider), links signed with the test secret.
 */
export function realActivities(sql: Sql, runtime: JourneyRuntime, fetcher?: typeof fetch) {
  return createActivities({
    sql,
    config: loadConfig(),
    journeys: {
      runtime,
      facts,
      mailer: { provider: createOutboxProvider({ sql }), from: 'relance@relance.test' },
      ...(fetcher ? { fetch: fetcher } : {}),
    },
    email: { tracking },
  });
}

export async function createWorker(
  temporal: DevServer,
  activities: Record<string, (...args: never[]) => Promise<unknown>>,
) {
  return Worker.create({
    connection: temporal.nativeConnection,
    taskQueue: temporal.taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    // Stops promptly in tests; activities are idempotent anyway.
    shutdownGraceTime: '1 second',
  });
}

export interface JourneyEnv {
  db: TestDatabase;
  temporal: DevServer;
  runtime: JourneyRuntime;
}

export async function createJourneyEnv(): Promise<JourneyEnv> {
  const db = await createTestDatabase();
  const temporal = await connectDevServer();
  const runtime = createJourneyRuntime({
    sql: db.sql,
    client: temporal.client,
    taskQueue: temporal.taskQueue,
    log: () => {},
  });
  return { db, temporal, runtime };
}

export async function closeJourneyEnv(env: JourneyEnv | undefined) {
  await env?.temporal.close();
  await env?.db.drop();
}

/**
 * The test file's journey environment: created before its tests and closed after them. With
 * `worker`, a worker runs the real activities for the whole file. The returned object is filled
 * in by `beforeAll`, so tests read it, never destructure it at module level.
 */
export function useJourneyEnv(options: { worker?: boolean } = {}): JourneyEnv {
  const env = {} as JourneyEnv;
  let stopWorker: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    Object.assign(env, await createJourneyEnv());
    if (options.worker) {
      const worker = await createWorker(env.temporal, realActivities(env.db.sql, env.runtime));
      const running = worker.run();
      stopWorker = async () => {
        worker.shutdown();
        await running;
      };
    }
  });
  afterAll(async () => {
    await stopWorker?.();
    if ('db' in env) await closeJourneyEnv(env);
  });
  return env;
}

/**
 * A Temporal client for a local port nothing listens on, as when Temporal is down. Without the
 * default retry interceptor a refused connection fails at once instead of after ~20 s.
 */
export async function unreachableTemporal(): Promise<{ client: Client; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const connection = Connection.lazy({ address: `127.0.0.1:${port}`, interceptors: [] });
  return {
    client: new Client({ connection, namespace: 'default' }),
    close: () => connection.close(),
  };
}

/**
 * A Temporal client, with the default retry interceptor as in production, for a server that
 * takes connections and never answers: only a deadline ends a call to it.
 */
export async function silentTemporal(): Promise<{ client: Client; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const connection = Connection.lazy({ address: `127.0.0.1:${port}` });
  return {
    client: new Client({ connection, namespace: 'default' }),
    async close() {
      await connection.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The API over the file's database while Temporal is down (its client reaches nothing, or, when
 * `silent`, reaches a server that never answers), for the requests that must refuse and change
 * nothing then.
 */
export async function withTemporalDown<T>(
  env: JourneyEnv,
  use: (call: ReturnType<typeof createTestApp>['call']) => Promise<T>,
  how: 'refused' | 'silent' = 'refused',
): Promise<T> {
  const down = how === 'silent' ? await silentTemporal() : await unreachableTemporal();
  try {
    const offline = createTestApp({
      db: env.db,
      temporal: { client: down.client, taskQueue: env.temporal.taskQueue },
      dispatcher: env.runtime,
    });
    return await use(offline.call);
  } finally {
    await down.close();
  }
}

/** The journey runtime over the file's database and task queue, with a client of its own. */
export function runtimeWith(
  env: JourneyEnv,
  client: Client,
  options: { now?: () => Date; log?: (line: string) => void } = {},
): JourneyRuntime {
  return createJourneyRuntime({
    sql: env.db.sql,
    client,
    taskQueue: env.temporal.taskQueue,
    log: options.log ?? (() => {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

export async function createContact(
  env: JourneyEnv,
  fields: { email: string; properties?: Record<string, unknown>; tags?: string[] },
): Promise<string> {
  const [row] = await env.db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, email, properties, tags)
    values (${env.db.workspaceId}, ${fields.email}, ${env.db.sql.json((fields.properties ?? {}) as never)},
      ${fields.tags ?? []})
    returning id`;
  return row!.id;
}

/** Records an event as ingestion would (the test then calls the dispatcher). */
export async function recordEvent(
  env: JourneyEnv,
  contactId: string,
  name: string,
  properties: Record<string, unknown> = {},
): Promise<string> {
  const [row] = await env.db.sql<{ id: string }[]>`
    insert into events (workspace_id, contact_id, name, properties, occurred_at)
    values (${env.db.workspaceId}, ${contactId}, ${name}, ${env.db.sql.json(properties as never)}, now())
    returning id::text as id`;
  return row!.id;
}

/** Saves and publishes a document; returns the journey and its live version. */
export async function publish(
  env: JourneyEnv,
  document: FlowDocumentInput,
  runtime: JourneyRuntime = env.runtime,
) {
  const journey = await createJourney(env.db.sql, {
    workspaceId: env.db.workspaceId,
    name: document.name,
    draft: document,
  });
  const published = await runtime.publish({
    workspaceId: env.db.workspaceId,
    journeyId: journey.id,
    document: document,
    carryOver: 'keep',
  });
  if (!published.ok) throw new Error(JSON.stringify(published.errors));
  return { journeyId: journey.id, versionId: published.versionId };
}

/** Polls `probe` until it returns something truthy. */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A manually enrolled journey: trigger, wait `wait`, add `tag`, exit. */
export function waitThenTag(options: { name: string; wait: string; tag: string }) {
  const b = createDocumentBuilder(options.name);
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait', 'wait.delay', { duration: options.wait }, 0, 1);
  b.node('tag', 'action.tag', { add: [options.tag] }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'wait');
  b.edge('wait', 'tag');
  b.edge('tag', 'exit');
  return b.build();
}
