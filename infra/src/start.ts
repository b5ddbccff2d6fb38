import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { childEnvironment, ConfigError, loadConfig } from '@relance/config';
import { createSql, ensureDefaultWorkspace, migrate } from '@relance/db';
import { createLog } from './log';
import { ProvisionError, runCommand, startProcess, type ManagedProcess } from './process';
import { resolveSecrets } from './secrets';
import { startServices, type Services } from './services';

// `npm start`: embedded Postgres and Temporal (unless configured), migrations, the web build,
// then the worker and the API as child processes. Ctrl-C stops everything in reverse order.
const root = fileURLToPath(new URL('../..', import.meta.url));
const log = createLog();

let services: Services | undefined;
const children: ManagedProcess[] = [];
let stopping: Promise<void> | undefined;

/** Stops the API and worker first (they drain), then Temporal, then Postgres. */
function stopAll(code: number): Promise<void> {
  return (stopping ??= (async () => {
    log.step('stopping Relance…');
    await Promise.all(children.map((child) => child.stop(10_000)));
    await services?.stop();
    log.info('stopped');
    process.exit(code);
  })());
}

let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (++interrupts > 1 && stopping) {
      log.warn('interrupted again: killing the API and worker now');
      for (const child of children) child.child.kill('SIGKILL');
      return;
    }
    void stopAll(0);
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const dataDir = resolve(root, config.dataDir);
  const env = childEnvironment({});
  const secrets = await resolveSecrets(config, dataDir);

  services = await startServices({ config, dataDir, log, env });

  log.step('applying database migrations');
  const sql = createSql({ databaseUrl: services.databaseUrl, max: 1 });
  const { applied } = await migrate(sql, { log: log.info });
  if (applied.length === 0) log.info('database schema is up to date');
  const workspace = await ensureDefaultWorkspace(sql, { writeKey: config.secrets.writeKey });
  await sql.end();

  log.step('building the web app');
  await runCommand(
    process.execPath,
    [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      log,
      cwd: resolve(root, 'apps/web'),
      env,
    },
  );

  const childEnv = childEnvironment({
    DATABASE_URL: services.databaseUrl,
    TEMPORAL_ADDRESS: services.temporalAddress,
    RELANCE_ADMIN_TOKEN: secrets.adminToken,
    RELANCE_SECRET: secrets.signingSecret,
  });
  const tsx = ['--import', 'tsx'];
  for (const [name, entry] of [
    ['worker', 'apps/worker/src/main.ts'],
    ['api', 'apps/api/src/main.ts'],
  ] as const) {
    log.step(`starting the ${name}`);
    const child = startProcess(name, process.execPath, [...tsx, resolve(root, entry)], {
      env: childEnv,
      cwd: root,
    });
    children.push(child);
    void child.exited.then((code) => {
      if (stopping) return;
      log.error(`the ${name} stopped unexpectedly (exit code ${code}); stopping Relance`);
      void stopAll(1);
    });
  }

  const appUrl = config.publicUrl;
  await waitForHealth(`http://127.0.0.1:${config.port}/api/health`);
  const lines = [
    '',
    '  Relance is running.',
    '',
    `  App            ${appUrl}/#token=${secrets.adminToken}`,
    `  API            ${appUrl}/api   (health: ${appUrl}/api/health)`,
    `  Ingestion      ${appUrl}/v1    (Segment-compatible identify / track / batch)`,
    `  Temporal UI    ${services.temporalUiUrl ?? '(external Temporal: see its own UI)'}`,
    `  Temporal       ${services.temporalAddress}${services.temporalEmbedded ? `   (embedded dev server, ${config.dataDir}/temporal.db)` : ''}`,
    `  PostgreSQL     ${services.postgresEmbedded ? `127.0.0.1:${config.postgres.embeddedPort}   (embedded, data in ${config.dataDir}/pg)` : 'DATABASE_URL'}`,
    '',
    `  Admin token    ${secrets.adminToken}`,
    `  Write key      ${workspace.writeKey}`,
    '',
    '  Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = await response.text();
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new ProvisionError(`The API did not become healthy at ${url} within 120 s: ${last}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ProvisionError) log.error(error.message);
  else log.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  void stopAll(1);
});
