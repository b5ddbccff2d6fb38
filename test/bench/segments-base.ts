import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import postgres from 'postgres';
import { childEnvironment, loadConfig } from '@relance/config';
import { createSql, ensureDefaultWorkspace, migrate } from '@relance/db';
import { createLog } from '@relance/infra/log';
import { startServices } from '@relance/infra/services';
import { freePort } from '../support/ports';
import { GENERATOR_VERSION, generateBase } from './segments-data';

const BASE_DATABASE = 'segments_base';
const READY = 'base-ready.json';

export interface Sizes {
  contacts: number;
  events: number;
}

/**
 * Where generated bases are kept between runs. As root, PostgreSQL runs as `postgres`, which
 * cannot walk into a private home directory: the system cache directory serves then.
 */
async function cacheRoot(cacheDir: string): Promise<string> {
  if (process.getuid?.() !== 0) return `${cacheDir}/bench`;
  const parts = cacheDir.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const info = await stat(`/${parts.slice(0, i).join('/')}`).catch(() => null);
    if (info && (info.mode & 0o001) === 0) return '/var/cache/relance/bench';
  }
  return `${cacheDir}/bench`;
}

/**
 * The cache key: the generator's version and the sizes. Migrations are not part of it: the base
 * is migrated forward when it is opened, so a new migration elsewhere does not cost a 1M-contact
 * regeneration.
 */
/** Whether a process with this id runs (a run database is named after its run's process). */
function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const baseKey = (sizes: Sizes) =>
  `segments-v${GENERATOR_VERSION}-${sizes.contacts}-${sizes.events}`;

/**
 * A PostgreSQL cluster holding the generated segment base (contacts, events, rollups, built-in
 * segments), kept in the cache directory between runs, and a fresh copy of the base for this run
 * (`CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY`: the files are copied, statistics
 * included), so what a run writes never reaches the cache. The first run on a machine, or after
 * the generator changed, generates the base (minutes); later runs start in seconds.
 */
export async function openSegmentsBase(sizes: Sizes, log: (line: string) => void) {
  const config = loadConfig();
  const dir = `${await cacheRoot(config.cacheDir)}/${baseKey(sizes)}`;
  const ready = await readFile(`${dir}/${READY}`, 'utf8').then(
    (text) => JSON.parse(text) as { generationMs: number },
    () => null,
  );
  if (!ready) {
    log(`no cached base in ${dir}: generating it`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
  } else {
    log(`cached base in ${dir} (generated in ${Math.round(ready.generationMs / 1000)} s)`);
  }
  const services = await startServices({
    config: {
      ...config,
      postgres: { ...config.postgres, url: undefined, embeddedPort: await freePort() },
    },
    dataDir: dir,
    log: createLog('bench-stack'),
    env: childEnvironment({}),
    ephemeral: true,
    temporal: false,
  });
  const adminUrl = services.databaseUrl.replace(/\/relance$/, '/postgres');
  const baseUrl = adminUrl.replace(/\/postgres$/, `/${BASE_DATABASE}`);
  const runDatabase = `segments_run_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    let generationMs = ready?.generationMs ?? 0;
    if (!ready) {
      await admin.unsafe(`drop database if exists ${BASE_DATABASE}`);
      await admin.unsafe(`create database ${BASE_DATABASE}`);
    }
    const base = createSql({ databaseUrl: baseUrl, max: 1 });
    try {
      await migrate(base);
      if (!ready) {
        await ensureDefaultWorkspace(base);
        const [workspace] = await base<{ id: string }[]>`select id from workspaces limit 1`;
        ({ generationMs } = await generateBase(base, workspace!.id, sizes, log));
      }
    } finally {
      await base.end();
    }
    if (!ready) {
      // Without fsync only an operating-system crash could lose what the checkpoint wrote.
      await admin.unsafe(`checkpoint`);
      await writeFile(`${dir}/${READY}`, JSON.stringify({ generationMs }));
    }
    // A run that was killed left its copy behind (gigabytes at 1M contacts): dropped here.
    const copies = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like 'segments\_run\_%'`;
    for (const { datname } of copies) {
      if (datname !== runDatabase && !isRunning(Number(datname.slice('segments_run_'.length)))) {
        log(`dropping ${datname}, left by a run that did not finish`);
        await admin.unsafe(`drop database if exists ${datname} with (force)`);
      }
    }
    const copying = performance.now();
    await admin.unsafe(`drop database if exists ${runDatabase} with (force)`);
    await admin.unsafe(
      `create database ${runDatabase} template ${BASE_DATABASE} strategy file_copy`,
    );
    log(`copied the base for this run in ${Math.round(performance.now() - copying)} ms`);
    return {
      databaseUrl: adminUrl.replace(/\/postgres$/, `/${runDatabase}`),
      generationMs,
      cached: ready !== null,
      async stop() {
        const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
        await dropper.unsafe(`drop database if exists ${runDatabase} with (force)`);
        await dropper.end();
        await services.stop();
      },
    };
  } catch (error) {
    await services.stop();
    throw error;
  } finally {
    await admin.end();
  }
}
