/**
 * How a failed send should be handled:
 * - `throttled`: the provider asks us to slow down; retry later with a longer backoff.
 * - `temporary`: retry with backoff (4xx replies, lost connections, timeouts, DNS, TLS, credentials).
 * - `handed-over`: the whole message went out, then the answer was lost (the connection dropped,
 *   a timeout, a cancellation): it may have been delivered, so it must never be sent again.
 * - `permanent`: retrying gets the same answer; record the failure. When `hardBounce` is true the
 *   address does not exist and must be suppressed.
 */
export type SendErrorClass =
  | { kind: 'throttled'; smtpCode: number | null; enhancedCode: string | null; message: string }
  | { kind: 'temporary'; smtpCode: number | null; enhancedCode: string | null; message: string }
  | { kind: 'handed-over'; smtpCode: null; enhancedCode: null; message: string }
  | {
      kind: 'permanent';
      hardBounce: boolean;
      smtpCode: number | null;
      enhancedCode: string | null;
      message: string;
    };
export type SendErrorKind = SendErrorClass['kind'];

// Replies that mean "too much, too fast" rather than "not now": 421 service closing (the usual
// answer to too many connections), 450/451/452 with rate or capacity wording or a 4.7.x code.
const THROTTLING_CODES = new Set([421, 450, 451, 452]);
const THROTTLING_WORDS = /rate|too many|throttl|limit|slow down|capacity/i;
// Enhanced status codes (RFC 3463) for a bad destination address: 5.1.0 other address status,
// 5.1.1 bad mailbox, 5.1.2 bad system, 5.1.3 bad syntax, 5.1.6 moved, 5.1.10 null MX.
const HARD_BOUNCE_ENHANCED = /^5\.1\.(0|1|2|3|6|10)$/;
const HARD_BOUNCE_WORDS =
  /no such (user|mailbox|recipient)|user unknown|unknown user|(mailbox|address|recipient)( does not exist| not found| unavailable| invalid)|invalid (mailbox|recipient|address)|does not exist|undeliverable address/i;
type ErrorShape = { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };

const HANDED_OVER = 'EHANDEDOVER';

/**
 * What a provider throws when a send failed after the whole message was handed to the server and
 * before the server said whether it took it: the message may have been delivered.
 */
export class HandedOverError extends Error {
  readonly code = HANDED_OVER;
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`The mail server got the whole message but did not confirm it: ${reason}`, { cause });
    this.name = 'HandedOverError';
  }
}

/** Classifies an error thrown by a provider's `send` (nodemailer's errors carry the SMTP reply). */
export function classifySendError(error: unknown): SendErrorClass {
  const shape: ErrorShape = typeof error === 'object' && error !== null ? error : {};
  const message =
    typeof shape.response === 'string'
      ? shape.response
      : typeof shape.message === 'string'
        ? shape.message
        : String(error);
  const smtpCode =
    typeof shape.responseCode === 'number' && shape.responseCode >= 200 ? shape.responseCode : null;
  const enhancedCode = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(message)?.[1] ?? null;
  const base = { smtpCode, enhancedCode, message };

  if (shape.code === HANDED_OVER) {
    return { kind: 'handed-over', smtpCode: null, enhancedCode: null, message };
  }

  // Refused credentials are an operator's mistake, not the message's: once they are fixed, the
  // retried sends go out instead of being written off.
  if (shape.code === 'EAUTH' || shape.code === 'ENOAUTH') return { kind: 'temporary', ...base };
  if (smtpCode !== null && smtpCode >= 400 && smtpCode < 500) {
    const throttled =
      THROTTLING_CODES.has(smtpCode) &&
      (smtpCode === 421 ||
        enhancedCode?.startsWith('4.7.') === true ||
        THROTTLING_WORDS.test(message));
    return { kind: throttled ? 'throttled' : 'temporary', ...base };
  }
  // 503 is "bad sequence of commands": the session was confused, not the message refused.
  if (smtpCode !== null && smtpCode >= 500 && smtpCode !== 503) {
    const hardBounce =
      enhancedCode !== null
        ? HARD_BOUNCE_ENHANCED.test(enhancedCode)
        : (smtpCode === 550 || smtpCode === 551 || smtpCode === 553) &&
          HARD_BOUNCE_WORDS.test(message);
    return { kind: 'permanent', hardBounce, ...base };
  }
  if (typeof shape.code === 'string' && shape.code === 'EMESSAGE') {
    return { kind: 'permanent', hardBounce: false, ...base };
  }
  // Anything else — lost connection, timeout, DNS, TLS set-up, an unexpected bug — is retried;
  // retries are bounded by the caller's policy, while calling it permanent would lose the email.
  return { kind: 'temporary', ...base };
}
