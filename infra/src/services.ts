import { resolve } from 'node:path';
import postgres from 'postgres';
import type { Config } from '@relance/config';
import type { Log } from './log';
import { startEmbeddedPostgres } from './postgres';
import { ProvisionError } from './process';
import { findTemporalCli } from './temporal-cli';
import { isServing, startTemporalDevServer } from './temporal-server';

export interface Services {
  databaseUrl: string;
  /** Whether Postgres was started here (embedded) or given (DATABASE_URL). */
  postgresEmbedded: boolean;
  /** Empty when started with `temporal: false`. */
  temporalAddress: string;
  temporalUiUrl: string | undefined;
  temporalEmbedded: boolean;
  stop(): Promise<void>;
}

/**
 * Brings up Postgres and Temporal: the ones configured by DATABASE_URL / TEMPORAL_ADDRESS, or
 * embedded ones (real PostgreSQL under `<dataDir>/pg`, the Temporal dev server persisting to
 * `<dataDir>/temporal.db`) when those are unset.
 */
export async function startServices(options: {
  config: Config;
  dataDir: string;
  log: Log;
  env: Record<string, string>;
  /** Throwaway mode for tests: non-durable Postgres, in-memory headless Temporal. */
  ephemeral?: boolean;
  /** False to bring up Postgres only (time-skipping tests bring their own Temporal). */
  temporal?: boolean;
}): Promise<Services> {
  const { config, log } = options;
  const dataDir = resolve(options.dataDir);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error: unknown) => log.warn(String(error)));
  };
  try {
    let databaseUrl: string;
    if (config.postgres.url) {
      log.step('using the PostgreSQL at DATABASE_URL');
      await checkPostgres(config.postgres.url);
      databaseUrl = config.postgres.url;
    } else {
      const pg = await startEmbeddedPostgres({
        dataDir: `${dataDir}/pg`,
        port: config.postgres.embeddedPort,
        database: 'relance',
        log,
        ephemeral: options.ephemeral ?? false,
      });
      stops.push(() => pg.stop());
      databaseUrl = pg.url;
    }

    let temporalAddress = '';
    let temporalUiUrl: string | undefined;
    if (options.temporal === false) {
      log.info('Temporal not started (not needed here)');
    } else if (config.temporal.address) {
      log.step(`using the Temporal server at TEMPORAL_ADDRESS (${config.temporal.address})`);
      if (!(await isServing(config.temporal.address, config.temporal.namespace))) {
        throw new ProvisionError(
          `No Temporal server answers at TEMPORAL_ADDRESS=${config.temporal.address} with namespace "${config.temporal.namespace}". Start it, fix the address, or unset TEMPORAL_ADDRESS to use the embedded dev server.`,
        );
      }
      temporalAddress = config.temporal.address;
    } else {
      const cliPath = await findTemporalCli({
        cliPath: config.temporal.cliPath,
        searchPath: config.path,
        cacheDir: config.cacheDir,
        log,
        env: options.env,
      });
      log.info(`Temporal CLI: ${cliPath}`);
      const server = await startTemporalDevServer({
        cliPath,
        port: config.temporal.port,
        ...(options.ephemeral
          ? {}
          : { uiPort: config.temporal.uiPort, dbFile: `${dataDir}/temporal.db` }),
        namespace: config.temporal.namespace,
        log,
      });
      stops.push(() => server.stop());
      temporalAddress = server.address;
      temporalUiUrl = server.uiUrl;
    }
    return {
      databaseUrl,
      postgresEmbedded: !config.postgres.url,
      temporalAddress,
      temporalUiUrl,
      temporalEmbedded: !config.temporal.address,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function checkPostgres(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const [row] = await sql<
      { version: number }[]
    >`select current_setting('server_version_num')::int as version`;
    if (row!.version < 140000) {
      throw new ProvisionError(
        `The PostgreSQL at DATABASE_URL is version ${row!.version}; Relance needs 14 or later.`,
      );
    }
  } catch (error) {
    if (error instanceof ProvisionError) throw error;
    throw new ProvisionError(
      `Cannot connect to DATABASE_URL: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await sql.end({ timeout: 1 });
  }
}
