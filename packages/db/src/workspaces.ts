import { randomBytes } from 'node:crypto';
import type { Sql } from './sql';
import { seedWorkspaceDefaults } from './workspace-defaults';

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  writeKey: string;
  createdAt: Date;
}

export const DEFAULT_WORKSPACE_SLUG = 'default';

/** A random key in the style of an API key: `prefix_` + 32 url-safe characters. */
export function generateKey(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/**
 * The single workspace of a self-hosted install, created on first start. A write key given by
 * configuration replaces the stored one; otherwise a key is generated once and kept.
 */
export async function ensureDefaultWorkspace(
  sql: Sql,
  options: { writeKey?: string | undefined; name?: string } = {},
): Promise<Workspace> {
  const [created] = await sql<Workspace[]>`
    insert into workspaces (slug, name, write_key)
    values (${DEFAULT_WORKSPACE_SLUG}, ${options.name ?? 'My workspace'}, ${options.writeKey ?? generateKey('wk')})
    on conflict (slug) do nothing
    returning *`;
  if (created) {
    await seedWorkspaceDefaults(sql, created.id);
    return created;
  }
  const [workspace] = options.writeKey
    ? await sql<Workspace[]>`
        update workspaces set write_key = ${options.writeKey}, updated_at = now()
        where slug = ${DEFAULT_WORKSPACE_SLUG} returning *`
    : await sql<Workspace[]>`select * from workspaces where slug = ${DEFAULT_WORKSPACE_SLUG}`;
  // Idempotent: workspaces created before the built-in segments existed get them once.
  await seedWorkspaceDefaults(sql, workspace!.id);
  return workspace!;
}

export async function findWorkspaceByWriteKey(
  sql: Sql,
  writeKey: string,
): Promise<Workspace | undefined> {
  const [workspace] = await sql<
    Workspace[]
  >`select * from workspaces where write_key = ${writeKey}`;
  return workspace;
}
