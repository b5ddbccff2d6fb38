// How each email template performs over a period: GET /api/templates/performance (every
// template) and /api/templates/:id/performance (one, by day and by journey). Emails go through
// the real send path to the dev outbox; opens, clicks and unsubscribes through the real tracking
// and unsubscribe routes, bounces through the feedback webhook.
import { expect, it } from 'vitest';
import { suppressAddress } from '@relance/email';
import { createDocumentBuilder } from '@relance/flow';
import { createTemplate, sendTo, useReportEnv } from './email-reports';

const TIMEZONE = 'Asia/Tokyo';
const env = useReportEnv({ timezone: TIMEZONE });
const call = (method: string, path: string, body?: unknown) => env.test.call(method, path, body);

const template = (name: string) =>
  createTemplate(
    env,
    name,
    '<p><a href="https://acme.test/offer">See the offer</a></p>' +
      '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
  );

async function contact(email: string): Promise<string> {
  const created = await call('POST', '/api/contacts', { email });
  expect(created.status).toBe(201);
  return created.body.contact.id as string;
}

/** Sends `templateId` to a contact the way a journey's send step does. */
const send = (templateId: string, contactId: string, journeyId: string | null) =>
  sendTo(env, templateId, contactId, { journeyId });

/** The signed links in the email the outbox holds for message `messageId`. */
async function linksOf(messageId: string) {
  const [message] = await env.db.sql<{ html: string }[]>`
    select html from email_outbox where message_id = ${messageId}`;
  const path = (prefix: string) => {
    const found = new RegExp(`http://relance\\.test(${prefix}[^"'\\s]+)`).exec(message!.html);
    if (!found) throw new Error(`No ${prefix} link in message ${messageId}`);
    return found[1]!.replaceAll('&amp;', '&');
  };
  return { open: path('/t/o/'), click: path('/t/c/'), unsubscribe: path('/u/') };
}

const visit = async (path: string, init?: RequestInit) => {
  const response = await env.test.app.request(path, init);
  expect(response.status).toBeLessThan(400);
};

/** `YYYY-MM-DD` in the workspace's zone, `back` days ago. */
const dayInZone = (back: number) =>
  new Date(Date.now() - back * 86_400_000).toLocaleDateString('en-CA', { timeZone: TIMEZONE });

