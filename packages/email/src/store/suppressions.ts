import type { Sql } from '@relance/db';

export type SuppressionReason = 'unsubscribed' | 'hard_bounce' | 'complaint' | 'manual';

export type SuppressionRecord = {
  workspaceId: string;
  email: string;
  reason: SuppressionReason;
  detail: string | null;
  messageId: string | null;
  createdAt: Date;
};

/** Stops mail to an address for a reason; suppressing twice for the same reason keeps the first. */
export async function suppressAddress(
  sql: Sql,
  input: {
    workspaceId: string;
    email: string;
    reason: SuppressionReason;
    detail?: string | null;
    messageId?: string | null;
  },
): Promise<void> {
  await sql`
    insert into email_suppressions (workspace_id, email, reason, detail, message_id)
    values (${input.workspaceId}, ${normaliseEmail(input.email)}, ${input.reason},
            ${input.detail ?? null}, ${input.messageId ?? null})
    on conflict (workspace_id, email, reason) do nothing`;
}

/** Lifts one reason (e.g. `unsubscribed` when the contact subscribes again); true if it was there. */
export async function unsuppressAddress(
  sql: Sql,
  workspaceId: string,
  email: string,
  reason: SuppressionReason,
): Promise<boolean> {
  const rows = await sql`
    delete from email_suppressions
    where workspace_id = ${workspaceId} and email = ${normaliseEmail(email)} and reason = ${reason}`;
  return rows.count > 0;
}

/** Why an address is suppressed; empty when it may be mailed. */
export async function suppressionReasons(
  sql: Sql,
  workspaceId: string,
  email: string,
): Promise<SuppressionReason[]> {
  const rows = await sql<{ reason: SuppressionReason }[]>`
    select reason from email_suppressions
    where workspace_id = ${workspaceId} and email = ${normaliseEmail(email)}
    order by reason`;
  return rows.map((row) => row.reason);
}

/**
 * The workspace's suppression list, newest first; `search` matches part of the address,
 * `reason` keeps one reason, `offset` pages on.
 */
export async function listSuppressions(
  sql: Sql,
  workspaceId: string,
  options: { limit?: number; offset?: number; search?: string; reason?: SuppressionReason } = {},
): Promise<SuppressionRecord[]> {
  const search = options.search?.trim().toLowerCase();
  return sql<SuppressionRecord[]>`
    select * from email_suppressions where workspace_id = ${workspaceId}
    ${search ? sql`and strpos(email, ${search}) > 0` : sql``}
    ${options.reason ? sql`and reason = ${options.reason}` : sql``}
    order by created_at desc, email, reason
    limit ${options.limit ?? 100} offset ${options.offset ?? 0}`;
}

/** Addresses are stored the way contacts store them: trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
