import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import postgres from 'postgres';
import { childEnvironment, loadConfig } from '@relance/config';
import { createSql, ensureDefaultWorkspace, migrate } from '@relance/db';
import { createLog } from '@relance/infra/log';
import { startServices } from '@relance/infra/services';
import { freePort } from './ports';

export const TEMPLATE_DATABASE = 'relance_template';

/** What the global setups hand to test files through vitest's provide/inject. */
export interface TestServices {
  /** Connection URL of the cluster's maintenance database, for creating per-file databases. */
  pgAdminUrl: string;
  temporalAddress: string;
}

/**
 * Starts throwaway real services for a test run: PostgreSQL (non-durable settings) in a temp dir
 * and, unless `temporal` is false, an in-memory Temporal dev server. Builds the migrated template
 * database every test database is cloned from.
 */
export async function startTestServices(options: { temporal: boolean }) {
  const log = createLog('test-stack');
  const dir = await mkdtemp(`${tmpdir()}/relance-test-`);
  await chmod(dir, 0o755); // PostgreSQL runs as the postgres user when we are root.
  const base = loadConfig();
  const config = {
    ...base,
    postgres: { ...base.postgres, url: undefined, embeddedPort: await freePort() },
    temporal: { ...base.temporal, address: undefined, port: await freePort() },
  };
  const services = await startServices({
    config,
    dataDir: dir,
    log,
    env: childEnvironment({}),
    ephemeral: true,
    temporal: options.temporal,
  });
  const adminUrl = services.databaseUrl.replace(/\/relance$/, '/postgres');
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${TEMPLATE_DATABASE}`);
  await admin.end();
  const template = createSql({
    databaseUrl: services.databaseUrl.replace(/\/relance$/, `/${TEMPLATE_DATABASE}`),
    max: 1,
  });
  await migrate(template);
  await ensureDefaultWorkspace(template);
  await template.end();
  return {
    provided: {
      pgAdminUrl: adminUrl,
      temporalAddress: services.temporalAddress,
    } satisfies TestServices,
    async stop() {
      await services.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
