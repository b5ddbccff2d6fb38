import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listTopicConsents,
  prepareSend,
  suppressAddress,
  suppressionReasons,
  upsertEmailTopic,
  type ConsentStatus,
  type FrequencyPreference,
} from '@relance/email';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// A merge makes one person of two contacts: whatever either said about their email (a topic
// left, a frequency, "unsubscribe from all") still holds for the survivor.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let test: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  test = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher });
  for (const key of ['news', 'promo', 'digest']) {
    await upsertEmailTopic(db.sql, { workspaceId: db.workspaceId, key, name: key });
  }
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

let made = 0;
async function contact(email: string | null) {
  const body = email ? { email } : { externalId: `merge-consents-${++made}` };
  const created = await test.call('POST', '/api/contacts', body);
  expect(created.status).toBe(201);
  return created.body.contact.id as string;
}

/** Records a consent as it stood `daysAgo` days ago. */
async function consent(contactId: string, topic: string, status: ConsentStatus, daysAgo: number) {
  await db.sql`
    insert into contact_topic_consents (workspace_id, contact_id, topic, status, source, updated_at)
    values (${db.workspaceId}, ${contactId}, ${topic}, ${status}, ${`test:${contactId}`},
      now() - make_interval(days => ${daysAgo}))`;
}

async function frequency(contactId: string, value: FrequencyPreference) {
  await db.sql`
    insert into contact_email_preferences (contact_id, workspace_id, frequency)
    values (${contactId}, ${db.workspaceId}, ${value})`;
}

async function merge(survivor: string, other: string) {
  const merged = await test.call('POST', `/api/contacts/${survivor}/merge`, { otherId: other });
  expect(merged.status).toBe(200);
}

const decide = async (contactId: string, topic: string) =>
  (
    await prepareSend(db.sql, {
      workspaceId: db.workspaceId,
      contactId,
      kind: 'marketing',
      topic,
      now: new Date(),
    })
  ).decision;

describe('a merge keeps what both contacts said about their email', () => {
  it('the other contact’s unsubscribe from a topic moves even when both have a consent to another topic', async () => {
    const survivor = await contact('consent-s@x.test');
    const other = await contact('consent-o@x.test');
    await consent(survivor, 'news', 'subscribed', 3);
    await consent(other, 'news', 'subscribed', 2);
    await consent(other, 'promo', 'unsubscribed', 1);

    await merge(survivor, other);

    const consents = await listTopicConsents(db.sql, survivor);
    expect(consents.map((c) => [c.topic, c.status])).toEqual([
      ['news', 'subscribed'],
      ['promo', 'unsubscribed'],
    ]);
    expect(await listTopicConsents(db.sql, other)).toEqual([]);
    // Whichever id a journey holds, promo is not sent; news still is.
    expect(await decide(survivor, 'promo')).toEqual({ kind: 'skip', reason: 'topic_unsubscribed' });
    expect(await decide(other, 'promo')).toEqual({ kind: 'skip', reason: 'topic_unsubscribed' });
    expect(await decide(survivor, 'news')).toEqual({ kind: 'send' });
  });

  it.each<[string, ConsentStatus, ConsentStatus, ConsentStatus]>([
    [
      'an unsubscribe of the other beats a subscription of the survivor',
      'subscribed',
      'unsubscribed',
      'unsubscribed',
    ],
    [
      'an unsubscribe of the survivor beats a later subscription of the other',
      'unsubscribed',
      'subscribed',
      'unsubscribed',
    ],
    [
      'an unconfirmed sign-up of the survivor’s address is not confirmed by the other’s',
      'pending',
      'subscribed',
      'pending',
    ],
    ['a confirmed survivor’s address stays subscribed', 'subscribed', 'pending', 'subscribed'],
  ])('%s', async (_, survivorSaid, otherSaid, expected) => {
    const survivor = await contact(`consent-${++made}-s@x.test`);
    const other = await contact(`consent-${made}-o@x.test`);
    // The other's decision is always the more recent one.
    await consent(survivor, 'digest', survivorSaid, 5);
    await consent(other, 'digest', otherSaid, 1);
    await merge(survivor, other);
    const [row] = await listTopicConsents(db.sql, survivor);
    expect(row).toMatchObject({ topic: 'digest', status: expected });
  });

  it('a survivor without an address takes the other’s, and with it the state of its sign-up', async () => {
    const survivor = await contact(null);
    const other = await contact('consent-pending-o@x.test');
    await consent(survivor, 'digest', 'subscribed', 5);
    await consent(other, 'digest', 'pending', 1);
    await merge(survivor, other);
    expect((await listTopicConsents(db.sql, survivor))[0]).toMatchObject({ status: 'pending' });
    expect(await decide(survivor, 'digest')).toEqual({
      kind: 'skip',
      reason: 'topic_pending_confirmation',
    });
  });

  it('the same decision on both keeps the more recent record of it', async () => {
    const survivor = await contact('consent-same-s@x.test');
    const other = await contact('consent-same-o@x.test');
    await consent(survivor, 'news', 'unsubscribed', 5);
    await consent(other, 'news', 'unsubscribed', 1);
    await merge(survivor, other);
    expect((await listTopicConsents(db.sql, survivor))[0]).toMatchObject({
      status: 'unsubscribed',
      source: `test:${other}`,
    });
  });

  it.each<[FrequencyPreference | null, FrequencyPreference | null, FrequencyPreference]>([
    ['every', 'monthly', 'monthly'],
    ['important', 'every', 'important'],
    [null, 'important', 'important'],
    ['monthly', null, 'monthly'],
  ])('frequency %s on the survivor and %s on the other: %s', async (mine, theirs, expected) => {
    const survivor = await contact(`frequency-${++made}-s@x.test`);
    const other = await contact(`frequency-${made}-o@x.test`);
    if (mine) await frequency(survivor, mine);
    if (theirs) await frequency(other, theirs);
    await merge(survivor, other);
    const rows = await db.sql<{ contactId: string; frequency: string }[]>`
      select contact_id, frequency from contact_email_preferences
      where contact_id in (${survivor}, ${other})`;
    expect(rows).toEqual([{ contactId: survivor, frequency: expected }]);
  });

  it('an unsubscribe from all of the other’s address holds for the survivor’s address', async () => {
    const survivor = await contact('all-s@x.test');
    const other = await contact('all-o@x.test');
    await suppressAddress(db.sql, {
      workspaceId: db.workspaceId,
      email: 'all-o@x.test',
      reason: 'unsubscribed',
    });
    await suppressAddress(db.sql, {
      workspaceId: db.workspaceId,
      email: 'all-o@x.test',
      reason: 'hard_bounce',
    });
    await merge(survivor, other);
    // A bounce belongs to the address; the unsubscribe to the person.
    expect(await suppressionReasons(db.sql, db.workspaceId, 'all-s@x.test')).toEqual([
      'unsubscribed',
    ]);
    expect(await decide(survivor, 'news')).toEqual({
      kind: 'skip',
      reason: 'suppressed_unsubscribed',
    });
  });
});
