import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmailActivities } from '@relance/activities/send-email';
import {
  getFrequencyPreference,
  listTopicConsents,
  suppressionReasons,
  type MailProvider,
} from '@relance/email';
import type { TestDatabase } from '../../support/db';
import {
  eventsOf,
  headersOf,
  insertContact,
  linksIn,
  NEWSLETTER,
  partOf,
  PUBLIC_URL,
  saveTemplate,
  saveTopic,
  tracking,
  type TestSmtpServer,
  useEmailApp,
  type EmailApp,
} from './support';

let templateId: string;

const email = useEmailApp();
const { recording } = email;
let db: TestDatabase;
let server: TestSmtpServer;
let provider: MailProvider;
let app: EmailApp['app'];
let call: EmailApp['call'];

beforeAll(async () => {
  ({ db, server, provider, app, call } = email);
  await saveTopic(db.sql, db.workspaceId, 'newsletter');
  await saveTopic(db.sql, db.workspaceId, 'offers', true);
  templateId = (await saveTemplate(db.sql, db.workspaceId, NEWSLETTER)).id;
});

let sends = 0;
/** Sends the newsletter to a new contact through real SMTP and reads the links it received. */
async function mailed(email: string) {
  const contactId = await insertContact(db.sql, db.workspaceId, { email });
  const send = createEmailActivities({
    sql: db.sql,
    provider,
    tracking,
    dispatcher: recording.dispatcher,
  });
  const result = await send.sendEmail({
    workspaceId: db.workspaceId,
    contactId,
    templateId,
    idempotencyKey: `links:${sends++}`,
    journeyId: 'j',
    runId: 'r',
    nodeId: 'n',
  });
  expect(result.outcome).toBe('sent');
  const mail = server.received.at(-1)!;
  const html = partOf(mail.raw, 'text/html');
  const links = linksIn(html);
  const listUnsubscribe = /<(http[^>]+)>/.exec(headersOf(mail.raw).get('list-unsubscribe')!)![1]!;
  return {
    contactId,
    messageId: result.messageId!,
    click: links.find((link) => link.includes('/t/c/'))!,
    pixel: /src="([^"]+\/t\/o\/[^"]+)"/.exec(html)![1]!,
    preferences: links.find((link) => link.includes('/p/'))!,
    unsubscribe: listUnsubscribe,
  };
}

/** The workspace's name, which the hosted pages name as the sender. */
async function sender() {
  const [workspace] = await db.sql<{ name: string }[]>`
    select name from workspaces where id = ${db.workspaceId}`;
  return workspace!.name;
}

/** A request to one of our public URLs (as a mail client or browser makes it). */
function visit(url: string, init: RequestInit = {}) {
  return app.request(url.slice(PUBLIC_URL.length), { redirect: 'manual', ...init });
}
const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of [value].flat()) body.append(name, one);
  }
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  };
};

/** The same token with one character of its signature changed. */
function tamper(url: string): string {
  const last = url.at(-1) === 'A' ? 'B' : 'A';
  return `${url.slice(0, -1)}${last}`;
}

beforeEach(() => {
  recording.calls.events.length = 0;
});

