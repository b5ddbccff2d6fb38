import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, required } from '@relance/config';
import { VERSION } from '@relance/config/version';
import { createSql, ensureDefaultWorkspace, migrate } from '@relance/db';
import { createMailProvider } from '@relance/email';
import { createJourneyRuntime } from '@relance/journeys';
import { createApp } from './app';
import { createSettler } from './ingest/settler';
import { createShutdown } from './shutdown';

const config = loadConfig();
const log = (line: string) => process.stderr.write(`${line}\n`);
const sql = createSql({
  databaseUrl: required(config.postgres.url, 'DATABASE_URL'),
  max: config.postgres.poolSize,
  applicationName: 'relance-api',
});
await migrate(sql, { log });
const workspace = await ensureDefaultWorkspace(sql, { writeKey: config.secrets.writeKey });
// Lazy: the API starts (and reports Temporal as down on /api/health) while Temporal is unreachable.
const connection = Connection.lazy({
  address: required(config.temporal.address, 'TEMPORAL_ADDRESS'),
});
const client = new Client({ connection, namespace: config.temporal.namespace });
// Starts journey runs and wakes waiting ones after events or segment changes are committed.
const journeys = createJourneyRuntime({
  sql,
  client,
  taskQueue: config.temporal.taskQueue,
  log,
  eventMaxAgeMs: config.journeys.eventMaxAgeHours * 3_600_000,
});
// Segment settles and journey dispatches of ingested events, after their request is answered:
// kept here so that a shutdown waits for them.
const settler = createSettler({ sql, dispatcher: journeys, log, now: () => new Date() });
const webRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));

const app = createApp({
  sql,
  dispatcher: journeys,
  temporal: { client, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue },
  auth: { adminToken: required(config.secrets.adminToken, 'RELANCE_ADMIN_TOKEN') },
  workspaceId: workspace.id,
  publicUrl: config.publicUrl,
  signingSecret: required(config.secrets.signing, 'RELANCE_SECRET'),
  // Test sends and double opt-in emails; the worker paces its own sends with its own limiter.
  mail: {
    provider: createMailProvider({
      sql,
      smtpUrl: config.mail.smtpUrl,
      ratePerSecond: config.mail.ratePerSecond,
    }),
    from: config.mail.from,
  },
  version: VERSION,
  webRoot: existsSync(`${webRoot}/index.html`) ? webRoot : undefined,
  log,
  settler,
});

const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
  log(`API listening on http://${info.address}:${info.port}`);
});

// Stops taking requests, lets those under way and their hand-overs finish (bounded), then closes.
const stop = createShutdown({
  server,
  settler,
  close: [() => connection.close(), () => sql.end({ timeout: 5 })],
  log,
});
async function shutdown() {
  await stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
// Started by `npm start` with an IPC channel: stop when the launcher goes away, however it died.
if (process.connected) process.once('disconnect', () => void shutdown());
