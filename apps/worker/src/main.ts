import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '@relance/activities';
import { loadConfig, required } from '@relance/config';
import { createSql, migrate } from '@relance/db';

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

const connection = await NativeConnection.connect({
  address: required(config.temporal.address, 'TEMPORAL_ADDRESS'),
});
const worker = await Worker.create({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  workflowsPath: fileURLToPath(import.meta.resolve('@relance/workflows')),
  activities: createActivities({ sql, config }),
});
// Started by `npm start` with an IPC channel: stop when the launcher goes away, however it died.
if (process.connected) process.once('disconnect', () => worker.shutdown());
log(`worker polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}`);
// The Temporal runtime shuts the worker down gracefully on SIGINT/SIGTERM; run() then resolves.
await worker.run();
await connection.close();
await sql.end({ timeout: 5 });
log('worker stopped');
