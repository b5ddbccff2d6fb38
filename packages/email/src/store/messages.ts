import type { Sql } from '@relance/db';
import { batchStatements } from '../batch-statements';
import type { TemplateKind } from '../template';

export type MessageStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

export type EmailMessageRecord = {
  id: string;
  workspaceId: string;
  idempotencyKey: string;
  contactId: string | null;
  templateId: string | null;
  journeyId: string | null;
  /** The journey's send step (node id) and the version it was in; null outside journeys. */
  nodeId: string | null;
  versionId: string | null;
  kind: TemplateKind;
  topic: string | null;
  toAddress: string | null;
  subject: string | null;
  internetMessageId: string | null;
  status: MessageStatus;
  statusReason: string | null;
  provider: string | null;
  providerMessageId: string | null;
  attempts: number;
  lastError: string | null;
  deferredUntil: Date | null;
  /** When the send policy let it go under a cap, holding its place until it is sent or ends. */
  reservedAt: Date | null;
  claimedAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export type RecordMessageInput = {
  workspaceId: string;
  /** From the run step, e.g. `{workflowId}:{nodeId}:{visit}`; unique per workspace. */
  idempotencyKey: string;
  contactId: string | null;
  templateId: string | null;
  journeyId?: string | null;
  /** The journey step sending it, and its version: the step's numbers read them. */
  nodeId?: string | null;
  versionId?: string | null;
  kind: TemplateKind;
  topic: string | null;
  toAddress: string | null;
};

/**
 * Records a message before anything is sent. When the key was used before, nothing is written
 * and the existing record comes back with `created: false`: a retried activity carries on from
 * where the first attempt got to instead of starting a second message.
 */
export async function recordMessageBeforeSend(
  sql: Sql,
  input: RecordMessageInput,
  writes: MessageWrites = directMessageWrites(sql),
): Promise<{ created: boolean; message: EmailMessageRecord }> {
  const created = await writes.record(input);
  if (created) return { created: true, message: created };
  const existing = await findMessageByKey(sql, input.workspaceId, input.idempotencyKey);
  return { created: false, message: existing! };
}

/** Inserts messages not recorded yet; null for those whose key was used before. */
export async function insertNewMessages(
  sql: Sql,
  inputs: readonly RecordMessageInput[],
): Promise<(EmailMessageRecord | null)[]> {
  const column = <T>(pick: (input: RecordMessageInput) => T) => inputs.map(pick);
  const rows = await sql<EmailMessageRecord[]>`
    insert into email_messages
      (workspace_id, idempotency_key, contact_id, template_id, journey_id, node_id, version_id,
       kind, topic, to_address)
    select * from unnest(
      ${column((i) => i.workspaceId)}::uuid[], ${column((i) => i.idempotencyKey)}::text[],
      ${column((i) => i.contactId)}::uuid[], ${column((i) => i.templateId)}::uuid[],
      ${column((i) => i.journeyId ?? null)}::text[], ${column((i) => i.nodeId ?? null)}::text[],
      ${column((i) => i.versionId ?? null)}::uuid[], ${column((i) => i.kind)}::text[],
      ${column((i) => i.topic)}::text[], ${column((i) => i.toAddress)}::text[])
    on conflict (workspace_id, idempotency_key) do nothing
    returning *`;
  // Two attempts under one key in a batch inserted one row: only the first gets it.
  const byKey = new Map(rows.map((row) => [`${row.workspaceId}:${row.idempotencyKey}`, row]));
  return inputs.map((input) => {
    const key = `${input.workspaceId}:${input.idempotencyKey}`;
    const row = byKey.get(key) ?? null;
    byKey.delete(key);
    return row;
  });
}

/**
 * What claiming a message for sending found:
 * - `claimed`: this attempt owns the send; report back with markMessageSent/Failed.
 * - `already-sent`: an earlier attempt delivered it; do nothing.
 * - `finished`: it was skipped or failed for good; do nothing.
 * - `in-flight`: an earlier attempt handed it to the provider and never reported back. It may
 *   have been delivered, so sending again could send it twice: do not send.
 */
export type ClaimResult =
  | { kind: 'claimed'; message: EmailMessageRecord }
  | { kind: 'already-sent'; message: EmailMessageRecord }
  | { kind: 'finished'; message: EmailMessageRecord }
  | { kind: 'in-flight'; message: EmailMessageRecord };

/** What a send attempt stores on the message it claims: what was rendered for it. */
export type ClaimInput = {
  id: string;
  subject: string;
  internetMessageId: string;
  toAddress: string;
  provider: string;
};

/** What the provider said when it accepted a claimed message. */
export type SentInput = { id: string; providerMessageId: string };

/**
 * The writes every send makes: the record before anything else, and the claim and the "sent"
 * mark around the provider hand-over. A busy worker group-commits them (createMessageWrites);
 * each resolves with the written row, or null when the key was used before (record) or the
 * message was not in the expected state.
 */
export type MessageWrites = {
  record(input: RecordMessageInput): Promise<EmailMessageRecord | null>;
  claim(input: ClaimInput): Promise<EmailMessageRecord | null>;
  markSent(input: SentInput): Promise<EmailMessageRecord | null>;
};

/** The message writes of one process, each statement shared by the sends that finish together. */
export function createMessageWrites(sql: Sql): MessageWrites {
  return {
    record: batchStatements((inputs: RecordMessageInput[]) => insertNewMessages(sql, inputs)),
    claim: batchStatements((inputs: ClaimInput[]) => claimPendingMessages(sql, inputs)),
    markSent: batchStatements((inputs: SentInput[]) => markClaimedMessagesSent(sql, inputs)),
  };
}

/** One statement per write: for callers that send a message now and then. */
export function directMessageWrites(sql: Sql): MessageWrites {
  return {
    record: async (input) => (await insertNewMessages(sql, [input]))[0]!,
    claim: async (input) => (await claimPendingMessages(sql, [input]))[0]!,
    markSent: async (input) => (await markClaimedMessagesSent(sql, [input]))[0]!,
  };
}

/** Takes pending messages for one send attempt each; null for those no longer pending. */
export async function claimPendingMessages(
  sql: Sql,
  inputs: readonly ClaimInput[],
): Promise<(EmailMessageRecord | null)[]> {
  const rows = await sql<EmailMessageRecord[]>`
    update email_messages m
    set status = 'sending', attempts = m.attempts + 1, claimed_at = now(), updated_at = now(),
        subject = v.subject, internet_message_id = v.internet_message_id,
        to_address = v.to_address, provider = v.provider, deferred_until = null
    from unnest(${inputs.map((i) => i.id)}::uuid[], ${inputs.map((i) => i.subject)}::text[],
                ${inputs.map((i) => i.internetMessageId)}::text[],
                ${inputs.map((i) => i.toAddress)}::text[], ${inputs.map((i) => i.provider)}::text[])
      as v(id, subject, internet_message_id, to_address, provider)
    where m.id = v.id and m.status = 'pending'
    returning m.*`;
  return inOrder(inputs, rows);
}

/** The provider accepted these claimed messages; null for those not being sent. */
export async function markClaimedMessagesSent(
  sql: Sql,
  inputs: readonly SentInput[],
): Promise<(EmailMessageRecord | null)[]> {
  const rows = await sql<EmailMessageRecord[]>`
    update email_messages m
    set status = 'sent', sent_at = now(), updated_at = now(), status_reason = null,
        provider_message_id = v.provider_message_id, last_error = null
    from unnest(${inputs.map((i) => i.id)}::uuid[], ${inputs.map((i) => i.providerMessageId)}::text[])
      as v(id, provider_message_id)
    where m.id = v.id and m.status = 'sending'
    returning m.*`;
  return inOrder(inputs, rows);
}

// Rows for inputs, in their order. Two attempts of one message in a batch updated its row once:
// only the first gets it, so the other does not believe it claimed the message too.
function inOrder(
  inputs: readonly { id: string }[],
  rows: EmailMessageRecord[],
): (EmailMessageRecord | null)[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return inputs.map((input) => {
    const row = byId.get(input.id) ?? null;
    byId.delete(input.id);
    return row;
  });
}

/** Takes a pending message for one send attempt, storing what was rendered for it. */
export async function claimMessageForSend(
  sql: Sql,
  id: string,
  rendered: Omit<ClaimInput, 'id'>,
  writes: MessageWrites = directMessageWrites(sql),
): Promise<ClaimResult> {
  const claimed = await writes.claim({ id, ...rendered });
  if (claimed) return { kind: 'claimed', message: claimed };
  const message = await getMessage(sql, id);
  if (!message) throw new Error(`No email message ${id}`);
  switch (message.status) {
    case 'sent':
      return { kind: 'already-sent', message };
    case 'sending':
      return { kind: 'in-flight', message };
    case 'failed':
    case 'skipped':
      return { kind: 'finished', message };
    case 'pending':
      // Claimed and released by someone else between our two statements: try again.
      return claimMessageForSend(sql, id, rendered, writes);
    default:
      return message.status satisfies never;
  }
}

/** The provider accepted the claimed message. */
export async function markMessageSent(
  sql: Sql,
  id: string,
  result: Omit<SentInput, 'id'>,
  writes: MessageWrites = directMessageWrites(sql),
): Promise<EmailMessageRecord> {
  const row = await writes.markSent({ id, ...result });
  if (!row) throw new Error(`Email message ${id} is not being sent`);
  return row;
}

/**
 * The claimed send failed. A retryable failure puts the message back to `pending` for the next
 * attempt; a permanent one ends it as `failed` with the reason.
 */
export async function markMessageFailed(
  sql: Sql,
  id: string,
  failure: { retryable: boolean; error: string },
): Promise<EmailMessageRecord> {
  const [row] = await sql<EmailMessageRecord[]>`
    update email_messages
    set status = ${failure.retryable ? 'pending' : 'failed'}, last_error = ${failure.error},
        status_reason = ${failure.retryable ? null : failure.error}, updated_at = now()
    where id = ${id} and status = 'sending'
    returning *`;
  if (!row) throw new Error(`Email message ${id} is not being sent`);
  return row;
}

/**
 * The claimed send was handed over and its answer lost (see HandedOverError): it stays `sending`,
 * which no attempt sends again, with the error kept for the message log.
 */
export async function noteMessageHandedOver(
  sql: Sql,
  id: string,
  error: string,
): Promise<EmailMessageRecord> {
  const [row] = await sql<EmailMessageRecord[]>`
    update email_messages set last_error = ${error}, updated_at = now()
    where id = ${id} and status = 'sending'
    returning *`;
  if (!row) throw new Error(`Email message ${id} is not being sent`);
  return row;
}

/** Records that a pending message is deliberately not sent, and why. */
export async function markMessageSkipped(
  sql: Sql,
  id: string,
  reason: string,
): Promise<EmailMessageRecord | null> {
  const [row] = await sql<EmailMessageRecord[]>`
    update email_messages
    set status = 'skipped', status_reason = ${reason}, deferred_until = null, updated_at = now()
    where id = ${id} and status = 'pending'
    returning *`;
  return row ?? null;
}

/**
 * Ends a pending message as failed before any send was attempted (its template no longer
 * renders): recorded with the reason instead of being retried for ever.
 */
export async function failPendingMessage(
  sql: Sql,
  id: string,
  reason: string,
): Promise<EmailMessageRecord | null> {
  const [row] = await sql<EmailMessageRecord[]>`
    update email_messages
    set status = 'failed', status_reason = ${reason}, last_error = ${reason},
        deferred_until = null, updated_at = now()
    where id = ${id} and status = 'pending'
    returning *`;
  return row ?? null;
}

/**
 * Notes that a pending message waits (quiet hours, frequency cap) until `until`; a place it held
 * under the cap is given up.
 */
export async function markMessageDeferred(
  sql: Sql,
  id: string,
  until: Date,
  reason: string,
): Promise<EmailMessageRecord | null> {
  const [row] = await sql<EmailMessageRecord[]>`
    update email_messages
    set deferred_until = ${until}, status_reason = ${reason}, reserved_at = null,
        updated_at = now()
    where id = ${id} and status = 'pending'
    returning *`;
  return row ?? null;
}

/** The message recorded under an idempotency key, if any. */
export async function findMessageByKey(
  sql: Sql,
  workspaceId: string,
  idempotencyKey: string,
): Promise<EmailMessageRecord | null> {
  const [row] = await sql<EmailMessageRecord[]>`
    select * from email_messages
    where workspace_id = ${workspaceId} and idempotency_key = ${idempotencyKey}`;
  return row ?? null;
}

export async function getMessage(sql: Sql, id: string): Promise<EmailMessageRecord | null> {
  const [row] = await sql<EmailMessageRecord[]>`select * from email_messages where id = ${id}`;
  return row ?? null;
}

/** The message a bounce report or complaint refers to, by its Message-ID header. */
export async function findMessageByInternetId(
  sql: Sql,
  internetMessageId: string,
): Promise<EmailMessageRecord | null> {
  const [row] = await sql<EmailMessageRecord[]>`
    select * from email_messages where internet_message_id = ${internetMessageId}
    order by created_at desc limit 1`;
  return row ?? null;
}

/**
 * When the contact was last sent marketing email since `since` (for frequency caps and the
 * monthly preference), optionally counting only one journey's sends.
 */
export async function recentMarketingSends(
  sql: Sql,
  input: { contactId: string; since: Date; journeyId?: string | null },
): Promise<Date[]> {
  const rows = await sql<{ sentAt: Date }[]>`
    select sent_at from email_messages
    where contact_id = ${input.contactId} and status = 'sent' and kind = 'marketing'
      and sent_at > ${input.since}
      ${input.journeyId ? sql`and journey_id = ${input.journeyId}` : sql``}
    order by sent_at`;
  return rows.map((row) => row.sentAt);
}

/** The workspace's messages, newest first, `before` a message's creation time for paging. */
export async function listMessages(
  sql: Sql,
  workspaceId: string,
  options: { limit?: number; before?: Date; contactId?: string } = {},
): Promise<EmailMessageRecord[]> {
  return sql<EmailMessageRecord[]>`
    select * from email_messages
    where workspace_id = ${workspaceId}
      ${options.before ? sql`and created_at < ${options.before}` : sql``}
      ${options.contactId ? sql`and contact_id = ${options.contactId}` : sql``}
    order by created_at desc limit ${options.limit ?? 50}`;
}