it('counts each template’s emails and what their readers did, by day and by journey', async () => {
  const winBack = await template('Win-back');
  const receipt = await template('Receipt');
  const b = createDocumentBuilder('Reactivation');
  b.node('start', 'trigger.manual', {}, 0, 0);
  b.node('send', 'action.send_email', { templateId: winBack }, 0, 1);
  b.edge('start', 'send');
  const journey = await call('POST', '/api/journeys', b.build());
  expect(journey.status).toBe(201);
  const journeyId = journey.body.id as string;

  const [ada, bob, cy, dee, eve, fay] = (await Promise.all(
    ['ada', 'bob', 'cy', 'dee', 'eve', 'fay'].map((who) => contact(`${who}@example.com`)),
  )) as [string, string, string, string, string, string];
  // Dee's address bounced before: her email is skipped, with the reason.
  await suppressAddress(env.db.sql, {
    workspaceId: env.db.workspaceId,
    email: 'dee@example.com',
    reason: 'hard_bounce',
    detail: 'earlier bounce',
    messageId: null,
  });
  const toAda = await send(winBack, ada, journeyId);
  const toBob = await send(winBack, bob, journeyId);
  const toCy = await send(winBack, cy, journeyId);
  await send(winBack, dee, journeyId);
  // Sent outside any journey, and of another template.
  await send(winBack, eve, null);
  await send(receipt, ada, null);
  // Fay's was sent 40 days ago: outside the last 30 days, inside the last 90.
  const toFay = await send(winBack, fay, journeyId);
  await env.db.sql`
    update email_messages set created_at = now() - interval '40 days',
      sent_at = now() - interval '40 days'
    where id = ${toFay}`;
  // Ada's counts on the day it is in Tokyo: 00:30 there is the day before in UTC.
  const adaAt = `${dayInZone(1)}T00:30:00+09:00`;
  await env.db.sql`
    update email_messages set created_at = ${adaAt}::timestamptz, sent_at = ${adaAt}::timestamptz
    where id = ${toAda}`;
  // Bob's was held by quiet hours from 23:00 yesterday: it counts today, when it went out.
  await env.db.sql`
    update email_messages set created_at = ${`${dayInZone(1)}T23:00:00+09:00`}::timestamptz
    where id = ${toBob}`;
  // A test send is no send of the template's.
  expect(
    (await call('POST', `/api/templates/${winBack}/test-send`, { to: 'me@acme.test' })).status,
  ).toBe(200);

  // Ada opens twice and clicks; Bob opens and unsubscribes in one click; Cy's email bounces.
  const adaLinks = await linksOf(toAda);
  for (const path of [adaLinks.open, adaLinks.open, adaLinks.click]) await visit(path);
  const bobLinks = await linksOf(toBob);
  await visit(bobLinks.open);
  await visit(bobLinks.unsubscribe, {
    method: 'POST',
    body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
  });
  const bounce = await call('POST', '/api/webhooks/email-feedback', {
    type: 'bounce',
    bounceType: 'hard',
    recipient: 'cy@example.com',
    messageId: toCy,
    detail: '550 5.1.1 no such user',
  });
  expect(bounce.status).toBe(200);

  const month = await call('GET', `/api/templates/${winBack}/performance`);
  expect(month.status).toBe(200);
  expect(month.body).toMatchObject({ timezone: TIMEZONE, days: 30, from: dayInZone(29) });
  expect(month.body.totals).toEqual({
    sent: 4,
    delivered: 0,
    opened: 2,
    machineOpened: 0,
    clicked: 1,
    unsubscribed: 1,
    bounced: 1,
    complained: 0,
    failed: 0,
    skipped: { suppressed_hard_bounce: 1 },
    deferred: 0,
    converted: 0,
    orders: 0,
    revenue: 0,
  });
  expect(month.body.journeys).toEqual([
    expect.objectContaining({ journeyId, name: 'Reactivation', sent: 3, opened: 2, skipped: 1 }),
    expect.objectContaining({ journeyId: null, name: null, sent: 1, opened: 0, skipped: 0 }),
  ]);
  const daily = month.body.daily as { day: string; sent: number; opened: number }[];
  expect(daily).toHaveLength(30);
  expect(daily[0]!.day).toBe(dayInZone(29));
  expect(daily.at(-1)!.day).toBe(dayInZone(0));
  expect(daily.find((d) => d.day === dayInZone(1))).toEqual({
    day: dayInZone(1),
    sent: 1,
    opened: 1,
    clicked: 1,
    unsubscribed: 0,
    revenue: 0,
  });
  expect(daily.reduce((sum, d) => sum + d.sent, 0)).toBe(4);

  const quarter = await call('GET', `/api/templates/${winBack}/performance?days=90`);
  expect(quarter.body.totals.sent).toBe(5);
  expect(quarter.body.daily).toHaveLength(90);

  // Each email of the template, with what its reader did, in the message log.
  const log = await call('GET', `/api/messages?templateId=${winBack}`);
  expect(log.status).toBe(200);
  const byId = new Map(
    (log.body.messages as { id: string; engagement: Record<string, string | null> }[]).map((m) => [
      m.id,
      m.engagement,
    ]),
  );
  expect(byId.size).toBe(7); // six contacts and the test send
  expect(byId.get(toAda)).toMatchObject({
    openedAt: expect.any(String),
    clickedAt: expect.any(String),
    bouncedAt: null,
  });
  expect(byId.get(toBob)).toMatchObject({ unsubscribedAt: expect.any(String), clickedAt: null });
  expect(byId.get(toCy)).toMatchObject({ bouncedAt: expect.any(String), openedAt: null });
  const badFilter = await call('GET', '/api/messages?templateId=x');
  expect(badFilter.status).toBe(400);
  expect(badFilter.body.error.issues).toEqual([
    { field: 'query.templateId', message: 'Not a template id' },
  ]);

  const all = await call('GET', '/api/templates/performance');
  expect(all.status).toBe(200);
  expect(all.body.templates[winBack]).toEqual(month.body.totals);
  expect(all.body.templates[receipt]).toMatchObject({ sent: 1, opened: 0, skipped: {} });
  expect(Object.keys(all.body.templates)).toHaveLength(2);
});