describe('open and click tracking', () => {
  it('answers the pixel with an uncacheable GIF and records email.opened', async () => {
    const { pixel, contactId, messageId } = await mailed('open@example.com');
    const response = await visit(pixel);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 6)
        .toString(),
    ).toBe('GIF89a');
    const opened = await eventsOf(db.sql, contactId, 'email.opened');
    expect(opened.map((e) => e.properties)).toEqual([
      expect.objectContaining({ messageId, templateId }),
    ]);
    expect(recording.calls.events).toContain(opened[0]!.id);
  });

  it('redirects a click to the signed URL only, and records email.clicked with the link', async () => {
    const { click, contactId } = await mailed('click@example.com');
    const response = await visit(click);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://shop.acme.test/orders/?utm=mail');
    const clicked = await eventsOf(db.sql, contactId, 'email.clicked');
    expect(clicked[0]!.properties).toMatchObject({
      url: 'https://shop.acme.test/orders/?utm=mail',
      templateId,
    });
  });

  it('redirects links with non-ASCII characters, an IDN host or a personalised value with spaces to the page written, from both parts', async () => {
    const { id } = await saveTemplate(db.sql, db.workspaceId, {
      ...NEWSLETTER,
      name: 'Sale links',
      body: {
        kind: 'html',
        source: `<p><a href="https://shop.fr/soldes-d’été">Sale</a>
<a href="https://магазин.рф/каталог">Shop</a>
<a href="https://shop.test/c/{{ contact.coupon }}">Your coupon</a></p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`,
      },
    });
    const contactId = await insertContact(db.sql, db.workspaceId, {
      email: 'sale@example.com',
      properties: { coupon: 'SUMMER 50/50' },
    });
    const send = createEmailActivities({
      sql: db.sql,
      provider,
      tracking,
      dispatcher: recording.dispatcher,
    });
    const result = await send.sendEmail({
      workspaceId: db.workspaceId,
      contactId,
      templateId: id,
      idempotencyKey: 'links:non-ascii',
      journeyId: 'j',
      runId: 'r',
      nodeId: 'n',
    });
    expect(result.outcome).toBe('sent');
    const raw = server.received.at(-1)!.raw;
    const expected = [
      'https://shop.fr/soldes-d%E2%80%99%C3%A9t%C3%A9',
      'https://xn--80aairftm.xn--p1ai/%D0%BA%D0%B0%D1%82%D0%B0%D0%BB%D0%BE%D0%B3',
      'https://shop.test/c/SUMMER%2050/50',
    ];
    const fromHtml = linksIn(partOf(raw, 'text/html')).filter((link) => link.includes('/t/c/'));
    const fromText = [...partOf(raw, 'text/plain').matchAll(/\[(http[^\]]+\/t\/c\/[^\]]+)\]/g)].map(
      (match) => match[1]!,
    );
    for (const clicks of [fromHtml, fromText]) {
      const locations = [];
      for (const click of clicks) {
        const response = await visit(click);
        expect(response.status).toBe(302);
        locations.push(response.headers.get('location'));
      }
      expect(locations).toEqual(expected);
    }
    expect(await eventsOf(db.sql, contactId, 'email.clicked')).toHaveLength(6);
  });

  it('redirects a link signed as written before links were cleaned, from an email already sent', async () => {
    const { click } = await mailed('sent-before@example.com');
    const [body] = click.slice(`${PUBLIC_URL}/t/c/`.length).split('.');
    const { m: messageId } = JSON.parse(Buffer.from(body!, 'base64url').toString()) as {
      m: string;
    };
    const old = tracking.clickUrl(messageId, 'https://shop.fr/soldes-d’été?code=SUMMER 50');
    const response = await visit(old);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(
      'https://shop.fr/soldes-d%E2%80%99%C3%A9t%C3%A9?code=SUMMER%2050',
    );
  });

  it('refuses tampered links with 403 and is never an open redirect', async () => {
    const { click, pixel, contactId } = await mailed('tamper@example.com');
    expect((await visit(tamper(click))).status).toBe(403);
    expect((await visit(tamper(pixel))).status).toBe(403);
    // Swapping in another destination without the signature: refused, no redirect anywhere.
    const [body, signature] = click.slice(`${PUBLIC_URL}/t/c/`.length).split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as { u: string };
    payload.u = 'https://evil.example/phish';
    const forged = `${PUBLIC_URL}/t/c/${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    const response = await visit(forged);
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
    // A token signed for another purpose (the open pixel) does not pass as a click.
    expect((await visit(`${PUBLIC_URL}/t/c/${pixel.split('/t/o/')[1]}`)).status).toBe(403);
    // Plain garbage and query-string destinations are refused too.
    expect((await visit(`${PUBLIC_URL}/t/c/x?url=https://evil.example`)).status).toBe(403);
    expect(await eventsOf(db.sql, contactId, 'email.clicked')).toEqual([]);
  });
});

