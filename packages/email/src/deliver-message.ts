import type { Sql } from '@relance/db';
import type { OutgoingMessage } from './message';
import type { MailProvider } from './providers/mail-provider';
import { classifySendError, type SendErrorClass } from './send-error';
import {
  claimMessageForSend,
  markMessageFailed,
  markMessageSent,
  noteMessageHandedOver,
  type EmailMessageRecord,
  type MessageWrites,
} from './store/messages';
import { suppressAddress } from './store/suppressions';

/**
 * How a delivery attempt ended:
 * - `sent`: accepted by the provider now.
 * - `already-sent` / `finished`: an earlier attempt sent, failed or skipped it; nothing was done.
 * - `in-flight`: an earlier attempt may have sent it and never reported, or this one handed it
 *   over and lost the server's answer; not sent again.
 * - `retry`: a temporary or throttling failure; the message is pending again, so throw to let the
 *   activity retry with backoff (longer for `throttled`).
 * - `failed`: refused for good and recorded; a hard bounce also suppressed the address.
 */
export type DeliveryOutcome =
  | { kind: 'sent'; message: EmailMessageRecord }
  | { kind: 'already-sent' | 'finished' | 'in-flight'; message: EmailMessageRecord }
  | { kind: 'retry'; message: EmailMessageRecord; error: SendErrorClass }
  | { kind: 'failed'; message: EmailMessageRecord; error: SendErrorClass };

/**
 * Sends a recorded message at most once: claims it, hands it to the provider, records the
 * outcome. `message.messageId` is the email_messages id returned by recordMessageBeforeSend.
 * With `writes`, the claim and the "sent" mark are group-committed with other sends'.
 */
export async function deliverMessage(
  deps: { sql: Sql; provider: MailProvider; writes?: MessageWrites | undefined },
  message: OutgoingMessage,
  options: { signal?: AbortSignal } = {},
): Promise<DeliveryOutcome> {
  const claim = await claimMessageForSend(
    deps.sql,
    message.messageId,
    {
      subject: message.subject,
      internetMessageId: message.internetMessageId,
      toAddress: message.to.address,
      provider: deps.provider.name,
    },
    deps.writes,
  );
  if (claim.kind !== 'claimed') return claim;

  let result;
  try {
    result = await deps.provider.send(message, options);
  } catch (thrown) {
    const error = classifySendError(thrown);
    switch (error.kind) {
      case 'throttled':
      case 'temporary': {
        const record = await markMessageFailed(deps.sql, message.messageId, {
          retryable: true,
          error: error.message,
        });
        return { kind: 'retry', message: record, error };
      }
      case 'permanent': {
        const record = await markMessageFailed(deps.sql, message.messageId, {
          retryable: false,
          error: error.message,
        });
        if (error.hardBounce) {
          await suppressAddress(deps.sql, {
            workspaceId: message.workspaceId,
            email: message.to.address,
            reason: 'hard_bounce',
            detail: error.message,
            messageId: message.messageId,
          });
        }
        return { kind: 'failed', message: record, error };
      }
      case 'handed-over': {
        // As after a crash in this instant: left `sending`, so no attempt sends it again.
        const record = await noteMessageHandedOver(deps.sql, message.messageId, error.message);
        return { kind: 'in-flight', message: record };
      }
      default:
        return error satisfies never;
    }
  }
  if (!result.accepted) {
    // The provider took the message but not the recipient: as final as a 5xx, without the code.
    const error: SendErrorClass = {
      kind: 'permanent',
      hardBounce: false,
      smtpCode: null,
      enhancedCode: null,
      message: `Recipient refused: ${result.response}`,
    };
    const failure = { retryable: false, error: error.message };
    const record = await markMessageFailed(deps.sql, message.messageId, failure);
    return { kind: 'failed', message: record, error };
  }
  const sent = await markMessageSent(deps.sql, message.messageId, result, deps.writes);
  return { kind: 'sent', message: sent };
}
