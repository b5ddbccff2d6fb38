import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '@relance/activities';
import { loadConfig } from '@relance/config';
import {
  changeStaticMembership,
  DEFAULT_WORKSPACE_SLUG,
  evaluateCondition,
  settleContactsIn,
  type Sql,
} from '@relance/db';
import { createDeploymentTracking, createOutboxProvider } from '@relance/email';
import { createJourneyRuntime } from '@relance/journeys';
import { createTestApp, TEST_ADMIN_TOKEN, TEST_SIGNING_SECRET } from './app';
import { freePort } from './ports';
import type { TestServices } from './stack';
import { cloneTemplateDatabase } from './stack';
import { quietWorkerLogs } from './temporal';
import { buildWebApp } from './web-build';

/** The whole product on a free port: API, freshly built web app, and a journey worker. */
export interface LiveApp {
  /** `http://127.0.0.1:<port>`: open `${url}/#token=${adminToken}` to sign in. */
  url: string;
  adminToken: string;
  /** The workspace's write key, for `/v1/track` and `/v1/identify`. */
  writeKey: string;
  workspaceId: string;
  sql: Sql;
  stop(): Promise<void>;
}

/**
 * Starts the product in-process over the run's PostgreSQL and Temporal (vitest's
 * `inject('services')`, or a benchmark's own): a fresh database cloned from the migrated
 * template, the real Hono app serving a fresh `vite build`, and, unless `worker` is false, a
 * Temporal worker running journeys on the app's own task queue.
 */
export async function startLiveApp(options: {
  services: TestServices;
  worker?: boolean;
}): Promise<LiveApp> {
  quietWorkerLogs();
  const [db, webRoot] = await Promise.all([
    cloneTemplateDatabase(options.services.pgAdminUrl, { prefix: 'live', max: 8 }),
    buildWebApp(),
  ]);
  const [workspace] = await db.sql<{ id: string; writeKey: string }[]>`
    select id, write_key from workspaces where slug = ${DEFAULT_WORKSPACE_SLUG}`;
  const connection = await Connection.connect({ address: options.services.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const taskQueue = `live-${randomUUID()}`;
  const dispatcher = createJourneyRuntime({ sql: db.sql, client, taskQueue, log: () => {} });
  const mail = createOutboxProvider({ sql: db.sql });
  // Links in sent emails (tracking, unsubscribe) point back at this very server.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tracking = createDeploymentTracking({ publicUrl: url, secret: TEST_SIGNING_SECRET });
  const { app } = createTestApp({
    db: { sql: db.sql, url: '', workspaceId: workspace!.id, drop: db.drop },
    temporal: { client, taskQueue },
    dispatcher,
    overrides: { webRoot, publicUrl: url, mail: { provider: mail } },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => resolve(s));
  });

  let worker: { shutdown(): void; done: Promise<void>; connection: NativeConnection } | null = null;
  if (options.worker !== false) {
    const nativeConnection = await NativeConnection.connect({
      address: options.services.temporalAddress,
    });
    const w = await Worker.create({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowsPath: fileURLToPath(import.meta.resolve('@relance/workflows')),
      // As apps/worker builds them, with mail going to the dev outbox.
      activities: createActivities({
        sql: db.sql,
        config: loadConfig(),
        journeys: {
          runtime: dispatcher,
          facts: { evaluateCondition, changeStaticMembership, settleContactsIn },
          mailer: { provider: mail, from: 'relance@relance.test' },
        },
        email: { provider: mail, tracking, dispatcher, log: () => {} },
      }),
      shutdownGraceTime: '1 second',
    });
    worker = { shutdown: () => w.shutdown(), done: w.run(), connection: nativeConnection };
  }

  return {
    url,
    adminToken: TEST_ADMIN_TOKEN,
    writeKey: workspace!.writeKey,
    workspaceId: workspace!.id,
    sql: db.sql,
    async stop() {
      if (worker) {
        worker.shutdown();
        await worker.done;
        await worker.connection.close();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mail.close();
      await connection.close();
      await db.drop();
    },
  };
}