describe('unsubscribe', () => {
  it('GET shows a confirmation page and changes nothing', async () => {
    const { unsubscribe, contactId } = await mailed('look@example.com');
    const response = await visit(unsubscribe);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('Unsubscribe from Newsletter');
    expect(page).toContain('name="viewport"');
    expect(page).toContain('l•••@example.com');
    expect(await listTopicConsents(db.sql, contactId)).toEqual([]);
    expect(await eventsOf(db.sql, contactId, 'email.unsubscribed')).toEqual([]);
  });

  it('RFC 8058 one-click POST unsubscribes from the topic at once, records it, and the next send is skipped', async () => {
    const { unsubscribe, contactId, messageId } = await mailed('oneclick@example.com');
    const response = await visit(unsubscribe, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('You are unsubscribed');
    expect(await listTopicConsents(db.sql, contactId)).toEqual([
      expect.objectContaining({ topic: 'newsletter', status: 'unsubscribed', source: 'one_click' }),
    ]);
    const events = await eventsOf(db.sql, contactId, 'email.unsubscribed');
    expect(events.map((e) => e.properties)).toEqual([
      expect.objectContaining({ topic: 'newsletter', scope: 'topic', messageId, templateId }),
    ]);
    expect(recording.calls.events).toContain(events[0]!.id);
    // A mail client posting twice changes nothing more.
    await visit(unsubscribe, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(await eventsOf(db.sql, contactId, 'email.unsubscribed')).toHaveLength(1);

    const send = createEmailActivities({
      sql: db.sql,
      provider,
      tracking,
      dispatcher: recording.dispatcher,
    });
    const next = await send.sendEmail({
      workspaceId: db.workspaceId,
      contactId,
      templateId,
      idempotencyKey: 'after-unsubscribe',
      journeyId: 'j',
      runId: 'r',
      nodeId: 'n',
    });
    expect(next).toMatchObject({ outcome: 'skipped', reason: 'topic_unsubscribed' });
  });

  it('the page’s “all emails” button suppresses the address', async () => {
    const { unsubscribe } = await mailed('all@example.com');
    const response = await visit(unsubscribe, form({ scope: 'all' }));
    const page = await response.text();
    expect(page).toContain(`will not receive any more marketing emails from ${await sender()}.`);
    expect(page).toContain('receipts and account messages, still come');
    expect(await suppressionReasons(db.sql, db.workspaceId, 'all@example.com')).toEqual([
      'unsubscribed',
    ]);
  });

  it('a tampered unsubscribe link is refused with 403 and changes nothing', async () => {
    const { unsubscribe, contactId } = await mailed('bad-unsub@example.com');
    const response = await visit(tamper(unsubscribe), form({ 'List-Unsubscribe': 'One-Click' }));
    expect(response.status).toBe(403);
    expect(await listTopicConsents(db.sql, contactId)).toEqual([]);
  });
});

describe('the preference page', () => {
  it('shows topics and frequency, applies changes at once and records an event per change', async () => {
    const { preferences, contactId } = await mailed('prefs@example.com');
    const page = await (await visit(preferences)).text();
    expect(page).toMatch(/value="newsletter" checked/);
    expect(page).toMatch(/value="offers">/); // opt-in topic, not subscribed yet
    expect(page).toMatch(/value="every" checked/);
    expect(page).toContain('Monthly digest');
    expect(page).toContain('Important announcements only');

    const saved = await visit(preferences, form({ topic: ['offers'], frequency: 'monthly' }));
    expect(saved.status).toBe(303);
    const location = saved.headers.get('location')!;
    expect(location).toBe(`${preferences}?saved=1`);
    expect(await (await visit(location)).text()).toContain('Saved.');

    expect(await listTopicConsents(db.sql, contactId)).toEqual([
      expect.objectContaining({
        topic: 'newsletter',
        status: 'unsubscribed',
        source: 'preference_page',
      }),
      expect.objectContaining({ topic: 'offers', status: 'subscribed', source: 'preference_page' }),
    ]);
    expect(await getFrequencyPreference(db.sql, contactId)).toBe('monthly');
    expect(
      (await eventsOf(db.sql, contactId, 'email.subscribed')).map((e) => e.properties.topic),
    ).toEqual(['offers']);
    expect(
      (await eventsOf(db.sql, contactId, 'email.unsubscribed')).map((e) => e.properties.topic),
    ).toEqual(['newsletter']);
    expect(
      (await eventsOf(db.sql, contactId, 'email.preferences_changed'))[0]!.properties,
    ).toMatchObject({
      frequency: 'monthly',
      previous: 'every',
      source: 'preference_page',
    });
  });

  it('unsubscribes from all, then ticking a topic subscribes again to that topic only', async () => {
    const { preferences, contactId } = await mailed('comeback@example.com');
    const send = createEmailActivities({
      sql: db.sql,
      provider,
      tracking,
      dispatcher: recording.dispatcher,
    });
    const next = (topic: string) =>
      send.sendEmail({
        workspaceId: db.workspaceId,
        contactId,
        templateId,
        topic,
        idempotencyKey: `comeback:${sends++}`,
        journeyId: 'j',
        runId: 'r',
        nodeId: 'n',
      });
    await visit(preferences, form({ topic: ['newsletter', 'offers'], frequency: 'every' }));
    await visit(preferences, form({ unsubscribe_all: '1' }));
    expect(await suppressionReasons(db.sql, db.workspaceId, 'comeback@example.com')).toEqual([
      'unsubscribed',
    ]);
    const page = await (await visit(preferences)).text();
    expect(page).toContain(`is unsubscribed from all marketing emails from ${await sender()}.`);
    expect(page).not.toMatch(/value="newsletter" checked/);

    // Only the opt-in topic is ticked: the newsletter (opt-out, no consent row) stays off.
    await visit(preferences, form({ topic: 'offers', frequency: 'every' }));
    expect(await suppressionReasons(db.sql, db.workspaceId, 'comeback@example.com')).toEqual([]);
    const after = await (await visit(preferences)).text();
    expect(after).toMatch(/value="offers" checked/);
    expect(after).not.toMatch(/value="newsletter" checked/);
    expect(await next('newsletter')).toMatchObject({
      outcome: 'skipped',
      reason: 'topic_unsubscribed',
    });
    expect(await next('offers')).toMatchObject({ outcome: 'sent' });

    // Again, ticking only the newsletter: offers (subscribed before the unsubscribe) stays off.
    await visit(preferences, form({ unsubscribe_all: '1' }));
    await visit(preferences, form({ topic: 'newsletter', frequency: 'every' }));
    const again = await (await visit(preferences)).text();
    expect(again).toMatch(/value="newsletter" checked/);
    expect(again).not.toMatch(/value="offers" checked/);
    expect(await next('offers')).toMatchObject({
      outcome: 'skipped',
      reason: 'topic_unsubscribed',
    });
    expect(await next('newsletter')).toMatchObject({ outcome: 'sent' });
  });

  it('names a bad frequency in plain words and refuses tampered links', async () => {
    const { preferences } = await mailed('badfreq@example.com');
    const bad = await visit(preferences, form({ frequency: 'hourly' }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('frequency: choose every issue');
    expect((await visit(tamper(preferences))).status).toBe(403);
  });
});

describe('bounce and complaint webhook', () => {
  it('needs the workspace secret or the admin token; applies hard bounces and complaints', async () => {
    const bounced = await mailed('bounce@example.com');
    const complained = await mailed('complain@example.com');
    const body = {
      events: [
        {
          type: 'bounce',
          bounceType: 'hard',
          recipient: 'bounce@example.com',
          messageId: bounced.messageId,
          detail: '550 5.1.1 unknown',
        },
        { type: 'complaint', recipient: 'complain@example.com', messageId: complained.messageId },
        { type: 'bounce', bounceType: 'soft', recipient: 'soft@example.com' },
        { type: 'delivery', recipient: 'complain@example.com', messageId: complained.messageId },
      ],
    };
    const post = (token: string | null, payload: unknown = body) =>
      call('POST', '/api/webhooks/email-feedback', payload, token);

    expect((await post(null)).status).toBe(401);
    expect((await post('whsec_wrong')).status).toBe(401);
    const { secret } = (await call('POST', '/api/email/feedback-secret')).body as {
      secret: string;
    };
    expect((await post(secret, { type: 'bounce' })).status).toBe(400);

    const applied = await post(secret);
    expect(applied.status).toBe(200);
    expect(applied.body.applied).toEqual([
      { recipient: 'bounce@example.com', messageId: bounced.messageId, suppressed: 'hard_bounce' },
      {
        recipient: 'complain@example.com',
        messageId: complained.messageId,
        suppressed: 'complaint',
      },
      { recipient: 'soft@example.com', messageId: null, suppressed: null },
      { recipient: 'complain@example.com', messageId: complained.messageId, suppressed: null },
    ]);
    expect(await eventsOf(db.sql, complained.contactId, 'email.delivered')).toHaveLength(1);
    expect(await suppressionReasons(db.sql, db.workspaceId, 'bounce@example.com')).toEqual([
      'hard_bounce',
    ]);
    expect(await suppressionReasons(db.sql, db.workspaceId, 'complain@example.com')).toEqual([
      'complaint',
    ]);
    expect(
      (await eventsOf(db.sql, bounced.contactId, 'email.bounced'))[0]!.properties,
    ).toMatchObject({
      bounceType: 'hard',
      templateId,
    });
    expect(await eventsOf(db.sql, complained.contactId, 'email.complained')).toHaveLength(1);

    // The same webhook delivered twice records each event once; the admin token works too.
    expect((await post(null, body)).status).toBe(401);
    expect((await call('POST', '/api/webhooks/email-feedback', body)).status).toBe(200);
    expect(await eventsOf(db.sql, bounced.contactId, 'email.bounced')).toHaveLength(1);

    // Rotating the secret retires the old one at once.
    await call('POST', '/api/email/feedback-secret');
    expect((await post(secret)).status).toBe(401);
  });
});

describe('what a bounce mailbox receives, forwarded as raw mail', () => {
  const crlf = (text: string) => text.replace(/\n/g, '\r\n');
  const forward = (raw: string, token: string) =>
    app.request('/api/webhooks/email-feedback', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' },
      body: raw,
    });

  it('a DSN for one of our messages suppresses the address and records email.bounced', async () => {
    const { contactId, messageId } = await mailed('dsn@example.com');
    const { secret } = (await call('POST', '/api/email/feedback-secret')).body as {
      secret: string;
    };
    const dsn = crlf(`From: MAILER-DAEMON@mx.example.test
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="XX"

--XX
Content-Type: text/plain

Your message could not be delivered.

--XX
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.test

Final-Recipient: rfc822; dsn@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--XX
Content-Type: text/rfc822-headers

X-Relance-Message: ${messageId}
To: dsn@example.com

--XX--
`);
    const response = await forward(dsn, secret);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { applied: unknown[] }).applied).toEqual([
      { recipient: 'dsn@example.com', messageId, suppressed: 'hard_bounce' },
    ]);
    expect(await suppressionReasons(db.sql, db.workspaceId, 'dsn@example.com')).toEqual([
      'hard_bounce',
    ]);
    expect(await eventsOf(db.sql, contactId, 'email.bounced')).toHaveLength(1);
  });

  it('an email to the List-Unsubscribe mailto unsubscribes from the topic', async () => {
    const sent = await mailed('mailto@example.com');
    const mail = server.received.at(-1)!;
    const mailto = /<(mailto:[^>]+)>/.exec(headersOf(mail.raw).get('list-unsubscribe')!)![1]!;
    const subject = decodeURIComponent(new URL(mailto).searchParams.get('subject')!);
    const { secret } = (await call('POST', '/api/email/feedback-secret')).body as {
      secret: string;
    };
    const raw = crlf(
      `From: mailto@example.com\nTo: unsubscribe@acme.test\nSubject: ${subject}\n\n\n`,
    );
    const response = await forward(raw, secret);
    expect(((await response.json()) as { unsubscribed: number }).unsubscribed).toBe(1);
    expect(await listTopicConsents(db.sql, sent.contactId)).toEqual([
      expect.objectContaining({ topic: 'newsletter', status: 'unsubscribed', source: 'mailto' }),
    ]);
    // Mail clients fold a subject this long (RFC 5322) at its space.
    const other = await mailed('mailto-folded@example.com');
    const otherMailto = /<(mailto:[^>]+)>/.exec(
      headersOf(server.received.at(-1)!.raw).get('list-unsubscribe')!,
    )![1]!;
    const [word, token] = decodeURIComponent(
      new URL(otherMailto).searchParams.get('subject')!,
    ).split(' ');
    const folded = crlf(
      `From: mailto-folded@example.com\nTo: unsubscribe@acme.test\nSubject: ${word}\n ${token}\nMIME-Version: 1.0\n\n\n`,
    );
    const foldedResponse = await forward(folded, secret);
    expect(((await foldedResponse.json()) as { unsubscribed: number }).unsubscribed).toBe(1);
    expect(await listTopicConsents(db.sql, other.contactId)).toEqual([
      expect.objectContaining({ topic: 'newsletter', status: 'unsubscribed', source: 'mailto' }),
    ]);
    // A forged token in the subject changes nothing.
    const forged = crlf(`Subject: unsubscribe ${subject.split(' ')[1]!.slice(0, -2)}xx\n\n\n`);
    expect(
      ((await (await forward(forged, secret)).json()) as { unsubscribed: number }).unsubscribed,
    ).toBe(0);
  });
});
