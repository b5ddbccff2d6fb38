import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createSql, DEFAULT_WORKSPACE_SLUG, type Sql } from '@relance/db';
import { TEMPLATE_DATABASE } from './stack';

export interface TestDatabase {
  sql: Sql;
  url: string;
  /** The default workspace every test database starts with. */
  workspaceId: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the run's real PostgreSQL, cloned from the template in
 * milliseconds. Each test file (or test) gets its own, so tests never see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { pgAdminUrl } = inject('services');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(pgAdminUrl, { max: 1, onnotice: () => {} });
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
  await admin.end();
  const url = pgAdminUrl.replace(/\/postgres$/, `/${name}`);
  const sql = createSql({ databaseUrl: url, max: 5 });
  const [workspace] = await sql<
    { id: string }[]
  >`select id from workspaces where slug = ${DEFAULT_WORKSPACE_SLUG}`;
  return {
    sql,
    url,
    workspaceId: workspace!.id,
    async drop() {
      await sql.end({ timeout: 1 });
      const dropper = postgres(pgAdminUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
