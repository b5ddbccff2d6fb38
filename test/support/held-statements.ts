import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Sql } from '@relance/db';
import { freePort } from './ports';

/**
 * Holds an exclusive lock on `table` in a transaction of its own until `release()`: statements
 * reading the table wait meanwhile, standing in for ones that take seconds over a large base.
 */
export async function holdTableLock(
  sql: Sql,
  table: string,
): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const locked = new Promise<void>((resolve) => (held = resolve));
  const holder = sql.begin(async (tx) => {
    await tx.unsafe(`lock table ${table} in access exclusive mode`);
    held();
    await released;
  });
  await Promise.race([locked, holder]);
  return {
    release: async () => {
      release();
      await holder;
    },
  };
}

/** How many statements of this database starting with `prefix` wait for a lock right now. */
export async function statementsWaitingForALock(sql: Sql, prefix: string): Promise<number> {
  const rows = await sql`
    select pid from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'
      and starts_with(query, ${prefix})`;
  return rows.length;
}

/** Serves `fetch` over real HTTP on a free port (client disconnects included). */
export async function serveOnFreePort(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, hostname: '127.0.0.1', port }, () => resolve(s as Server));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Sends a request over real HTTP while `table` is locked, drops it (the client goes away) once
 * its statement, starting with `statement`, waits for the lock, then waits up to 5 s for
 * PostgreSQL to stop running that statement while the lock is still held: a statement that was
 * not cancelled would keep waiting, and this throws.
 */
export async function dropWhileItsStatementWaits(options: {
  sql: Sql;
  fetch: (request: Request) => Response | Promise<Response>;
  table: string;
  statement: string;
  path: string;
  init: RequestInit;
}): Promise<void> {
  const server = await serveOnFreePort(options.fetch);
  const lock = await holdTableLock(options.sql, options.table);
  const waiting = () => statementsWaitingForALock(options.sql, options.statement);
  try {
    const client = new AbortController();
    const answer = fetch(`${server.url}${options.path}`, {
      ...options.init,
      signal: client.signal,
    }).catch((error: unknown) => error);
    await until(async () => (await waiting()) === 1, 'the statement to wait for the lock');
    client.abort();
    const dropped = await answer;
    if (!(dropped instanceof Error && dropped.name === 'AbortError'))
      throw new Error('The request was answered before it was dropped');
    await until(async () => (await waiting()) === 0, 'the statement to be cancelled');
  } finally {
    await lock.release();
    await server.close();
  }
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Waited 5 s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
