// A template's report lists the latest orders its emails brought, each by the shop's order
// number (the order event's `orderId`, else Segment's `order_id`) so a marketer can look it up.
import { expect, it } from 'vitest';
import { createTemplate, sendTo, useReportEnv } from './email-reports';

const env = useReportEnv();
const call = (method: string, path: string, body?: unknown) => env.test.call(method, path, body);

async function track(userId: string, event: string, properties: Record<string, unknown>, at: Date) {
  const response = await env.test.app.request('/v1/track', {
    method: 'POST',
    headers: { authorization: `Bearer ${env.writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId, event, properties, timestamp: at.toISOString() }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

it('gives each latest order its order number, or null when the event had none', async () => {
  const thanks = await createTemplate(env, 'Thank you');
  const now = Date.now();
  const buyers: [string, Record<string, unknown>][] = [
    ['ada', { orderId: 'A-1042', amount: 59.9 }],
    ['bob', { order_id: 1043, amount: 20 }],
    ['cid', { amount: 5 }],
  ];
  for (const [index, [userId, properties]] of buyers.entries()) {
    const created = await call('POST', '/api/contacts', {
      externalId: userId,
      email: `${userId}@x.test`,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const messageId = await sendTo(env, thanks, created.body.contact.id as string);
    await track(userId, 'email.opened', { messageId }, new Date(now - 3_600_000));
    await track(userId, 'order.completed', properties, new Date(now - 60_000 * (3 - index)));
  }

  const report = await call('GET', `/api/templates/${thanks}/performance?days=30`);
  expect(report.status).toBe(200);
  expect(
    (report.body.latestOrders as { contact: string; orderId: string | null }[]).map((order) => [
      order.contact,
      order.orderId,
    ]),
  ).toEqual([
    ['cid@x.test', null],
    ['bob@x.test', '1043'],
    ['ada@x.test', 'A-1042'],
  ]);
});
