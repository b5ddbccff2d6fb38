import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Sql } from './sql';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
const FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;
// Any constant works; it only has to be the same for every process that migrates.
const LOCK_KEY = 7_305_524_170_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Reads the numbered, forward-only migrations in order and checks their numbering. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE.exec(file);
    if (!match)
      throw new MigrationError(`Migration file ${file} must be named NNNN_snake_case.sql`);
    const text = await readFile(`${dir}/${file}`, 'utf8');
    if (/\bconcurrently\b/i.test(text)) {
      throw new MigrationError(
        `${file}: CREATE INDEX CONCURRENTLY cannot run inside the migration transaction`,
      );
    }
    migrations.push({
      version: Number(match[1]),
      name: file,
      sql: text,
      checksum: createHash('sha256').update(text).digest('hex'),
    });
  }
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new MigrationError(
        `Two migrations share number ${migrations[i]!.version}: ${migrations[i - 1]!.name} and ${migrations[i]!.name}`,
      );
    }
  }
  return migrations;
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so API and worker
 * copies starting together migrate once. Refuses to run when an applied file was edited.
 */
export async function migrate(
  sql: Sql,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(options.dir);
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    await tx`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
    const done = await tx<{ version: number; name: string; checksum: string }[]>`
      select version, name, checksum from schema_migrations order by version`;
    const byVersion = new Map(done.map((row) => [row.version, row]));
    for (const migration of migrations) {
      const previous = byVersion.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new MigrationError(
            `${migration.name} was changed after it was applied. Migrations are forward-only: restore it and add a new numbered file.`,
          );
        }
        continue;
      }
      options.log?.(`applying migration ${migration.name}`);
      await tx.unsafe(migration.sql);
      await tx`
        insert into schema_migrations (version, name, checksum)
        values (${migration.version}, ${migration.name}, ${migration.checksum})`;
      applied.push(migration.name);
    }
  });
  return { applied };
}
