import type { Sql } from '@relance/db';

/** Inserts a contact and returns its id (integration tests only). */
export async function insertContact(
  sql: Sql,
  workspaceId: string,
  contact: {
    email?: string | null;
    timezone?: string | null;
    properties?: Record<string, unknown>;
  } = {},
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into contacts (workspace_id, email, external_id, timezone, properties)
    values (${workspaceId}, ${contact.email === undefined ? `c${Math.random().toString(36).slice(2)}@example.test` : contact.email},
            ${contact.email === null ? `ext-${Math.random().toString(36).slice(2)}` : null},
            ${contact.timezone ?? null}, ${sql.json((contact.properties ?? {}) as Record<string, string>)})
    returning id`;
  return row!.id;
}

/** Inserts another workspace and returns its id. */
export async function insertWorkspace(sql: Sql, slug: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into workspaces (slug, name, write_key) values (${slug}, ${slug}, ${`wk_${slug}`})
    returning id`;
  return row!.id;
}
