import { describe, expect, it } from 'vitest';
import { FeedbackWebhook, mailtoUnsubscribeToken, parseMailReport } from './feedback';

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

// As Postfix writes it (RFC 3464), with the original headers returned.
const DSN = crlf(`From: MAILER-DAEMON@mx.example.test (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@acme.test
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="B1.1700000000/mx.example.test"

This is a MIME-encapsulated message.

--B1.1700000000/mx.example.test
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--B1.1700000000/mx.example.test
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.test
X-Postfix-Queue-ID: 4B7F
Arrival-Date: Tue, 11 Mar 2025 10:00:00 +0000 (UTC)

Final-Recipient: rfc822; Ghost@Example.test
Original-Recipient: rfc822;ghost@example.test
Action: failed
Status: 5.1.1
Remote-MTA: dns; in.example.test
Diagnostic-Code: smtp; 550 5.1.1 <ghost@example.test>: Recipient address
    rejected: User unknown

Final-Recipient: rfc822; full@example.test
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp; 552 5.2.2 Mailbox full

Final-Recipient: rfc822; later@example.test
Action: delayed
Status: 4.4.1

--B1.1700000000/mx.example.test
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Message-ID: <0123abcd@acme.test>
X-Relance-Message: 7d3f0e8e-1b7a-4a55-9a1e-5f6b8e2c9d10
Subject: Hi Ana

--B1.1700000000/mx.example.test--
`);

// An abuse report (RFC 5965) as feedback loops send them.
const ARF = crlf(`From: fbl@isp.test
Subject: FW: Hi Ana
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

--arf
Content-Type: text/plain

This is an email abuse report.
--arf
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ISP-FBL/1.0
Version: 1
Original-Rcpt-To: <ana@example.test>

--arf
Content-Type: message/rfc822

Message-ID: <9999@acme.test>
X-Relance-Message: m-42
To: Ana <ana@example.test>
Subject: Hi Ana

Body
--arf--
`);

describe('parseMailReport', () => {
  it('reads each failed recipient of a delivery status notification', () => {
    expect(parseMailReport(DSN)).toEqual([
      {
        kind: 'bounce',
        hard: true,
        recipient: 'ghost@example.test',
        messageId: '7d3f0e8e-1b7a-4a55-9a1e-5f6b8e2c9d10',
        internetMessageId: '<0123abcd@acme.test>',
        detail: '550 5.1.1 <ghost@example.test>: Recipient address rejected: User unknown',
      },
      {
        kind: 'bounce',
        hard: false,
        recipient: 'full@example.test',
        messageId: '7d3f0e8e-1b7a-4a55-9a1e-5f6b8e2c9d10',
        internetMessageId: '<0123abcd@acme.test>',
        detail: '552 5.2.2 Mailbox full',
      },
    ]);
  });

  it('reads an abuse report as a complaint', () => {
    expect(parseMailReport(ARF)).toEqual([
      {
        kind: 'complaint',
        recipient: 'ana@example.test',
        messageId: 'm-42',
        internetMessageId: '<9999@acme.test>',
        detail: 'ISP-FBL/1.0',
      },
    ]);
  });

  it.each([
    ['an ordinary email', 'From: a@b.test\r\nSubject: hi\r\n\r\nhello'],
    ['a report about delays only', DSN.replace(/Action: failed/g, 'Action: delayed')],
    [
      'a report with LF line endings',
      DSN.replace(/\r\n/g, '\n').replace(/Action: failed/g, 'Action: relayed'),
    ],
  ])('finds nothing in %s', (_label, raw) => {
    expect(parseMailReport(raw)).toEqual([]);
  });

  it('accepts LF line endings', () => {
    expect(parseMailReport(DSN.replace(/\r\n/g, '\n'))).toHaveLength(2);
  });
});

describe('mailtoUnsubscribeToken', () => {
  const token = `${'a'.repeat(200)}.${'b'.repeat(43)}`;
  it.each([
    ['on one line', `Subject: unsubscribe ${token}\r\n\r\n`],
    ['folded before the token', `From: a@b.test\r\nSubject: unsubscribe\r\n ${token}\r\n\r\n`],
    ['folded with a tab, LF endings', `Subject: unsubscribe\n\t${token}\nTo: x@y.test\n\n`],
    ['with the name in capitals', `SUBJECT: Unsubscribe ${token}\r\n\r\nbody`],
  ])('reads the token of a subject %s', (_label, raw) => {
    expect(mailtoUnsubscribeToken(raw)).toBe(token);
  });

  it.each([
    ['another subject', `Subject: Hello\r\n\r\nunsubscribe ${token}`],
    ['a subject in the body only', `From: a@b.test\r\n\r\nSubject: unsubscribe ${token}`],
    ['no token', 'Subject: unsubscribe\r\n\r\n'],
  ])('finds nothing in %s', (_label, raw) => {
    expect(mailtoUnsubscribeToken(raw)).toBeNull();
  });
});

describe('FeedbackWebhook', () => {
  it('reads one event or a batch into feedback', () => {
    expect(
      FeedbackWebhook.parse({
        type: 'bounce',
        bounceType: 'hard',
        recipient: 'A@B.test',
        messageId: 'm1',
      }),
    ).toEqual([
      {
        kind: 'bounce',
        hard: true,
        recipient: 'a@b.test',
        messageId: 'm1',
        internetMessageId: null,
        detail: null,
      },
    ]);
    expect(
      FeedbackWebhook.parse({
        events: [
          { type: 'complaint', recipient: 'c@d.test', internetMessageId: '<x@acme.test>' },
          { type: 'bounce', bounceType: 'soft', recipient: 'e@f.test', detail: '452 mailbox full' },
        ],
      }).map((feedback) => feedback.kind),
    ).toEqual(['complaint', 'bounce']);
  });

  it.each([
    [{ type: 'bounce', recipient: 'a@b.test' }],
    [{ type: 'opened', recipient: 'a@b.test' }],
    [{ type: 'complaint', recipient: 'not-an-address' }],
    [{ events: [] }],
  ])('refuses %j', (body) => {
    expect(FeedbackWebhook.safeParse(body).success).toBe(false);
  });
});
