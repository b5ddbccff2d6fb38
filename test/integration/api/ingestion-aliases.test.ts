import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestMessages, type IngestMessage } from '@relance/db';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// Ids a contact does not hold but that name it (contact_aliases): a former userId or browser an
// alias named while nobody held it, and a second browser sent with a userId. Later messages
// carrying them join the contact, through the real /v1 routes, after a restart too.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let writeKey: string;
const recorded = createRecordingDispatcher();
let test: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
  test = createTestApp({ db, temporal, dispatcher: recorded.dispatcher });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function send(path: string, body: unknown, app = test.app) {
  const response = await app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const userContact = async (externalId: string) => {
  const [row] = await db.sql<{ id: string; anonymousId: string | null; email: string | null }[]>`
    select id, anonymous_id, email from contacts
    where external_id = ${externalId} and merged_into is null`;
  return row!;
};
/** The contact an event was stored on, after any merge since. */
const contactOfMessage = async (messageId: string) => {
  const [row] = await db.sql<{ contactId: string }[]>`
    select coalesce(c.merged_into, c.id) as contact_id
    from events e join contacts c on c.id = e.contact_id where e.message_id = ${messageId}`;
  return row!.contactId;
};
/** Live contacts other than `besides` holding an id as their userId or anonymousId. */
const otherContactsWith = async (id: string, besides: string) => {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from contacts
    where merged_into is null and (external_id = ${id} or anonymous_id = ${id}) and id <> ${besides}`;
  return row!.n;
};

describe('an alias whose previousId nobody holds remembers it', () => {
  it('a former userId: later tracks, a delayed batch and an identify under it join the userId’s contact, after a restart too; a replay adds nothing', async () => {
    await send('/v1/identify', { userId: 'fa-new', traits: { email: 'fa@x.test' } });
    const user = await userContact('fa-new');
    const alias = { userId: 'fa-new', previousId: 'fa-old', messageId: 'fa-alias' };
    expect((await send('/v1/alias', alias)).body.status).toBe('accepted');

    await send('/v1/track', { userId: 'fa-old', event: 'Order Completed', messageId: 'fa-1' });
    expect(await contactOfMessage('fa-1')).toBe(user.id);
    // A device that still uses the former id sends what it kept while offline.
    const delayed = await send('/v1/batch', {
      batch: [
        { type: 'track', userId: 'fa-old', event: 'Product Viewed', messageId: 'fa-2' },
        { type: 'track', userId: 'fa-old', event: 'Cart Viewed', messageId: 'fa-3' },
        { type: 'identify', userId: 'fa-old', traits: { plan: 'pro' }, messageId: 'fa-4' },
      ],
    });
    expect(delayed.body).toMatchObject({ accepted: 3, rejected: 0 });
    for (const id of ['fa-2', 'fa-3', 'fa-4']) expect(await contactOfMessage(id)).toBe(user.id);
    const profile = await test.call('GET', `/api/contacts/${user.id}`);
    expect(profile.body).toMatchObject({ externalId: 'fa-new', properties: { plan: 'pro' } });

    // Another API process (or this one restarted) knows it from Postgres.
    const restarted = createTestApp({ db, temporal, dispatcher: recorded.dispatcher });
    await send('/v1/track', { userId: 'fa-old', event: 'later', messageId: 'fa-5' }, restarted.app);
    expect(await contactOfMessage('fa-5')).toBe(user.id);
    expect(await otherContactsWith('fa-old', user.id)).toBe(0);

    expect((await send('/v1/alias', alias)).body.status).toBe('duplicate');
    const [aliases] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from contact_aliases where identifier = 'fa-old'`;
    expect(aliases!.n).toBe(1);
  });

  it('an identify under the former userId keeps the contact’s email, with a warning', async () => {
    await send('/v1/identify', { userId: 'fe-new', traits: { email: 'fe-new@x.test' } });
    await send('/v1/alias', { userId: 'fe-new', previousId: 'fe-old' });
    const response = await send('/v1/identify', {
      userId: 'fe-old',
      traits: { email: 'fe-old@x.test' },
    });
    expect(response.body.warnings).toEqual([
      { field: 'traits.email', message: expect.stringContaining('was aliased to the contact') },
    ]);
    expect(await userContact('fe-new')).toMatchObject({ email: 'fe-new@x.test' });
  });

  it('a browser’s anonymousId, when the userId’s contact already keeps another: its later anonymous events join', async () => {
    await send('/v1/identify', { userId: 'ab-1', anonymousId: 'ab-laptop' });
    const user = await userContact('ab-1');
    await send('/v1/alias', { userId: 'ab-1', previousId: 'ab-phone' });
    await send('/v1/page', { anonymousId: 'ab-phone', name: 'Home', messageId: 'ab-page' });
    expect(await contactOfMessage('ab-page')).toBe(user.id);
    expect(await otherContactsWith('ab-phone', user.id)).toBe(0);
    expect(await userContact('ab-1')).toMatchObject({ anonymousId: 'ab-laptop' });
  });

  it('erasing the contact erases the ids remembered for it: the former userId is a new person after', async () => {
    await send('/v1/identify', { userId: 'er-new' });
    await send('/v1/alias', { userId: 'er-new', previousId: 'er-old' });
    const user = await userContact('er-new');
    expect((await test.call('DELETE', `/api/contacts/${user.id}`)).status).toBe(200);
    const [left] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from contact_aliases where contact_id = ${user.id}`;
    expect(left!.n).toBe(0);
    await send('/v1/track', { userId: 'er-old', event: 'back', messageId: 'er-back' });
    expect(await contactOfMessage('er-back')).toBe((await userContact('er-old')).id);
  });

  it('an alias naming a remembered id again merges the contact it was remembered for', async () => {
    await send('/v1/identify', { userId: 'ar-1' });
    await send('/v1/alias', { userId: 'ar-1', previousId: 'ar-old' });
    const first = await userContact('ar-1');
    await send('/v1/identify', { userId: 'ar-2' });
    const second = await userContact('ar-2');
    await send('/v1/alias', { userId: 'ar-2', previousId: 'ar-old' });
    const [row] = await db.sql<{ mergedInto: string | null }[]>`
      select merged_into from contacts where id = ${first.id}`;
    expect(row!.mergedInto).toBe(second.id);
    await send('/v1/track', { userId: 'ar-old', event: 'x', messageId: 'ar-x' });
    expect(await contactOfMessage('ar-x')).toBe(second.id);
  });
});

describe('a second browser sent with a userId is remembered for that user', () => {
  it('its later anonymous-only events join the user’s contact, with the pair in the cache of known users', async () => {
    await send('/v1/identify', { userId: 'sb-1', anonymousId: 'sb-laptop' });
    const user = await userContact('sb-1');
    // Logged in on a phone: the phone's anonymousId comes with the userId, twice (the second is
    // answered from the cache of known users).
    for (const messageId of ['sb-login-1', 'sb-login-2'])
      await send('/v1/track', {
        userId: 'sb-1',
        anonymousId: 'sb-phone',
        event: 'Login',
        messageId,
      });
    await send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'sb-phone', name: 'Home', messageId: 'sb-page-1' },
        { type: 'track', anonymousId: 'sb-phone', event: 'Cart Viewed', messageId: 'sb-page-2' },
      ],
    });
    expect(await contactOfMessage('sb-page-1')).toBe(user.id);
    expect(await contactOfMessage('sb-page-2')).toBe(user.id);
    expect(await otherContactsWith('sb-phone', user.id)).toBe(0);
    const restarted = createTestApp({ db, temporal, dispatcher: recorded.dispatcher });
    await send('/v1/page', { anonymousId: 'sb-phone', messageId: 'sb-page-3' }, restarted.app);
    expect(await contactOfMessage('sb-page-3')).toBe(user.id);
  });

  it('another user on that browser is a shared device: a warning, no merge, the browser stays with the first', async () => {
    await send('/v1/identify', { userId: 'sd-1', anonymousId: 'sd-laptop' });
    await send('/v1/track', { userId: 'sd-1', anonymousId: 'sd-kiosk', event: 'Login' });
    const first = await userContact('sd-1');
    const response = await send('/v1/track', {
      userId: 'sd-2',
      anonymousId: 'sd-kiosk',
      event: 'Login',
    });
    expect(response.body.warnings).toEqual([
      { field: 'anonymousId', message: expect.stringContaining('shared device') },
    ]);
    const second = await userContact('sd-2');
    expect(second.id).not.toBe(first.id);
    const [row] = await db.sql<{ mergedInto: string | null }[]>`
      select merged_into from contacts where id = ${second.id}`;
    expect(row!.mergedInto).toBeNull();
    await send('/v1/page', { anonymousId: 'sd-kiosk', messageId: 'sd-page' });
    expect(await contactOfMessage('sd-page')).toBe(first.id);
  });

  it('a browser contact made in another lane at the instant the pair was remembered is merged into the user by its next event', async () => {
    await send('/v1/identify', { userId: 'rc-1', anonymousId: 'rc-laptop' });
    const user = await userContact('rc-1');
    const at = new Date();
    const message = (identity: IngestMessage['identity'], messageId: string): IngestMessage => ({
      type: 'track',
      identity,
      event: 'Home',
      properties: {},
      occurredAt: at,
      messageId,
    });
    // The pair's transaction waits on the user's row (its alias row's key check) after resolving;
    // meanwhile the phone's first anonymous event, in its own lane, makes a contact.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.sql.begin(async (tx) => {
      await tx`select 1 from contacts where id = ${user.id} for update`;
      locked();
      await held;
    });
    // The pair starts only once the row is held, or it could commit before the holder locks.
    await lockTaken;
    const pair = ingestMessages(db.sql, db.workspaceId, [
      message({ userId: 'rc-1', anonymousId: 'rc-phone' }, 'rc-pair'),
    ]);
    await vi.waitFor(
      async () => {
        const [waiting] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`;
        expect(waiting!.n).toBeGreaterThanOrEqual(1);
      },
      { timeout: 10_000 },
    );
    await ingestMessages(db.sql, db.workspaceId, [
      message({ anonymousId: 'rc-phone' }, 'rc-anon-1'),
    ]);
    release();
    await holder;
    await pair;
    expect(await otherContactsWith('rc-phone', user.id)).toBe(1);

    await send('/v1/page', { anonymousId: 'rc-phone', messageId: 'rc-anon-2' });
    expect(await contactOfMessage('rc-anon-1')).toBe(user.id);
    expect(await contactOfMessage('rc-anon-2')).toBe(user.id);
    expect(await otherContactsWith('rc-phone', user.id)).toBe(0);
    const timeline = await test.call('GET', `/api/contacts/${user.id}/timeline?limit=50`);
    const merges = (timeline.body.items as { name?: string; properties?: object }[]).filter(
      (i) => i.name === '$merge',
    );
    expect(merges).toEqual([
      expect.objectContaining({
        properties: expect.objectContaining({ by: 'track', field: 'anonymousId' }),
      }),
    ]);
  });
});
