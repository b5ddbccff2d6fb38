import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '@relance/activities';
import { loadConfig, required } from '@relance/config';
import {
  changeStaticMembership,
  createSql,
  evaluateCondition,
  migrate,
  settleContactsIn,
} from '@relance/db';
import { createDeploymentTracking, createMailProvider } from '@relance/email';
import { createJourneyRuntime } from '@relance/journeys';
import { startSegmentTicker } from './segment-tick';

const config = loadConfig();
// The SDK logs every bundling detail at INFO; below debug level only its warnings are worth reading.
Runtime.install({ logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN') });
const log = (line: string) => process.stderr.write(`${line}\n`);
const sql = createSql({
  databaseUrl: required(config.postgres.url, 'DATABASE_URL'),
  max: config.postgres.poolSize,
  applicationName: 'relance-worker',
});
await migrate(sql, { log });

const temporalAddress = required(config.temporal.address, 'TEMPORAL_ADDRESS');
const connection = await NativeConnection.connect({ address: temporalAddress });
// Activities start and signal journey runs too (bulk enrolment, segment moves made by flows).
const clientConnection = await Connection.connect({ address: temporalAddress });
const journeys = createJourneyRuntime({
  sql,
  client: new Client({ connection: clientConnection, namespace: config.temporal.namespace }),
  taskQueue: config.temporal.taskQueue,
  log,
  eventMaxAgeMs: config.journeys.eventMaxAgeHours * 3_600_000,
});
// Without SMTP, mail goes to the dev outbox shown in the app; either way paced by one limiter.
const mailProvider = createMailProvider({
  sql,
  smtpUrl: config.mail.smtpUrl,
  ratePerSecond: config.mail.ratePerSecond,
});
const tracking = createDeploymentTracking({
  publicUrl: config.publicUrl,
  secret: required(config.secrets.signing, 'RELANCE_SECRET'),
  mailFrom: config.mail.from,
});
const mailFrom = config.mail.from ?? `relance@${new URL(config.publicUrl).hostname}`;
const worker = await Worker.create({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  workflowsPath: fileURLToPath(import.meta.resolve('@relance/workflows')),
  activities: createActivities({
    sql,
    config,
    journeys: {
      runtime: journeys,
      facts: { evaluateCondition, changeStaticMembership, settleContactsIn },
      mailer: { provider: mailProvider, from: mailFrom },
      eventMaxAgeMs: config.journeys.eventMaxAgeHours * 3_600_000,
    },
    email: { provider: mailProvider, tracking, dispatcher: journeys, log },
  }),
});
// The segment clock: one workflow per namespace applies time-driven segment changes.
await startSegmentTicker({
  address: required(config.temporal.address, 'TEMPORAL_ADDRESS'),
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  log,
});
// Starts and signals the dispatcher could not hand to Temporal are retried from Postgres.
const redelivery = journeys.startRedeliveryLoop();
// Started by `npm start` with an IPC channel: stop when the launcher goes away, however it died.
if (process.connected) process.once('disconnect', () => worker.shutdown());
log(`worker polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}`);
// The Temporal runtime shuts the worker down gracefully on SIGINT/SIGTERM; run() then resolves.
await worker.run();
await redelivery.stop();
await mailProvider.close();
await clientConnection.close();
await connection.close();
await sql.end({ timeout: 5 });
log('worker stopped');
