import { z } from 'zod';

/**
 * What a mailbox provider told us after delivery, from a webhook or a DSN/ARF report.
 * `messageId` is Relance's id (the X-Relance-Message header), `internetMessageId` the
 * Message-ID header; either finds the message.
 */
export type MailFeedback =
  | {
      kind: 'bounce';
      /** A hard bounce means the address does not exist: it gets suppressed. */
      hard: boolean;
      recipient: string;
      messageId: string | null;
      internetMessageId: string | null;
      detail: string | null;
    }
  | {
      kind: 'complaint';
      recipient: string;
      messageId: string | null;
      internetMessageId: string | null;
      detail: string | null;
    }
  | {
      /** The receiving server took the message (a provider's delivery webhook). */
      kind: 'delivery';
      recipient: string;
      messageId: string | null;
      internetMessageId: string | null;
      detail: string | null;
    };

const Reference = {
  recipient: z.email().transform((email) => email.toLowerCase()),
  messageId: z.string().min(1).nullable().default(null),
  internetMessageId: z.string().min(1).nullable().default(null),
  detail: z.string().max(2000).nullable().default(null),
};

/**
 * The generic JSON a provider webhook posts (one event, or `{ "events": [...] }`):
 * `{ "type": "bounce", "bounceType": "hard" | "soft", "recipient": "a@b.test",
 *    "messageId"?: "<X-Relance-Message>", "internetMessageId"?: "<id@domain>", "detail"?: "550 5.1.1 …" }`
 * `{ "type": "complaint", "recipient": "a@b.test", "messageId"?: …, "internetMessageId"?: …, "detail"?: … }`
 * `{ "type": "delivery", "recipient": "a@b.test", "messageId"?: …, "internetMessageId"?: … }`
 */
export const FeedbackEvent = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('bounce'), bounceType: z.enum(['hard', 'soft']), ...Reference }),
    z.object({ type: z.literal('complaint'), ...Reference }),
    z.object({ type: z.literal('delivery'), ...Reference }),
  ])
  .transform((event): MailFeedback => {
    const { recipient, messageId, internetMessageId, detail } = event;
    const reference = { recipient, messageId, internetMessageId, detail };
    switch (event.type) {
      case 'bounce':
        return { kind: 'bounce', hard: event.bounceType === 'hard', ...reference };
      case 'complaint':
        return { kind: 'complaint', ...reference };
      case 'delivery':
        return { kind: 'delivery', ...reference };
      default:
        return event satisfies never;
    }
  });
export type FeedbackEvent = z.input<typeof FeedbackEvent>;

export const FeedbackWebhook = z.union([
  FeedbackEvent.transform((event) => [event]),
  z.object({ events: z.array(FeedbackEvent).min(1).max(1000) }).transform((body) => body.events),
]);

/**
 * Reads a delivery status notification (RFC 3464) or an abuse report (RFC 5965) received by the
 * bounce mailbox. Returns one feedback per failed recipient, or [] for anything else (delays,
 * successes, ordinary mail).
 */
export function parseMailReport(raw: string): MailFeedback[] {
  const message = raw.replace(/\r?\n/g, '\r\n');
  const reportType = /report-type="?([\w-]+)"?/i.exec(
    headerBlock(message).get('content-type') ?? '',
  )?.[1];
  const parts = mimeParts(message);
  const original = parts.find((part) => /^(message\/rfc822|text\/rfc822-headers)/i.test(part.type));
  const originalHeaders = original ? headerBlock(original.body) : new Map<string, string>();
  const references = {
    messageId: originalHeaders.get('x-relance-message') ?? null,
    internetMessageId: originalHeaders.get('message-id') ?? null,
  };

  if (reportType?.toLowerCase() === 'delivery-status') {
    const status = parts.find((part) => /^message\/delivery-status/i.test(part.type));
    if (!status) return [];
    // Field groups are separated by blank lines: the first is about the message, then one each
    // per recipient.
    return status.body
      .split(/\r\n\r\n+/)
      .slice(1)
      .map(fieldsOf)
      .filter((fields) => fields.get('action')?.toLowerCase() === 'failed')
      .flatMap((fields): MailFeedback[] => {
        const recipient = addressOf(
          fields.get('final-recipient') ?? fields.get('original-recipient'),
        );
        if (!recipient) return [];
        const code = fields.get('status') ?? '';
        const detail = (fields.get('diagnostic-code')?.replace(/^smtp;\s*/i, '') ?? code).replace(
          /\s+/g,
          ' ',
        );
        return [
          {
            kind: 'bounce',
            hard: /^5\.1\.(0|1|2|3|6|10)$/.test(code),
            recipient,
            ...references,
            detail,
          },
        ];
      });
  }
  if (reportType?.toLowerCase() === 'feedback-report') {
    const report = parts.find((part) => /^message\/feedback-report/i.test(part.type));
    const fields = report ? fieldsOf(report.body) : new Map<string, string>();
    const recipient =
      addressOf(fields.get('original-rcpt-to')) ?? addressOf(originalHeaders.get('to'));
    if (!recipient || fields.get('feedback-type')?.toLowerCase() !== 'abuse') return [];
    return [
      { kind: 'complaint', recipient, ...references, detail: fields.get('user-agent') ?? null },
    ];
  }
  return [];
}

/**
 * The signed token of an email sent to the List-Unsubscribe `mailto:`, whose Subject is
 * `unsubscribe <token>`: a subject that long is folded by mail clients (RFC 5322), so it is read
 * unfolded. Null for any other mail.
 */
export function mailtoUnsubscribeToken(raw: string): string | null {
  const subject = headerBlock(raw.replace(/\r?\n/g, '\r\n')).get('subject') ?? '';
  return /^unsubscribe[ \t]+(\S+)/i.exec(subject)?.[1] ?? null;
}

function headerBlock(text: string): Map<string, string> {
  const end = text.indexOf('\r\n\r\n');
  return fieldsOf(end === -1 ? text : text.slice(0, end));
}

// Header-style fields, unfolded, by lower-case name (first occurrence wins).
function fieldsOf(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

function mimeParts(message: string): { type: string; body: string }[] {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(
    headerBlock(message).get('content-type') ?? '',
  )?.[1];
  if (!boundary) return [];
  return message
    .split(`--${boundary}`)
    .slice(1)
    .filter((part) => !part.startsWith('--'))
    .map((part) => {
      const content = part.replace(/^\r\n/, '');
      const split = content.indexOf('\r\n\r\n');
      const type = headerBlock(content).get('content-type') ?? 'text/plain';
      return { type, body: split === -1 ? '' : content.slice(split + 4) };
    });
}

// `rfc822; a@b.test` or `<a@b.test>` → `a@b.test`.
function addressOf(value: string | undefined): string | null {
  const address = value
    ?.replace(/^rfc822;\s*/i, '')
    .replace(/^.*</, '')
    .replace(/>.*$/, '')
    .trim();
  return address && address.includes('@') ? address.toLowerCase() : null;
}
