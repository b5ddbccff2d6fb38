import type { Sql } from '@relance/db';
import type { MailFeedback } from './feedback';
import { findMessageByInternetId, getMessage, type EmailMessageRecord } from './store/messages';
import { suppressAddress, type SuppressionReason } from './store/suppressions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies a bounce, complaint or delivery report: finds the message it is about and suppresses
 * the address for a hard bounce or a complaint (soft bounces and deliveries change nothing).
 * The caller records the matching `email.bounced` / `email.complained` / `email.delivered` event
 * for the returned message's contact. Without a
 * matching message, `workspaceId` (when the webhook is per workspace) still scopes a suppression.
 */
export async function applyFeedback(
  sql: Sql,
  feedback: MailFeedback,
  options: { workspaceId?: string } = {},
): Promise<{ message: EmailMessageRecord | null; suppressed: SuppressionReason | null }> {
  const message = await findMessage(sql, feedback);
  // A message found by a forged or stray id must belong to the workspace the webhook is for.
  const scoped =
    message && options.workspaceId && message.workspaceId !== options.workspaceId ? null : message;
  const workspaceId = scoped?.workspaceId ?? options.workspaceId;
  const reason = suppressionFor(feedback);
  if (!workspaceId || !reason) return { message: scoped, suppressed: null };
  await suppressAddress(sql, {
    workspaceId,
    email: feedback.recipient,
    reason,
    detail: feedback.detail,
    messageId: scoped?.id ?? null,
  });
  return { message: scoped, suppressed: reason };
}

function suppressionFor(feedback: MailFeedback): SuppressionReason | null {
  switch (feedback.kind) {
    case 'bounce':
      return feedback.hard ? 'hard_bounce' : null;
    case 'complaint':
      return 'complaint';
    case 'delivery':
      return null;
    default:
      return feedback satisfies never;
  }
}

async function findMessage(sql: Sql, feedback: MailFeedback): Promise<EmailMessageRecord | null> {
  if (feedback.messageId && UUID.test(feedback.messageId)) {
    const message = await getMessage(sql, feedback.messageId);
    if (message) return message;
  }
  return feedback.internetMessageId
    ? findMessageByInternetId(sql, feedback.internetMessageId)
    : null;
}
