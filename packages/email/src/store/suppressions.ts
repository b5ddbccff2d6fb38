import { domainToASCII, domainToUnicode } from 'node:url';
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
  const [normalised, ...others] = storedForms(input.email);
  // Stored as the workspace's contact writes it (sends match the contact's address exactly),
  // otherwise with the domain in its Unicode form.
  await sql`
    insert into email_suppressions (workspace_id, email, reason, detail, message_id)
    select ${input.workspaceId},
           coalesce((select c.email from contacts c
                     where c.workspace_id = ${input.workspaceId}
                       and c.email in ${sql([normalised!, ...others])}
                     order by c.email = ${normalised!} desc limit 1), ${normalised!}),
           ${input.reason}, ${input.detail ?? null}, ${input.messageId ?? null}
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
    where workspace_id = ${workspaceId} and email in ${sql(storedForms(email))}
      and reason = ${reason}`;
  return rows.count > 0;
}

/** Why an address is suppressed; empty when it may be mailed. */
export async function suppressionReasons(
  sql: Sql,
  workspaceId: string,
  email: string,
): Promise<SuppressionReason[]> {
  const rows = await sql<{ reason: SuppressionReason }[]>`
    select distinct reason from email_suppressions
    where workspace_id = ${workspaceId} and email in ${sql(storedForms(email))}
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

/**
 * Addresses are stored the way contacts store them: trimmed and lower-cased, an internationalised
 * domain in its Unicode form (bounces and complaints report the punycode form we send to).
 */
export function normaliseEmail(email: string): string {
  return withDomain(email.trim().toLowerCase(), domainToUnicode);
}

// A contact may keep its address with the punycode domain, and its suppressions are stored in
// that form (migration 0080 moved the other punycode rows written before domains were
// normalised to the Unicode form).
function storedForms(email: string): string[] {
  const normalised = normaliseEmail(email);
  return [...new Set([normalised, withDomain(normalised, domainToASCII)])];
}

function withDomain(email: string, convert: (domain: string) => string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return email;
  const domain = convert(email.slice(at + 1));
  return domain ? `${email.slice(0, at)}@${domain}` : email;
}
