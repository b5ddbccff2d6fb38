import { domainToUnicode } from 'node:url';
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

/**
 * Stops mail to an address for a reason; suppressing twice for the same reason keeps the first.
 * True when this call added it (false when the address was already suppressed for the reason).
 */
export async function suppressAddress(
  sql: Sql,
  input: {
    workspaceId: string;
    email: string;
    reason: SuppressionReason;
    detail?: string | null;
    messageId?: string | null;
  },
): Promise<boolean> {
  // One form, whoever holds the address now or later: sends compare the contact's address in
  // that form (`relance_email_unicode`, migration 0089).
  const rows = await sql`
    insert into email_suppressions (workspace_id, email, reason, detail, message_id)
    values (${input.workspaceId}, ${normaliseEmail(input.email)}, ${input.reason},
            ${input.detail ?? null}, ${input.messageId ?? null})
    on conflict (workspace_id, email, reason) do nothing`;
  return rows.count > 0;
}

/**
 * When an address was suppressed for a reason, in microseconds since 1970 as text (null when it
 * is not): names that suppression, a later one for the same reason after a lift reading another.
 */
export async function suppressedSince(
  sql: Sql,
  workspaceId: string,
  email: string,
  reason: SuppressionReason,
): Promise<string | null> {
  const [row] = await sql<{ since: string }[]>`
    select (extract(epoch from created_at) * 1000000)::bigint::text as since
    from email_suppressions
    where workspace_id = ${workspaceId} and email = ${normaliseEmail(email)}
      and reason = ${reason}`;
  return row?.since ?? null;
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
    where workspace_id = ${workspaceId} and email = ${normaliseEmail(email)}
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
    ${search ? sql`and (strpos(email, ${search}) > 0 or strpos(email, ${searchForm(search)}) > 0)` : sql``}
    ${options.reason ? sql`and reason = ${options.reason}` : sql``}
    order by created_at desc, email, reason
    limit ${options.limit ?? 100} offset ${options.offset ?? 0}`;
}

/**
 * The one form suppressions are stored and looked up in: trimmed, lower-cased, an
 * internationalised domain in its Unicode form (bounces and complaints report the punycode form we
 * send to, and a contact may hold either).
 */
export function normaliseEmail(email: string): string {
  return withDomain(email.trim().toLowerCase(), unicodeDomain);
}

// Node decodes `xn--mnchen-3ya-` to a label without an international letter, which IDNA refuses
// and `relance_email_unicode` (the send check's form, migration 0089) keeps as written: so does
// this.
function unicodeDomain(domain: string): string {
  const decoded = domainToUnicode(domain);
  const labels = domain.split('.');
  const refused = decoded
    .split('.')
    .some((label, i) => labels[i]?.startsWith('xn--') && !/[^ -~]/.test(label));
  return refused ? domain : decoded;
}

// A search that spells a domain label in punycode (`@xn--exmple-cua`) finds the Unicode form
// stored; a label cut short decodes to nonsense, so the search as typed is tried as well.
function searchForm(search: string): string {
  return search.replace(/[^@.\s]*xn--[^@.\s]*/g, (label) => domainToUnicode(label) || label);
}

function withDomain(email: string, convert: (domain: string) => string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return email;
  const domain = convert(email.slice(at + 1));
  return domain ? `${email.slice(0, at)}@${domain}` : email;
}
