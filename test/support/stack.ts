import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import postgres from 'postgres';
import { childEnvironment, loadConfig } from '@relance/config';
import { createSql, ensureDefaultWorkspace, migrate, type Sql } from '@relance/db';
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

/** A database cloned from the run's migrated template: its URL, a pool, and how to drop it. */
export interface ClonedDatabase {
  name: string;
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

/**
 * Clones the migrated template database in milliseconds (`CREATE DATABASE … TEMPLATE`). Takes the
 * cluster's admin URL explicitly so benchmarks, which have no vitest context, can use it too.
 */
export async function cloneTemplateDatabase(
  pgAdminUrl: string,
  options: { prefix?: string; max?: number } = {},
): Promise<ClonedDatabase> {
  const name = `${options.prefix ?? 't'}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(pgAdminUrl, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`);
        break;
      } catch (error) {
        // Two files cloning the template at the same instant: the second waits its turn.
        if (attempt < 20 && /being accessed by other users/.test(String(error))) {
          await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
          continue;
        }
        throw error;
      }
    }
  } finally {
    await admin.end();
  }
  const url = pgAdminUrl.replace(/\/postgres$/, `/${name}`);
  const sql = createSql({ databaseUrl: url, max: options.max ?? 5 });
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 1 });
      const dropper = postgres(pgAdminUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
