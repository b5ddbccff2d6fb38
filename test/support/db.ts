import { inject } from 'vitest';
import { DEFAULT_WORKSPACE_SLUG, ingestMessages, type Sql } from '@relance/db';
import { cloneTemplateDatabase } from './stack';

export interface TestDatabase {
  sql: Sql;
  url: string;
  /** The default workspace every test database starts with. */
  workspaceId: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the run's real PostgreSQL. Each test file (or test) gets its
 * own, so tests never see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await cloneTemplateDatabase(inject('services').pgAdminUrl);
  const [workspace] = await db.sql<
    { id: string }[]
  >`select id from workspaces where slug = ${DEFAULT_WORKSPACE_SLUG}`;
  return { sql: db.sql, url: db.url, workspaceId: workspace!.id, drop: db.drop };
}

/** A contact of the test workspace, made by ingesting one `page.viewed` from `userId` at `at`. */
export async function contactFromEvent(
  db: TestDatabase,
  userId: string,
  at: Date,
): Promise<string> {
  const result = await ingestMessages(
    db.sql,
    db.workspaceId,
    [{ type: 'track', identity: { userId }, event: 'page.viewed', properties: {}, occurredAt: at }],
    { now: at },
  );
  return result.contactIds[0]!;
}
