// An order placed before the visitor was identified (an anonymous checkout) is attributed once
// the merge brings it to the contact who clicked the email.
import { describe, expect, it } from 'vitest';
import { createTemplate, sendTo, useReportEnv } from './email-reports';

const env = useReportEnv();

async function contact(userId: string): Promise<string> {
  const created = await env.test.call('POST', '/api/contacts', {
    externalId: userId,
    email: `${userId}@x.test`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.contact.id as string;
}

async function ingest(path: string, body: Record<string, unknown>) {
  const response = await env.test.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

async function attributedTo(userId: string): Promise<string[]> {
  const rows = await env.db.sql<{ messageId: string }[]>`
    select c.message_id from email_conversions c
    join events e on e.id = c.event_id
    join contacts k on k.id = e.contact_id
    where k.external_id = ${userId} order by e.occurred_at`;
  return rows.map((row) => row.messageId);
}

describe('orders placed before the visitor was identified', () => {
  it('attributes the anonymous checkout to the clicked email once identify merges the visitor', async () => {
    const winBack = await createTemplate(env, 'Come back');
    const cid = await contact('cid');
    const cidWinBack = await sendTo(env, winBack, cid);
    const now = Date.now();
    await ingest('/v1/track', {
      userId: 'cid',
      event: 'email.clicked',
      properties: { messageId: cidWinBack },
      timestamp: new Date(now - 3 * 60_000).toISOString(),
    });
    // The browser checks out before logging in: the order names the anonymous id only.
    await ingest('/v1/track', {
      anonymousId: 'browser-cid',
      event: 'order.completed',
      properties: { amount: 50 },
      timestamp: new Date(now - 2 * 60_000).toISOString(),
    });
    expect(await attributedTo('cid')).toEqual([]);

    await ingest('/v1/identify', {
      userId: 'cid',
      anonymousId: 'browser-cid',
      traits: {},
      timestamp: new Date(now - 60_000).toISOString(),
    });
    expect(await attributedTo('cid')).toEqual([cidWinBack]);
    const [order] = await env.db.sql<{ value: string }[]>`
      select c.value::text from email_conversions c where c.message_id = ${cidWinBack}`;
    expect(Number(order!.value)).toBe(50);
  });
});
