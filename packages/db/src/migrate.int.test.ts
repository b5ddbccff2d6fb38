import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import { migrate, MigrationError, readMigrations } from './migrate';

const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((db) => db.drop()));
});

async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  // Start from nothing: the template is already migrated.
  await db.sql.unsafe('drop schema public cascade; create schema public;');
  return db;
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(`${tmpdir()}/relance-migrations-`);
  for (const [name, text] of Object.entries(files)) await writeFile(`${dir}/${name}`, text);
  return dir;
}

describe('migrate', () => {
  it('applies every shipped migration to an empty database, then has nothing to do', async () => {
    const db = await emptyDatabase();
    const shipped = await readMigrations();
    expect(shipped.map((m) => m.version)).toEqual(
      [...shipped.map((m) => m.version)].sort((a, b) => a - b),
    );
    expect((await migrate(db.sql)).applied).toEqual(shipped.map((m) => m.name));
    expect((await migrate(db.sql)).applied).toEqual([]);
    const tables = await db.sql<
      { tablename: string }[]
    >`select tablename from pg_tables where schemaname = 'public'`;
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining(['workspaces', 'contacts', 'events', 'schema_migrations']),
    );
  });

  it('migrates once when several processes start together (advisory lock)', async () => {
    const db = await emptyDatabase();
    const results = await Promise.all([migrate(db.sql), migrate(db.sql), migrate(db.sql)]);
    const applied = results.flatMap((r) => r.applied);
    expect(applied).toEqual((await readMigrations()).map((m) => m.name));
  });

  it('refuses to run when an applied migration was edited', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir({ '0001_a.sql': 'create table a (id int);' });
    await migrate(db.sql, { dir });
    await writeFile(`${dir}/0001_a.sql`, 'create table a (id bigint);');
    await expect(migrate(db.sql, { dir })).rejects.toThrow(
      /0001_a\.sql was changed after it was applied/,
    );
  });

  it('rolls back a failing migration entirely', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir({
      '0001_ok.sql': 'create table ok (id int);',
      '0002_bad.sql': 'create table broken (',
    });
    await expect(migrate(db.sql, { dir })).rejects.toThrow();
    const [row] = await db.sql<
      { exists: boolean }[]
    >`select to_regclass('ok') is not null as exists`;
    expect(row!.exists).toBe(false);
  });

  it.each([
    [{ '0001_a.sql': 'select 1;', '0001_b.sql': 'select 1;' }, /Two migrations share number 1/],
    [{ 'add-things.sql': 'select 1;' }, /must be named NNNN_snake_case\.sql/],
    [{ '0001_idx.sql': 'create index concurrently i on t (x);' }, /CONCURRENTLY/],
  ])('rejects a malformed migrations folder %#', async (files, message) => {
    await expect(readMigrations(await migrationsDir(files))).rejects.toThrow(message);
    await expect(readMigrations(await migrationsDir(files))).rejects.toBeInstanceOf(MigrationError);
  });
});

describe('schema', () => {
  it('normalises nothing silently: a non-normalised email is rejected by the database', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    await expect(
      db.sql`insert into contacts (workspace_id, email) values (${db.workspaceId}, ' Ada@Example.com')`,
    ).rejects.toThrow(/contacts_email_normalised/);
  });
});
