// Text PostgreSQL cannot store (a null character, half a character) in what a mail provider
// reports: the provider retries any 5xx, so the feedback is applied with that text cleaned (or
// the entry skipped when its address holds it) and the answer says so.

import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN } from '../../support/app';
import type { TestDatabase } from '../../support/db';
import { saveTopic, useEmailApp, type EmailApp } from '../email/support';

const NUL = '\u0000';
const HALF = '\ud800';

const env = useEmailApp();
let db: TestDatabase;
let app: EmailApp['app'];
let call: EmailApp['call'];

beforeAll(async () => {
  ({ db, app, call } = env);
  await saveTopic(db.sql, db.workspaceId, 'newsletter', true);
});

describe('the feedback webhook', () => {
  const detailOf = async (email: string) => {
    const rows = await db.sql<{ reason: string; detail: string | null }[]>`
      select reason, detail from email_suppressions
      where workspace_id = ${db.workspaceId} and email = ${email}`;
    return rows;
  };

  it('applies a bounce whose free text cannot be stored, with the characters replaced, and says so', async () => {
    const response = await call('POST', '/api/webhooks/email-feedback', {
      events: [
        {
          type: 'bounce',
          bounceType: 'hard',
          recipient: 'nul-bounce@example.com',
          detail: `550 5.1.1${NUL} unknown ${HALF}user`,
        },
        {
          type: 'complaint',
          recipient: 'nul-complaint@example.com',
          internetMessageId: `<a${NUL}b@mx.test>`,
        },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.applied).toEqual([
      { recipient: 'nul-bounce@example.com', messageId: null, suppressed: 'hard_bounce' },
      { recipient: 'nul-complaint@example.com', messageId: null, suppressed: 'complaint' },
    ]);
    expect(response.body.warnings).toEqual([
      { field: 'events.0.detail', message: expect.stringContaining('replaced') },
      { field: 'events.1.internetMessageId', message: expect.stringContaining('ignored') },
    ]);
    expect(await detailOf('nul-bounce@example.com')).toEqual([
      { reason: 'hard_bounce', detail: '550 5.1.1\ufffd unknown \ufffduser' },
    ]);
    expect(await detailOf('nul-complaint@example.com')).toEqual([
      { reason: 'complaint', detail: null },
    ]);
  });

  it('names the field of a single event; an address that is no address stays a 400', async () => {
    const single = await call('POST', '/api/webhooks/email-feedback', {
      type: 'bounce',
      bounceType: 'soft',
      recipient: 'nul-single@example.com',
      messageId: `${NUL}`,
      detail: `421${HALF}`,
    });
    expect(single.status).toBe(200);
    expect(single.body.warnings.map((w: { field: string }) => w.field)).toEqual([
      'messageId',
      'detail',
    ]);
    const refused = await call('POST', '/api/webhooks/email-feedback', {
      type: 'complaint',
      recipient: `nul${NUL}@example.com`,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_request');
  });

  it('applies a forwarded report holding a null character; a recipient holding one is skipped', async () => {
    const dsn = (recipient: string) =>
      `From: MAILER-DAEMON@mx.example.test
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="XX"

--XX
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.test

Final-Recipient: rfc822; ${recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User${NUL} unknown

--XX
Content-Type: text/rfc822-headers

Message-ID: <x${NUL}y@acme.test>
To: ${recipient}

--XX--
`.replace(/\n/g, '\r\n');
    const forward = (raw: string) =>
      app.request('/api/webhooks/email-feedback', {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'message/rfc822' },
        body: raw,
      });
    const ok = await forward(dsn('nul-dsn@example.com'));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { applied: unknown[] }).applied).toEqual([
      { recipient: 'nul-dsn@example.com', messageId: null, suppressed: 'hard_bounce' },
    ]);
    expect(await detailOf('nul-dsn@example.com')).toEqual([
      { reason: 'hard_bounce', detail: '550 5.1.1 User\ufffd unknown' },
    ]);

    const skipped = await forward(dsn(`bad${NUL}@example.com`));
    expect(skipped.status).toBe(200);
    const body = (await skipped.json()) as { applied: unknown[]; warnings: unknown[] };
    expect(body.applied).toEqual([]);
    expect(body.warnings).toContainEqual({
      field: 'recipient',
      message: expect.stringContaining('skipped'),
    });
  });
});
