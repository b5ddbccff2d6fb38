// Machine opens and clicks (Apple Mail Privacy Protection's proxy, link scanners) are recorded
// through the real tracking routes but flagged: they neither mark an email opened or clicked nor
// take an order's credit. An order goes to the email clicked last, else the one opened last by a
// person.
import { describe, expect, it } from 'vitest';
import { createTemplate, sendTo, useReportEnv } from './email-reports';

const env = useReportEnv();
const APPLE_PROXY = 'Mozilla/5.0';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const template = (name: string) =>
  createTemplate(
    env,
    name,
    '<p><a href="https://acme.test/offer">See the offer</a></p>' +
      '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
  );

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

/** The signed open pixel and first click link of the email the outbox holds for a message. */
async function linksOf(messageId: string) {
  const [message] = await env.db.sql<{ html: string }[]>`
    select html from email_outbox where message_id = ${messageId}`;
  const path = (prefix: string) => {
    const found = new RegExp(`http://relance\\.test(${prefix}[^"'\\s]+)`).exec(message!.html);
    if (!found) throw new Error(`No ${prefix} link in message ${messageId}`);
    return found[1]!.replaceAll('&amp;', '&');
  };
  return { open: path('/t/o/'), click: path('/t/c/') };
}

async function hit(path: string, userAgent: string, method = 'GET') {
  const response = await env.test.app.request(path, {
    method,
    headers: { 'user-agent': userAgent },
    redirect: 'manual',
  });
  expect(response.status).toBeLessThan(400);
}

async function attributedTo(userId: string): Promise<string[]> {
  const rows = await env.db.sql<{ messageId: string }[]>`
    select c.message_id from email_conversions c
    join events e on e.id = c.event_id
    join contacts k on k.id = e.contact_id
    where k.external_id = ${userId} order by e.occurred_at`;
  return rows.map((row) => row.messageId);
}

async function engagement(messageId: string) {
  const [row] = await env.db.sql<{ openedAt: Date | null; clickedAt: Date | null }[]>`
    select opened_at, clicked_at from email_messages where id = ${messageId}`;
  return { opened: row!.openedAt !== null, clicked: row!.clickedAt !== null };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('machine opens and clicks', () => {
  it('flags Apple’s proxy and link scanners, keeps their events, and gives the order to the email the person clicked', async () => {
    const winBack = await template('Win-back');
    const newsletter = await template('Newsletter');
    const ada = await contact('ada');

    // The win-back is prefetched by Apple's proxy on delivery, then really clicked.
    const adaWinBack = await sendTo(env, winBack, ada);
    const winBackLinks = await linksOf(adaWinBack);
    await hit(winBackLinks.open, APPLE_PROXY);
    await pause();
    await hit(winBackLinks.click, IPHONE_SAFARI);
    await pause();

    // The newsletter is prefetched by Apple's proxy and its link checked by a gateway (HEAD and
    // a scanner that names itself); nobody reads it.
    const adaNewsletter = await sendTo(env, newsletter, ada);
    const newsletterLinks = await linksOf(adaNewsletter);
    await hit(newsletterLinks.open, APPLE_PROXY);
    await hit(newsletterLinks.click, IPHONE_SAFARI, 'HEAD');
    await hit(newsletterLinks.click, 'Mozilla/5.0 (compatible; Barracuda Link Protection)');
    await pause();
    await ingest('/v1/track', {
      userId: 'ada',
      event: 'order.completed',
      properties: { amount: 80 },
      timestamp: new Date().toISOString(),
    });

    expect(await attributedTo('ada')).toEqual([adaWinBack]);
    expect(await engagement(adaWinBack)).toEqual({ opened: true, clicked: true });
    expect(await engagement(adaNewsletter)).toEqual({ opened: false, clicked: false });

    // Every hit is still recorded, with the agent's class (never the IP or raw user agent).
    const events = await env.db.sql<{ name: string; properties: Record<string, unknown> }[]>`
      select name, properties from events
      where contact_id = ${ada} and name in ('email.opened', 'email.clicked') order by id`;
    expect(
      events.map((e) => [e.name, e.properties.messageId, e.properties.agent, e.properties.machine]),
    ).toEqual([
      ['email.opened', adaWinBack, 'apple_privacy_proxy', true],
      ['email.clicked', adaWinBack, 'browser', false],
      ['email.opened', adaNewsletter, 'apple_privacy_proxy', true],
      ['email.clicked', adaNewsletter, 'browser', true],
      ['email.clicked', adaNewsletter, 'scanner', true],
    ]);
    expect(events.map((e) => e.properties.machineReason)).toEqual([
      'apple_privacy',
      undefined,
      'apple_privacy',
      'head_request',
      'scanner',
    ]);
    expect(JSON.stringify(events)).not.toContain('Barracuda');
  });

  it('gives an order to the email clicked last before it, over one opened after that click', async () => {
    const offer = await template('Offer');
    const digest = await template('Digest');
    const bob = await contact('bob');
    const bobOffer = await sendTo(env, offer, bob);
    const bobDigest = await sendTo(env, digest, bob);
    const now = Date.now();
    const track = (event: string, properties: Record<string, unknown>, at: number) =>
      ingest('/v1/track', {
        userId: 'bob',
        event,
        properties,
        timestamp: new Date(at).toISOString(),
      });
    await track('email.clicked', { messageId: bobOffer }, now - 2 * 3_600_000);
    await track('email.opened', { messageId: bobDigest }, now - 3_600_000);
    // A machine open reported by another tool through the API is ignored too.
    await track('email.opened', { messageId: bobDigest, machine: true }, now - 1_800_000);
    await track('order.completed', { amount: 30 }, now - 60_000);
    expect(await attributedTo('bob')).toEqual([bobOffer]);
  });
});
