// An unsubscribe is never recorded half. The change (the suppression, the topic consent) is
// written before its `email.unsubscribed` / `email.subscribed` is recorded; when recording fails
// (here: the events table refuses the insert once), the request fails, and repeating it records
// the event the change is still owed, once per contact. A plain repeat records nothing, and two
// clicks at once record one event.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDeploymentTracking, upsertEmailTopic } from '@relance/email';
import { createTestApp, TEST_SIGNING_SECRET } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { holdTableLock, statementsWaitingForALock } from '../../support/held-statements';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

const PUBLIC_URL = 'http://relance.test';
const tracking = createDeploymentTracking({
  publicUrl: PUBLIC_URL,
  secret: TEST_SIGNING_SECRET,
  mailFrom: 'news@acme.test',
});

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let app: ReturnType<typeof createTestApp>['app'];
let call: ReturnType<typeof createTestApp>['call'];

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ app, call } = createTestApp({
    db,
    temporal,
    dispatcher: createRecordingDispatcher().dispatcher,
  }));
  await upsertEmailTopic(db.sql, { workspaceId: db.workspaceId, key: 'newsletter', name: 'News' });
  // The failure a database hiccup gives, once: a sequence counts outside the transaction the
  // refusal rolls back, so the next attempt goes through.
  await db.sql.unsafe(`
    create table test_refused_event (name text);
    insert into test_refused_event values (null);
    create sequence test_refusals;
    create function test_refuse_once() returns trigger language plpgsql as $$
    begin
      if new.name = (select name from test_refused_event) then
        if nextval('test_refusals') = 1 then
          raise exception 'the events table refused %', new.name;
        end if;
      end if;
      return new;
    end $$;
    create trigger test_refuse_once before insert on events
      for each row execute function test_refuse_once();`);
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

/** The next recording of an event by this name fails, once. */
async function refuseNext(name: string) {
  await db.sql`update test_refused_event set name = ${name}`;
  await db.sql`alter sequence test_refusals restart`;
}

