// Orders attributed to the email that brought them, and the workspace settings that say what an
// order is: an order (the conversion event, sent through the ingestion API) counts for the last
// email its contact opened or clicked within the window before it; the reports add them up;
// PATCH /api/workspace changes the settings (and counts the year's orders again) and names the
// field of every refusal (a new time zone's re-check: settings-rechecks.test.ts).
import { describe, expect, it } from 'vitest';
import { createTemplate, sendTo, useReportEnv } from './email-reports';

const env = useReportEnv();
const DAY = 86_400_000;
const call = (method: string, path: string, body?: unknown) => env.test.call(method, path, body);
const template = (name: string) => createTemplate(env, name);

async function contact(userId: string): Promise<string> {
  const created = await call('POST', '/api/contacts', {
    externalId: userId,
    email: `${userId}@x.test`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.contact.id as string;
}

/** Sends a template to a contact, as a journey's step does; returns the message id. */
const send = (templateId: string, contactId: string) => sendTo(env, templateId, contactId);

/** What a site sends: an event for a user, at a time (an open of a message, an order…). */
async function track(body: Record<string, unknown>) {
  const response = await env.test.app.request('/v1/track', {
    method: 'POST',
    headers: { authorization: `Bearer ${env.writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

const opened = (userId: string, messageId: string, at: Date) =>
  track({ userId, event: 'email.opened', properties: { messageId }, timestamp: at.toISOString() });

const order = (userId: string, amount: number, at: Date, messageId?: string) =>
  track({
    userId,
    event: 'order.completed',
    properties: { amount, currency: 'EUR' },
    timestamp: at.toISOString(),
    ...(messageId ? { messageId } : {}),
  });

const performance = async () => {
  const response = await call('GET', '/api/templates/performance?days=30');
  expect(response.status).toBe(200);
  return response.body.templates as Record<
    string,
    { sent: number; converted: number; orders: number; revenue: number }
  >;
};

describe('orders attributed to emails', () => {
  let newsletter: string;
  let winBack: string;

  it('counts an order for the last email opened within the window before it, once', async () => {
    newsletter = await template('Newsletter');
    winBack = await template('Win-back');
    const ada = await contact('ada');
    const bob = await contact('bob');
    const cid = await contact('cid');
    const now = Date.now();

    // Ada opened the newsletter 3 days ago and the win-back yesterday: her order is the win-back's.
    await opened('ada', await send(newsletter, ada), new Date(now - 3 * DAY));
    await opened('ada', await send(winBack, ada), new Date(now - DAY));
    await order('ada', 120.5, new Date(now - 60_000), 'order-ada-1');
    // Replayed by the site: the same order, not a second one.
    await order('ada', 120.5, new Date(now - 60_000), 'order-ada-1');
    // Bob opened the newsletter 10 days before ordering: outside the 5-day window.
    await opened('bob', await send(newsletter, bob), new Date(now - 12 * DAY));
    await order('bob', 40, new Date(now - 2 * DAY));
    // Cid never opened anything; and an order before the open is not the email's either.
    await send(newsletter, cid);
    await order('cid', 99, new Date(now - 30_000));

    const templates = await performance();
    expect(templates[winBack]).toMatchObject({ sent: 1, converted: 1, orders: 1, revenue: 120.5 });
    expect(templates[newsletter]).toMatchObject({ sent: 3, converted: 0, orders: 0, revenue: 0 });

    const report = await call('GET', `/api/templates/${winBack}/performance?days=30`);
    expect(report.body.totals).toMatchObject({ orders: 1, revenue: 120.5, converted: 1 });
    expect(report.body.daily.at(-1)).toMatchObject({ sent: 1, revenue: 120.5 });
    expect(report.body.latestOrders).toEqual([
      {
        eventId: expect.any(String) as unknown,
        orderId: null,
        contactId: ada,
        contact: 'ada@x.test',
        value: 120.5,
        at: expect.any(String) as unknown,
        messageId: expect.any(String) as unknown,
      },
    ]);
    // Ada's timeline says which email her order is counted for.
    const timeline = await call('GET', `/api/contacts/${ada}/timeline`);
    const orders = (
      timeline.body.items as { kind: string; name?: string; attributedTo?: unknown }[]
    ).filter((item) => item.name === 'order.completed');
    expect(orders).toEqual([
      expect.objectContaining({
        attributedTo: {
          messageId: expect.any(String) as unknown,
          subject: 'Win-back for you',
          templateId: winBack,
        },
      }),
    ]);
    const overview = await call('GET', '/api/overview?days=30');
    expect(overview.body.email.totals).toMatchObject({ orders: 1, revenue: 120.5 });
  });

  it('counts the year’s orders again when the window, the order event or its value change', async () => {
    const wider = await call('PATCH', '/api/workspace', { attributionWindowDays: 14 });
    expect(wider.status, JSON.stringify(wider.body)).toBe(200);
    expect(wider.body).toMatchObject({
      attributionWindowDays: 14,
      changed: ['attributionWindowDays'],
      reattributed: 2,
    });
    // Bob's order, 10 days after his open, is now the newsletter's.
    expect((await performance())[newsletter]).toMatchObject({ orders: 1, revenue: 40 });

    // A site whose orders carry their value in `total`, and an order sent after the change.
    const valued = await call('PATCH', '/api/workspace', {
      conversionEvent: 'Order Completed',
      conversionValueProperty: 'total',
    });
    expect(valued.status, JSON.stringify(valued.body)).toBe(200);
    expect(valued.body.reattributed).toBe(0);
    // The built-in customer segments and score rule still read order.completed: named, to change.
    const readers = valued.body.builtinOrderReaders as {
      segments: { name: string }[];
      scoringRules: string[];
    };
    expect(readers.segments.map((segment) => segment.name)).toEqual([
      'Engaged prospects',
      'High value',
      'Inactive customers',
      'Low value',
      'Medium value',
      'New customers',
      'Prospects',
      'Repeat customers',
    ]);
    expect(readers.scoringRules).toEqual(['Recent purchase']);
    expect(await performance()).toMatchObject({
      [winBack]: { orders: 0, revenue: 0 },
      [newsletter]: { orders: 0, revenue: 0 },
    });
    await track({ userId: 'ada', event: 'Order Completed', properties: { total: '35.20' } });
    await track({ userId: 'ada', event: 'Order Completed', properties: {} });
    expect((await performance())[winBack]).toMatchObject({
      converted: 1,
      orders: 2,
      revenue: 35.2,
    });

    const back = await call('PATCH', '/api/workspace', {
      conversionEvent: 'order.completed',
      conversionValueProperty: 'amount',
      attributionWindowDays: 5,
      currency: 'usd',
    });
    expect(back.body).toMatchObject({
      reattributed: 1,
      currency: 'USD',
      builtinOrderReaders: { segments: [], scoringRules: [] },
    });
    expect((await call('GET', '/api/workspace')).body).toMatchObject({
      conversionEvent: 'order.completed',
      conversionValueProperty: 'amount',
      attributionWindowDays: 5,
      currency: 'USD',
    });
  });

  it('leaves test sends out', async () => {
    const dan = await contact('dan');
    const testSend = await sendTo(env, newsletter, dan, { key: `test:${newsletter}:${dan}` });
    await opened('dan', testSend, new Date(Date.now() - DAY));
    await order('dan', 10, new Date());
    const [row] = await env.db.sql<{ n: number }[]>`
      select count(*)::int as n from email_conversions where message_id = ${testSend}`;
    expect(row!.n).toBe(0);
  });
});

describe('what an order adds up to', () => {
  it('counts an order sent twice once, and leaves an order in another currency out of the revenue', async () => {
    // After the tests above the workspace counts order.completed `amount`, in USD.
    const receipts = await template('Receipts');
    const journey = await call('POST', '/api/journeys', { name: 'Receipts', nodes: [] });
    const journeyId = journey.body.id as string;
    const eve = await contact('eve');
    const messageId = await sendTo(env, receipts, eve, { journeyId });
    await opened('eve', messageId, new Date(Date.now() - DAY));
    const at = new Date(Date.now() - 60_000).toISOString();
    const placed = (properties: Record<string, unknown>, ingestId: string) =>
      track({
        userId: 'eve',
        event: 'order.completed',
        properties,
        timestamp: at,
        messageId: ingestId,
      });
    // The shop's webhook is retried: the same order under another message id.
    await placed({ orderId: 'o-1', amount: 100, currency: 'USD' }, 'shop-1');
    await placed({ orderId: 'o-1', amount: 100, currency: 'USD' }, 'shop-1-retry');
    // Segment's spelling, in euros: an order, but no dollars.
    await placed({ order_id: 'o-2', amount: 50, currency: 'eur' }, 'shop-2');
    await placed({ order_id: 'o-2', amount: 50, currency: 'eur' }, 'shop-2-browser');
    // No id and no currency: counted as it is, in the workspace's currency.
    await placed({ amount: 20 }, 'shop-3');
    await placed({ amount: 20, currency: 'usd' }, 'shop-4');

    expect((await performance())[receipts]).toMatchObject({
      sent: 1,
      converted: 1,
      orders: 4,
      revenue: 140,
    });
    const report = await call('GET', `/api/templates/${receipts}/performance?days=30`);
    expect(report.body.totals).toMatchObject({ orders: 4, revenue: 140 });
    expect(report.body.daily.at(-1)).toMatchObject({ revenue: 140 });
    expect(
      (report.body.latestOrders as { value: number | null }[]).map((o) => o.value).sort(),
    ).toEqual([100, 20, 20, null]);
    const orders = await call('GET', '/api/journeys/orders');
    expect(orders.body.journeys[journeyId]).toEqual({ orders: 4, revenue: 140 });
    // The copies were never attributed: the timeline marks one order each.
    const [row] = await env.db.sql<{ n: number }[]>`
      select count(*)::int as n from email_conversions where message_id = ${messageId}`;
    expect(row!.n).toBe(4);

    // In euros, the euro order adds its value and the dollar orders none; back to dollars, as before.
    const euros = await call('PATCH', '/api/workspace', { currency: 'EUR' });
    expect(euros.body.reattributed).toBeGreaterThanOrEqual(4);
    expect((await performance())[receipts]).toMatchObject({ orders: 4, revenue: 70 });
    await call('PATCH', '/api/workspace', { currency: 'USD' });
    expect((await performance())[receipts]).toMatchObject({ orders: 4, revenue: 140 });
  });
});

describe('workspace settings', () => {
  it('refuses bad settings, naming each field, and changes nothing', async () => {
    const before = (await call('GET', '/api/workspace')).body;
    const refused = await call('PATCH', '/api/workspace', {
      name: ' ',
      attributionWindowDays: 0,
      currency: 'EURO',
      conversionEvent: '',
      colour: 'blue',
    });
    expect(refused.status).toBe(400);
    const fields = (refused.body.error.issues as { field: string }[]).map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(['name', 'attributionWindowDays', 'currency', 'conversionEvent']),
    );
    expect(JSON.stringify(refused.body.error.issues)).toContain('colour');

    const zone = await call('PATCH', '/api/workspace', { timezone: 'Mars/Olympus' });
    expect(zone.status).toBe(400);
    expect(zone.body.error.issues).toEqual([
      { field: 'timezone', message: expect.stringContaining('IANA') as unknown },
    ]);
    expect((await call('GET', '/api/workspace')).body).toEqual(before);
  });
});
