import type { Sql, TransactionSql } from './sql';

// The zones this PostgreSQL knows, loaded once per pool: a zone Node accepts but the database
// does not would fail the contacts check constraint and, with it, a whole ingest batch.
const zones = new WeakMap<object, Promise<Set<string>>>();

/** True when PostgreSQL knows the IANA time zone (`Europe/Paris`, `UTC`). */
export async function isKnownTimeZone(
  sql: Sql | TransactionSql,
  pool: object,
  name: string,
): Promise<boolean> {
  let known = zones.get(pool);
  if (!known) {
    known = sql<{ name: string }[]>`select name from pg_timezone_names`.then(
      (rows) => new Set(rows.map((r) => r.name)),
    );
    zones.set(pool, known);
    known.catch(() => zones.delete(pool));
  }
  return (await known).has(name);
}