async function contact(email: string): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, email) values (${db.workspaceId}, ${email}) returning id`;
  return row!.id;
}

async function consentEvents(contactId: string) {
  const rows = await db.sql<{ name: string; properties: Record<string, unknown> }[]>`
    select name, properties from events
    where contact_id = ${contactId} and name in ('email.unsubscribed', 'email.subscribed')
    order by occurred_at, id`;
  return rows.map((row) => [row.name, row.properties.scope, row.properties.topic]);
}

const score = async (contactId: string) =>
  (await db.sql<{ score: number }[]>`select score from contacts where id = ${contactId}`)[0]!.score;

const suppressed = async (email: string) =>
  (
    await db.sql`
      select 1 from email_suppressions
      where workspace_id = ${db.workspaceId} and email = ${email} and reason = 'unsubscribed'`
  ).length === 1;

const topicStatus = async (contactId: string) =>
  (
    await db.sql<{ status: string }[]>`
      select status from contact_topic_consents where contact_id = ${contactId} and topic = 'newsletter'`
  )[0]?.status ?? null;

function unsubscribeLink(contactId: string, topic: string | null) {
  return tracking
    .unsubscribeUrl({ workspaceId: db.workspaceId, contactId, messageId: null, topic })
    .slice(PUBLIC_URL.length);
}

/** A click on the page's button (`all`: from everything), or the mail client's one-click POST. */
function click(path: string, fields: Record<string, string>) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}
const oneClick = { 'List-Unsubscribe': 'One-Click' };

describe('an unsubscribe whose event could not be recorded', () => {
  it('added by hand: adding it again gives each contact holding the address its one event', async () => {
    // One suppression, two contacts holding the address (each domain form).
    const second = await contact('retry-list@exämple.test');
    const third = await contact('retry-list@xn--exmple-cua.test');

    await refuseNext('email.unsubscribed');
    const failed = await call('POST', '/api/suppressions', {
      email: 'retry-list@exämple.test',
      reason: 'unsubscribed',
    });
    expect(failed.status).toBe(500);
    expect(await suppressed('retry-list@exämple.test')).toBe(true);
    expect(await consentEvents(second)).toEqual([]);

    const retried = await call('POST', '/api/suppressions', {
      email: 'retry-list@exämple.test',
      reason: 'unsubscribed',
    });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ alreadyUnsubscribed: false, contactsUnsubscribed: 2 });
    for (const id of [second, third]) {
      expect(await consentEvents(id)).toEqual([['email.unsubscribed', 'all', null]]);
      expect(await score(id)).toBe(-5);
    }

    const repeated = await call('POST', '/api/suppressions', {
      email: 'retry-list@exämple.test',
      reason: 'unsubscribed',
    });
    expect(repeated.body).toMatchObject({ alreadyUnsubscribed: true, contactsUnsubscribed: 0 });
    for (const id of [second, third]) {
      expect(await consentEvents(id)).toHaveLength(1);
      expect(await score(id)).toBe(-5);
    }
  });

  it('lifted by hand: removing it again records the one email.subscribed it owed', async () => {
    const id = await contact('retry-lift@acme.test');
    await call('POST', '/api/suppressions', {
      email: 'retry-lift@acme.test',
      reason: 'unsubscribed',
    });

    await refuseNext('email.subscribed');
    const path = '/api/suppressions/retry-lift@acme.test?reason=unsubscribed';
    expect((await call('DELETE', path)).status).toBe(500);
    expect(await suppressed('retry-lift@acme.test')).toBe(false);
    expect(await consentEvents(id)).toEqual([['email.unsubscribed', 'all', null]]);

    expect((await call('DELETE', path)).status).toBe(204);
    expect(await consentEvents(id)).toEqual([
      ['email.unsubscribed', 'all', null],
      ['email.subscribed', 'all', null],
    ]);
    // Nothing left to lift: nothing recorded.
    expect((await call('DELETE', path)).status).toBe(404);
    expect(await consentEvents(id)).toHaveLength(2);

    // A later unsubscribe and its lift count anew.
    await call('POST', '/api/suppressions', {
      email: 'retry-lift@acme.test',
      reason: 'unsubscribed',
    });
    expect((await call('DELETE', path)).status).toBe(204);
    expect((await consentEvents(id)).map(([name]) => name)).toEqual([
      'email.unsubscribed',
      'email.subscribed',
      'email.unsubscribed',
      'email.subscribed',
    ]);
  });

  it.each([
    ['the one-click POST, from the topic', 'newsletter', oneClick],
    ['the page, from everything', null, { scope: 'all' }],
  ] as const)('%s: clicking again records it once', async (_, topic, fields) => {
    const id = await contact(`retry-click-${topic ?? 'all'}@acme.test`);
    const link = unsubscribeLink(id, topic);

    await refuseNext('email.unsubscribed');
    expect((await click(link, fields)).status).toBe(500);
    if (topic) expect(await topicStatus(id)).toBe('unsubscribed');
    else expect(await suppressed(`retry-click-all@acme.test`)).toBe(true);
    expect(await consentEvents(id)).toEqual([]);

    expect((await click(link, fields)).status).toBe(200);
    expect(await consentEvents(id)).toEqual([
      ['email.unsubscribed', topic ? 'topic' : 'all', topic],
    ]);
    expect((await click(link, fields)).status).toBe(200);
    expect(await consentEvents(id)).toHaveLength(1);
    expect(await score(id)).toBe(-5);
  });

  it('sent to the List-Unsubscribe mailbox: the provider retrying it records it once', async () => {
    const id = await contact('retry-mailto@acme.test');
    const { secret } = (await call('POST', '/api/email/feedback-secret')).body as {
      secret: string;
    };
    const mailto = tracking.unsubscribeMailto({
      workspaceId: db.workspaceId,
      contactId: id,
      messageId: null,
      topic: 'newsletter',
    });
    const subject = decodeURIComponent(new URL(mailto).searchParams.get('subject')!);
    const forward = () =>
      app.request('/api/webhooks/email-feedback', {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'message/rfc822' },
        body: `From: retry-mailto@acme.test\r\nTo: unsubscribe@acme.test\r\nSubject: ${subject}\r\n\r\n\r\n`,
      });

    await refuseNext('email.unsubscribed');
    expect((await forward()).status).toBe(500);
    const retried = await forward();
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { unsubscribed: number }).unsubscribed).toBe(1);
    expect(await consentEvents(id)).toEqual([['email.unsubscribed', 'topic', 'newsletter']]);
    const repeated = await forward();
    expect(((await repeated.json()) as { unsubscribed: number }).unsubscribed).toBe(0);
    expect(await consentEvents(id)).toHaveLength(1);
  });
});

describe('clicks at once', () => {
  // Both clicks are held at the table their change writes until both wait there, so each reads
  // the contact as not yet unsubscribed.
  it.each([
    ['the one-click POST, from the topic', 'newsletter', oneClick, 'contact_topic_consents'],
    ['the page, from everything', null, { scope: 'all' }, 'email_suppressions'],
  ] as const)('%s: two at once record one event', async (_, topic, fields, table) => {
    const id = await contact(`together-${topic ?? 'all'}@acme.test`);
    const link = unsubscribeLink(id, topic);
    const lock = await holdTableLock(db.sql, table);
    const clicks = Promise.all([click(link, fields), click(link, fields)]);
    await vi.waitFor(async () => expect(await statementsWaitingForALock(db.sql, '')).toBe(2));
    await lock.release();
    expect((await clicks).map((r) => r.status)).toEqual([200, 200]);
    expect(await consentEvents(id)).toEqual([
      ['email.unsubscribed', topic ? 'topic' : 'all', topic],
    ]);
    expect(await score(id)).toBe(-5);
  });

  it('a retry racing a second click still records one event', async () => {
    const id = await contact('together-retry@acme.test');
    const link = unsubscribeLink(id, 'newsletter');
    await refuseNext('email.unsubscribed');
    expect((await click(link, oneClick)).status).toBe(500);
    await Promise.all([click(link, oneClick), click(link, oneClick), click(link, oneClick)]);
    expect(await consentEvents(id)).toEqual([['email.unsubscribed', 'topic', 'newsletter']]);
  });
});
