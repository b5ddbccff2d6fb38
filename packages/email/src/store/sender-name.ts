import type { Sql } from '@relance/db';

/** The name recipients know the workspace's emails by (the workspace's name); null if gone. */
export async function senderName(sql: Sql, workspaceId: string): Promise<string | null> {
  const [row] = await sql<
    { name: string }[]
  >`select name from workspaces where id = ${workspaceId}`;
  return row?.name.trim() || null;
}
