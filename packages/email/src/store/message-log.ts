import type { Sql } from '@relance/db';
import type { EmailMessageRecord, MessageStatus } from './messages';

/**
 * A message as the app lists it: the record, what its recipient did with it (the first report
 * of each kind, migration 0064), and the dev outbox copy, when it went there.
 */
export type MessageLogEntry = EmailMessageRecord & {
  deliveredAt: Date | null;
  /** The first open by a person, or click (a machine's open does not set it, since 0075). */
  openedAt: Date | null;
  /**
   * The first open by a machine (Apple Mail Privacy Protection's prefetch, a scanner, a HEAD
   * request; migration 0078), whether or not a person opened it too.
   */
  machineOpenedAt: Date | null;
  clickedAt: Date | null;
  unsubscribedAt: Date | null;
  bouncedAt: Date | null;
  complainedAt: Date | null;
  outboxId: string | null;
};

export type MessageLogQuery = {
  contactId?: string | undefined;
  templateId?: string | undefined;
  status?: MessageStatus | undefined;
  /**
   * Messages created strictly before this cursor (the previous page's last `cursorAt` and id):
   * the time as text to the microsecond, since one transaction's messages share theirs.
   */
  before?: { at: string; id: string } | undefined;
  limit: number;
};

/**
 * The workspace's message log, newest first, filtered by contact, template and status. Paged by
 * (created_at, id) so messages created in the same instant are neither skipped nor repeated.
 */
export async function listMessageLog(
  sql: Sql,
  workspaceId: string,
  query: MessageLogQuery,
): Promise<(MessageLogEntry & { cursorAt: string })[]> {
  const before = query.before;
  return sql<(MessageLogEntry & { cursorAt: string })[]>`
    select m.*, o.id::text as outbox_id,
      to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
    from email_messages m
    left join lateral (
      select id from email_outbox o
      where o.message_id = m.id::text and o.workspace_id = m.workspace_id
      order by id limit 1
    ) o on true
    where m.workspace_id = ${workspaceId}
      ${query.contactId ? sql`and m.contact_id = ${query.contactId}` : sql``}
      ${query.templateId ? sql`and m.template_id = ${query.templateId}` : sql``}
      ${query.status ? sql`and m.status = ${query.status}` : sql``}
      ${before ? sql`and (m.created_at, m.id) < (${before.at}::text::timestamptz, ${before.id}::uuid)` : sql``}
    order by m.created_at desc, m.id desc
    limit ${query.limit}`;
}

/** Every copy of a message in the dev outbox (more than one would be a duplicate send). */
export async function countOutboxCopies(sql: Sql, messageId: string): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from email_outbox where message_id = ${messageId}`;
  return row!.count;
}

/** One message of the workspace with its dev outbox copy's id; null when there is none. */
export async function getMessageLogEntry(
  sql: Sql,
  workspaceId: string,
  id: string,
): Promise<MessageLogEntry | null> {
  const [row] = await sql<MessageLogEntry[]>`
    select m.*, (
      select o.id::text from email_outbox o
      where o.message_id = m.id::text and o.workspace_id = m.workspace_id order by o.id limit 1
    ) as outbox_id
    from email_messages m where m.workspace_id = ${workspaceId} and m.id = ${id}`;
  return row ?? null;
}
