// An unsubscribe a teammate adds by hand to the suppression list (the person asked by phone or
// letter) means what clicking unsubscribe means: every contact holding the address gets
// `email.unsubscribed` (source `suppression_list`), their segments and score settle at once and
// journeys hear of it; adding it twice records it once. A block by hand stays a block only, and
// removing the unsubscribe subscribes them again, on their timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let call: ReturnType<typeof createTestApp>['call'];
let dispatched: ReturnType<typeof createRecordingDispatcher>['calls'];
let unsubscribers: string;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  const recording = createRecordingDispatcher();
  dispatched = recording.calls;
  ({ call } = createTestApp({ db, temporal, dispatcher: recording.dispatcher }));
  const segment = await call('POST', '/api/segments', {
    kind: 'dynamic',
    name: 'Unsubscribed',
    rule: { kind: 'email', action: 'unsubscribed', op: 'at_least', count: 1 },
  });
  expect(segment.status).toBe(201);
  unsubscribers = segment.body.id as string;
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function contact(email: string): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, email) values (${db.workspaceId}, ${email}) returning id`;
  return row!.id;
}

async function consentEvents(contactId: string) {
  return db.sql<{ id: string; name: string; properties: Record<string, unknown> }[]>`
    select id::text as id, name, properties from events
    where contact_id = ${contactId} and name in ('email.unsubscribed', 'email.subscribed')
    order by occurred_at, id`;
}

const score = async (contactId: string) =>
  (await db.sql<{ score: number }[]>`select score from contacts where id = ${contactId}`)[0]!.score;

const inSegment = async (contactId: string) =>
  (
    await db.sql`
      select 1 from segment_members where segment_id = ${unsubscribers} and contact_id = ${contactId}`
  ).length === 1;

const preferences = async (contactId: string) =>
  (await call('GET', `/api/contacts/${contactId}/preferences`)).body as {
    unsubscribedFromAll: boolean;
    suppressedFor: string[];
  };

const add = (email: string, reason: 'manual' | 'unsubscribed', detail?: string) =>
  call('POST', '/api/suppressions', { email, reason, ...(detail ? { detail } : {}) });

describe('an unsubscribe added by hand', () => {
  it('is the contact unsubscribing: an event on their timeline, the segment and the score settled, journeys told; twice records it once', async () => {
    const id = await contact('phoned@acme.test');
    expect(await score(id)).toBe(0);

    const added = await add('Phoned@Acme.test', 'unsubscribed', 'Asked by phone on 3 May');
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      email: 'phoned@acme.test',
      reasons: ['unsubscribed'],
      alreadyUnsubscribed: false,
      contactsUnsubscribed: 1,
    });
    const events = await consentEvents(id);
    expect(events).toEqual([
      {
        id: expect.any(String),
        name: 'email.unsubscribed',
        properties: {
          topic: null,
          scope: 'all',
          source: 'suppression_list',
          note: 'Asked by phone on 3 May',
        },
      },
    ]);
    // Settled in the request, as the unsubscribe link does: no wait for the segment tick.
    expect(dispatched.events).toContain(events[0]!.id);
    expect(await inSegment(id)).toBe(true);
    expect(await score(id)).toBe(-5);
    expect(await preferences(id)).toMatchObject({
      unsubscribedFromAll: true,
      suppressedFor: ['unsubscribed'],
    });

    const again = await add('phoned@acme.test', 'unsubscribed');
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ alreadyUnsubscribed: true, contactsUnsubscribed: 0 });
    expect(await consentEvents(id)).toHaveLength(1);
    expect(await score(id)).toBe(-5);
  });

  it('reaches every contact holding the address, whichever form they write its domain in', async () => {
    const unicode = await contact('ana@exämple.test');
    const punycode = await contact('ana@xn--exmple-cua.test');
    const added = await add('ana@xn--exmple-cua.test', 'unsubscribed');
    expect(added.body).toMatchObject({ email: 'ana@exämple.test', contactsUnsubscribed: 2 });
    for (const id of [unicode, punycode]) {
      expect((await consentEvents(id)).map((e) => e.properties)).toEqual([
        { topic: null, scope: 'all', source: 'suppression_list' },
      ]);
      expect(await score(id)).toBe(-5);
    }
  });

  it('is only the suppression when no contact holds the address yet', async () => {
    const added = await add('nobody-yet@acme.test', 'unsubscribed');
    expect(added.body).toMatchObject({ alreadyUnsubscribed: false, contactsUnsubscribed: 0 });
    const id = await contact('nobody-yet@acme.test');
    expect(await preferences(id)).toMatchObject({ unsubscribedFromAll: true });
    expect(await consentEvents(id)).toEqual([]);
  });

  it('a block by hand stays a block: no unsubscribe, score and consent as they were', async () => {
    const id = await contact('blocked@acme.test');
    const added = await add('blocked@acme.test', 'manual');
    expect(added.body).toEqual({ email: 'blocked@acme.test', reasons: ['manual'] });
    expect(await consentEvents(id)).toEqual([]);
    expect(await score(id)).toBe(0);
    expect(await inSegment(id)).toBe(false);
    expect(await preferences(id)).toMatchObject({
      unsubscribedFromAll: false,
      suppressedFor: ['manual'],
    });
    expect((await call('DELETE', '/api/suppressions/blocked@acme.test')).status).toBe(204);
    expect(await consentEvents(id)).toEqual([]);
  });
});

describe('removing an unsubscribe by hand', () => {
  it('subscribes the contact again, on their timeline, and a later unsubscribe counts anew', async () => {
    const id = await contact('changed-mind@acme.test');
    await add('changed-mind@acme.test', 'unsubscribed');
    await add('changed-mind@acme.test', 'manual');

    const removed = await call(
      'DELETE',
      '/api/suppressions/changed-mind@acme.test?reason=unsubscribed',
    );
    expect(removed.status).toBe(204);
    expect((await consentEvents(id)).map((e) => [e.name, e.properties])).toEqual([
      ['email.unsubscribed', { topic: null, scope: 'all', source: 'suppression_list' }],
      ['email.subscribed', { topic: null, scope: 'all', source: 'suppression_list' }],
    ]);
    // The block by hand is another reason: it stays.
    expect(await preferences(id)).toMatchObject({
      unsubscribedFromAll: false,
      suppressedFor: ['manual'],
    });
    // Removing it again finds nothing to remove, and records nothing.
    expect(
      (await call('DELETE', '/api/suppressions/changed-mind@acme.test?reason=unsubscribed')).status,
    ).toBe(404);
    expect(await consentEvents(id)).toHaveLength(2);

    expect((await add('changed-mind@acme.test', 'unsubscribed')).body).toMatchObject({
      alreadyUnsubscribed: false,
      contactsUnsubscribed: 1,
    });
    expect((await consentEvents(id)).map((e) => e.name)).toEqual([
      'email.unsubscribed',
      'email.subscribed',
      'email.unsubscribed',
    ]);
    expect(await score(id)).toBe(-10);
  });
});
