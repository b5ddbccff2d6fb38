// An order goes to the email its contact opened (or clicked) last before it, by the time of that
// latest open: re-opening an older email makes it the last one opened again.
import { describe, expect, it } from 'vitest';
import { createTemplate, sendTo, useReportEnv } from './email-reports';

const env = useReportEnv();
const DAY = 86_400_000;

async function contact(userId: string): Promise<string> {
  const created = await env.test.call('POST', '/api/contacts', {
    externalId: userId,
    email: `${userId}@x.test`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.contact.id as string;
}

async function track(body: Record<string, unknown>) {
  const response = await env.test.app.request('/v1/track', {
    method: 'POST',
    headers: { authorization: `Bearer ${env.writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

const engaged = (
  userId: string,
  event: 'email.opened' | 'email.clicked',
  messageId: string,
  at: Date,
) => track({ userId, event, properties: { messageId }, timestamp: at.toISOString() });

const order = (userId: string, amount: number, at: Date) =>
  track({ userId, event: 'order.completed', properties: { amount }, timestamp: at.toISOString() });

async function attributedTo(userId: string): Promise<string[]> {
  const rows = await env.db.sql<{ messageId: string }[]>`
    select c.message_id from email_conversions c
    join events e on e.id = c.event_id
    join contacts k on k.id = e.contact_id
    where k.external_id = ${userId} order by e.occurred_at`;
  return rows.map((row) => row.messageId);
}

describe('orders attributed to the last email opened', () => {
  it('counts an order for an email opened again after a later one, and a click as an open', async () => {
    const a = await createTemplate(env, 'Spring sale');
    const b = await createTemplate(env, 'New arrivals');
    const monday = Date.now() - 4 * DAY;

    // Ada opened A on Monday, B on Tuesday, A again on Thursday, and ordered on Thursday.
    const ada = await contact('ada');
    const adaA = await sendTo(env, a, ada);
    const adaB = await sendTo(env, b, ada);
    await engaged('ada', 'email.opened', adaA, new Date(monday));
    await engaged('ada', 'email.opened', adaB, new Date(monday + DAY));
    await engaged('ada', 'email.opened', adaA, new Date(monday + 3 * DAY));
    await order('ada', 50, new Date(monday + 3 * DAY + 60_000));

    // Bob opened A, then B, then clicked in A: the click counts as opening A again.
    const bob = await contact('bob');
    const bobA = await sendTo(env, a, bob);
    const bobB = await sendTo(env, b, bob);
    await engaged('bob', 'email.opened', bobA, new Date(monday));
    await engaged('bob', 'email.opened', bobB, new Date(monday + DAY));
    await engaged('bob', 'email.clicked', bobA, new Date(monday + 2 * DAY));
    await order('bob', 20, new Date(monday + 2 * DAY + 60_000));

    // Cid re-opened A after ordering: his order stays B's, the last opened before it.
    const cid = await contact('cid');
    const cidA = await sendTo(env, a, cid);
    const cidB = await sendTo(env, b, cid);
    await engaged('cid', 'email.opened', cidA, new Date(monday));
    await engaged('cid', 'email.opened', cidB, new Date(monday + DAY));
    await order('cid', 30, new Date(monday + 2 * DAY));
    await engaged('cid', 'email.opened', cidA, new Date(monday + 3 * DAY));

    expect(await attributedTo('ada')).toEqual([adaA]);
    expect(await attributedTo('bob')).toEqual([bobA]);
    expect(await attributedTo('cid')).toEqual([cidB]);

    // Counting the year's orders again (a settings change) gives each the same email.
    const wider = await env.test.call('PATCH', '/api/workspace', { attributionWindowDays: 6 });
    expect(wider.status, JSON.stringify(wider.body)).toBe(200);
    expect(wider.body.reattributed).toBe(3);
    expect(await attributedTo('ada')).toEqual([adaA]);
    expect(await attributedTo('bob')).toEqual([bobA]);
    expect(await attributedTo('cid')).toEqual([cidB]);
  });
});
