import type { TemplatePreview, templatesApi } from '../templates/template-api';

// Why an email was not sent, or waits, in a marketer's words. The reasons come from the send
// policy (packages/email send-policy.ts) through the API's types: a reason added there fails the
// typecheck here until it has words.

type Decision = TemplatePreview['decision'];
/** Why an email is never sent to a contact (`SkipReason` of the send policy). */
export type SkipReason = Extract<Decision, { kind: 'skip' }>['reason'];
/** Why an email waits before it is sent (`DeferReason` of the send policy). */
export type HoldReason = Extract<Decision, { kind: 'defer' }>['reason'];

// Were the API to widen either to `string`, the records below would stop asking for every reason.
const _closedLists: [
  string extends SkipReason ? never : true,
  string extends HoldReason ? never : true,
] = [true, true];

const SKIP_WORDS: Record<SkipReason, string> = {
  no_address: 'no email address',
  suppressed_unsubscribed: 'unsubscribed from all marketing email',
  suppressed_hard_bounce: 'the address bounced before',
  suppressed_complaint: 'marked an email as spam',
  suppressed_manual: 'the address is blocked by hand',
  topic_unknown: 'its topic does not exist (misspelt or deleted): choose an existing topic',
  topic_unsubscribed: 'unsubscribed from the topic',
  topic_pending_confirmation: 'has not confirmed the topic subscription yet',
  topic_not_subscribed: 'never subscribed to the topic',
  frequency_preference: 'asked for fewer emails',
};

const HOLD_WORDS: Record<HoldReason, string> = {
  quiet_hours: 'quiet hours',
  frequency_cap: 'the frequency cap',
};

/**
 * A reason an email was not sent or waits, in words ("never subscribed to the topic"). Anything
 * else (a mail server's refusal) is already a sentence and reads as it is.
 */
export function reasonWords(reason: string): string {
  if (Object.hasOwn(SKIP_WORDS, reason)) return SKIP_WORDS[reason as SkipReason];
  if (Object.hasOwn(HOLD_WORDS, reason)) return HOLD_WORDS[reason as HoldReason];
  return reason;
}

/** "held until 3 Nov, 22:00 for quiet hours"; without a time when none is known. */
export function heldWords(
  reason: string | null,
  until: string | null,
  dateTime: (iso: string) => string,
): string {
  const when = until ? ` until ${dateTime(until)}` : '';
  return `held${when}${reason ? ` for ${reasonWords(reason)}` : ''}`;
}

type LoggedMessage = Awaited<ReturnType<typeof templatesApi.messages>>['messages'][number];
/** What the message log holds about one email's fate. */
export type MessageFate = Pick<LoggedMessage, 'status' | 'statusReason' | 'deferredUntil'>;

/**
 * An email's status as a short label ("Not sent") and, when there is one, why or until when
 * ("never subscribed to the topic", "held until 3 Nov, 22:00 for quiet hours").
 */
export function messageFateWords(
  message: MessageFate,
  dateTime: (iso: string) => string,
): { label: string; detail: string | null } {
  switch (message.status) {
    case 'pending':
      return message.deferredUntil
        ? {
            label: 'Held',
            detail: heldWords(message.statusReason, message.deferredUntil, dateTime),
          }
        : { label: 'Waiting to send', detail: null };
    case 'sending':
      return { label: 'Sending', detail: null };
    case 'sent':
      return { label: 'Sent', detail: null };
    case 'failed':
      return { label: 'Failed', detail: message.statusReason };
    case 'skipped':
      return {
        label: 'Not sent',
        detail: message.statusReason ? reasonWords(message.statusReason) : null,
      };
    default:
      return message.status satisfies never;
  }
}
