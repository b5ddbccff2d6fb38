import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '@relance/db';

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Creates (or replaces) the workspace's feedback webhook secret and returns it; only its hash is
 * stored, so this is the one time it can be read. Replacing it stops the old one at once.
 */
export async function rotateFeedbackSecret(sql: Sql, workspaceId: string): Promise<string> {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  await sql`
    insert into email_feedback_secrets (workspace_id, secret_sha256)
    values (${workspaceId}, ${sha256(secret)})
    on conflict (workspace_id) do update
    set secret_sha256 = excluded.secret_sha256, created_at = now()`;
  return secret;
}

/** The workspace a feedback webhook secret belongs to, or null when no workspace has it. */
export async function workspaceOfFeedbackSecret(sql: Sql, secret: string): Promise<string | null> {
  const [row] = await sql<{ workspaceId: string }[]>`
    select workspace_id from email_feedback_secrets where secret_sha256 = ${sha256(secret)}`;
  return row?.workspaceId ?? null;
}

/** When the workspace's feedback secret was created; null when it has none. */
export async function feedbackSecretCreatedAt(sql: Sql, workspaceId: string): Promise<Date | null> {
  const [row] = await sql<{ createdAt: Date }[]>`
    select created_at from email_feedback_secrets where workspace_id = ${workspaceId}`;
  return row?.createdAt ?? null;
}