it('answers zeros for a template that sent nothing, and names a bad period or id', async () => {
  const quiet = await template('Quiet');
  const report = await call('GET', `/api/templates/${quiet}/performance?days=7`);
  expect(report.status).toBe(200);
  expect(report.body.totals).toMatchObject({ sent: 0, opened: 0, skipped: {} });
  expect(report.body.journeys).toEqual([]);
  expect(report.body.daily).toHaveLength(7);

  for (const [days, message] of [
    ['0', 'The number of days is at least 1'],
    ['400', 'The number of days is at most 365'],
    ['week', 'The number of days is a number'],
  ] as const) {
    const bad = await call('GET', `/api/templates/performance?days=${days}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([{ field: 'query.days', message }]);
  }
  const unknown = await call(
    'GET',
    '/api/templates/00000000-0000-4000-8000-000000000000/performance',
  );
  expect(unknown.status).toBe(404);
});

it('keeps a message’s first report of each kind, from any source, and ignores events naming no message of the workspace', async () => {
  const offer = await template('Flash sale');
  const zoe = await contact('zoe@example.com');
  const messageId = await send(offer, zoe, null);
  const track = async (event: string, properties: Record<string, unknown>, timestamp: string) => {
    const response = await env.test.app.request('/v1/track', {
      method: 'POST',
      headers: { authorization: `Bearer ${env.writeKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'zoe', event, properties, timestamp }),
    });
    expect(response.status).toBe(200);
  };
  await env.db.sql`update contacts set external_id = 'zoe' where id = ${zoe}`;
  // Reported by the site's own tracking: an open at 10:00, another at 11:00, then a click. The
  // first open is kept.
  await track('email.opened', { messageId }, '2026-11-20T10:00:00Z');
  await track('email.opened', { messageId }, '2026-11-20T11:00:00Z');
  await track('email.clicked', { messageId }, '2026-11-20T12:00:00Z');
  // Not a message id, and an id no message has: recorded, marking nothing.
  await track('email.opened', { messageId: 'newsletter-42' }, '2026-11-20T13:00:00Z');
  await track(
    'email.bounced',
    { messageId: '00000000-0000-4000-8000-000000000000' },
    '2026-11-20T13:00:00Z',
  );
  const [marked] = await env.db.sql<
    { openedAt: Date; clickedAt: Date; bouncedAt: Date | null; events: number }[]
  >`
    select opened_at, clicked_at, bounced_at,
      (select count(*)::int from events where contact_id = ${zoe} and name like 'email.%') as events
    from email_messages where id = ${messageId}`;
  expect(marked).toEqual({
    openedAt: new Date('2026-11-20T10:00:00Z'),
    clickedAt: new Date('2026-11-20T12:00:00Z'),
    bouncedAt: null,
    events: 5,
  });
});

it('sums up the workspace on its overview: contacts, journeys and every email of the period', async () => {
  // After the tests above: seven contacts; the win-back went to four in the last 30 days (and Dee
  // was skipped), the receipt to Ada, the flash sale to Zoe.
  const [oldest] = await env.db.sql<{ id: string }[]>`
    update contacts set created_at = now() - interval '40 days'
    where id = (select id from contacts where email = 'fay@example.com') returning id`;
  expect(oldest).toBeDefined();
  const b = createDocumentBuilder('Welcome');
  b.node('start', 'trigger.manual', {}, 0, 0);
  b.node('exit', 'logic.exit', {}, 0, 1);
  b.edge('start', 'exit');
  const welcome = await call('POST', '/api/journeys', b.build());
  expect((await call('POST', `/api/journeys/${welcome.body.id}/publish`, {})).status).toBe(201);

  const overview = await call('GET', '/api/overview');
  expect(overview.status).toBe(200);
  expect(overview.body).toMatchObject({
    timezone: TIMEZONE,
    days: 30,
    from: dayInZone(29),
    contacts: { total: 7, new: 6 },
    journeys: { active: 1, paused: 0, inFlight: 0 },
  });
  expect(overview.body.email.totals).toMatchObject({
    sent: 6,
    opened: 3,
    clicked: 2,
    unsubscribed: 1,
    bounced: 1,
    skipped: { suppressed_hard_bounce: 1 },
  });
  expect(overview.body.email.daily).toHaveLength(30);
  expect(overview.body.email.journeys).toEqual([
    expect.objectContaining({ name: 'Reactivation', sent: 3 }),
    expect.objectContaining({ journeyId: null, sent: 3 }),
  ]);
  const bad = await call('GET', '/api/overview?days=0');
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues).toEqual([
    { field: 'query.days', message: 'The number of days is at least 1' },
  ]);
});
