import type { Sql } from '@relance/db';
import type { OutgoingMessage } from '../message';

export type OutboxMessageRecord = {
  id: string;
  workspaceId: string;
  messageId: string;
  internetMessageId: string;
  fromAddress: string;
  fromName: string;
  toAddress: string;
  toName: string;
  replyTo: string | null;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  createdAt: Date;
};

/** Stores a delivered message in the dev outbox; returns its outbox id. */
export async function insertOutboxMessage(sql: Sql, message: OutgoingMessage): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into email_outbox
      (workspace_id, message_id, internet_message_id, from_address, from_name, to_address,
       to_name, reply_to, subject, html, text, headers)
    values (${message.workspaceId}, ${message.messageId}, ${message.internetMessageId},
            ${message.from.address}, ${message.from.name}, ${message.to.address}, ${message.to.name},
            ${message.replyTo?.address ?? null}, ${message.subject}, ${message.html}, ${message.text},
            ${sql.json(message.headers)})
    returning id::text`;
  return row!.id;
}

/** The outbox of a workspace, newest first; `beforeId` pages backwards. Bodies are left out. */
export async function listOutboxMessages(
  sql: Sql,
  workspaceId: string,
  options: { limit?: number; beforeId?: string } = {},
): Promise<Omit<OutboxMessageRecord, 'html' | 'text'>[]> {
  return sql<Omit<OutboxMessageRecord, 'html' | 'text'>[]>`
    select id::text, workspace_id, message_id, internet_message_id, from_address, from_name,
           to_address, to_name, reply_to, subject, headers, created_at
    from email_outbox
    where workspace_id = ${workspaceId}
      ${options.beforeId ? sql`and id < ${options.beforeId}` : sql``}
    order by id desc limit ${options.limit ?? 50}`;
}

/** One outbox message with its HTML and text. */
export async function getOutboxMessage(
  sql: Sql,
  workspaceId: string,
  id: string,
): Promise<OutboxMessageRecord | null> {
  const [row] = await sql<OutboxMessageRecord[]>`
    select id::text, workspace_id, message_id, internet_message_id, from_address, from_name,
           to_address, to_name, reply_to, subject, html, text, headers, created_at
    from email_outbox where workspace_id = ${workspaceId} and id = ${id}`;
  return row ?? null;
}
