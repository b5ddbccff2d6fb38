import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestMessages, type IngestMessage } from '@relance/db';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// An identify that names two existing contacts — its userId one, its email or anonymousId the
// other — makes them one, through the real /v1 routes and the same merge as
// POST /api/contacts/:id/merge.

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

async function send(path: string, body: unknown) {
  const response = await test.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** The live contact holding an identifier (before any merge). */
const contactBy = async (where: { externalId?: string; anonymousId?: string }) => {
  const [row] = await db.sql<{ id: string }[]>`
    select id from contacts
    where merged_into is null
      and (external_id = ${where.externalId ?? null} or anonymous_id = ${where.anonymousId ?? null})`;
  return row!;
};

const mergedInto = async (id: string) => {
  const [row] = await db.sql<{ mergedInto: string | null }[]>`
    select merged_into from contacts where id = ${id}`;
  return row!.mergedInto;
};

async function timelineEvents(contactId: string) {
  const page = await test.call('GET', `/api/contacts/${contactId}/timeline?limit=50`);
  expect(page.status).toBe(200);
  return (page.body.items as { kind: string; name?: string; properties?: object }[]).filter(
    (i) => i.kind === 'event',
  );
}

describe('identify merges the two contacts it names', () => {
  it('userId of A, email of B: B is merged into A with its events, rollups and static segments; the timeline shows the merge', async () => {
    await send('/v1/identify', { userId: 'ada', traits: { plan: 'pro' } });
    await send('/v1/identify', {
      anonymousId: 'visitor-1',
      traits: { email: 'ada@x.test', city: 'Paris', plan: 'free' },
    });
    await send('/v1/track', { anonymousId: 'visitor-1', event: 'pricing.viewed' });
    const a = await contactBy({ externalId: 'ada' });
    const b = await contactBy({ anonymousId: 'visitor-1' });
    expect(b.id).not.toBe(a.id);
    const guests = await test.call('POST', '/api/segments', { kind: 'static', name: 'Visitors' });
    await test.call('POST', `/api/segments/${guests.body.id}/members`, { contactIds: [b.id] });

    const response = await send('/v1/identify', {
      userId: 'ada',
      traits: { email: ' ADA@x.test ' },
      messageId: 'login-1',
    });
    expect(response).toEqual({ status: 200, body: { success: true, status: 'accepted' } });

    expect(await mergedInto(b.id)).toBe(a.id);
    const survivor = await test.call('GET', `/api/contacts/${a.id}`);
    expect(survivor.body).toMatchObject({
      id: a.id,
      externalId: 'ada',
      email: 'ada@x.test',
      properties: { plan: 'pro', city: 'Paris' },
      mergedFrom: [b.id],
    });
    expect(survivor.body.segments.map((s: { name: string }) => s.name)).toContain('Visitors');
    const [rollup] = await db.sql<{ count: number }[]>`
      select count::int as count from contact_event_rollups where contact_id = ${a.id} and name = 'pricing.viewed'`;
    expect(rollup!.count).toBe(1);
    const [left] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from events where contact_id = ${b.id}`;
    expect(left!.n).toBe(0);

    const events = await timelineEvents(a.id);
    expect(events.find((e) => e.name === '$merge')).toMatchObject({
      properties: { mergedId: b.id, by: 'identify', field: 'traits.email', messageId: 'login-1' },
    });
    expect(events.map((e) => e.name)).toContain('pricing.viewed');

    // The merge's segment changes (B leaves "Visitors", A enters it) reach journeys: B's exit
    // starts nothing, but wakes the runs B had (see merge-journeys.test.ts).
    const [exit] = await db.sql<{ id: string }[]>`
      select id::text as id from segment_changes
      where contact_id = ${b.id} and change = 'exited' and cause = 'merge'`;
    await vi.waitFor(() => expect(recorded.calls.segmentChanges).toContain(exit!.id));
    // On A's timeline, B's exit is marked as the duplicate's; A's own entry is not.
    const timeline = await test.call('GET', `/api/contacts/${a.id}/timeline?limit=50`);
    const segmentItems = (
      timeline.body.items as { kind: string; id: string; fromMerged?: boolean }[]
    ).filter((i) => i.kind === 'segment');
    expect(segmentItems.find((i) => i.id === exit!.id)?.fromMerged).toBe(true);
    expect(segmentItems.some((i) => i.fromMerged === false)).toBe(true);

    // B's identifiers now lead to A.
    await send('/v1/track', { anonymousId: 'visitor-1', event: 'after.merge' });
    const [after] = await db.sql`select contact_id from events where name = 'after.merge'`;
    expect(after!.contactId).toBe(a.id);

    // A replay of the merging identify changes nothing.
    const replay = await send('/v1/identify', {
      userId: 'ada',
      traits: { email: 'ada@x.test' },
      messageId: 'login-1',
    });
    expect(replay.body.status).toBe('duplicate');
    const [merges] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from events where name = '$merge'`;
    expect(merges!.n).toBe(1);
  });

  it('userId of A, anonymousId of an anonymous B, in a batch with B’s page view: one contact', async () => {
    await send('/v1/identify', { userId: 'bob', traits: { email: 'bob@x.test' } });
    await send('/v1/page', { anonymousId: 'visitor-2', name: 'Home' });
    const a = await contactBy({ externalId: 'bob' });
    const b = await contactBy({ anonymousId: 'visitor-2' });

    const response = await send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'visitor-2', name: 'Cart' },
        { type: 'identify', userId: 'bob', anonymousId: 'visitor-2' },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'accepted',
    ]);
    expect(await mergedInto(b.id)).toBe(a.id);
    const pages = await db.sql<{ contactId: string }[]>`
      select contact_id from events where name = 'page.viewed' and contact_id in (${a.id}, ${b.id})`;
    expect(pages.map((p) => p.contactId)).toEqual([a.id, a.id]);
    expect((await timelineEvents(a.id)).find((e) => e.name === '$merge')).toMatchObject({
      properties: { mergedId: b.id, by: 'identify', field: 'anonymousId' },
    });
  });

  it('a replayed identify changes nothing, even after its email moved to another contact', async () => {
    await send('/v1/identify', {
      userId: 'erin',
      traits: { email: 'erin@x.test' },
      messageId: 'erin-1',
    });
    await send('/v1/identify', {
      userId: 'erin',
      traits: { email: 'erin.new@x.test' },
      messageId: 'erin-2',
    });
    await send('/v1/identify', {
      userId: 'frank',
      traits: { email: 'erin@x.test' },
      messageId: 'frank-1',
    });
    const erin = await contactBy({ externalId: 'erin' });
    const frank = await contactBy({ externalId: 'frank' });

    const replay = await send('/v1/identify', {
      userId: 'erin',
      traits: { email: 'erin@x.test' },
      messageId: 'erin-1',
    });
    expect(replay.body.status).toBe('duplicate');
    expect(await mergedInto(frank.id)).toBeNull();
    const emails = await db.sql<{ id: string; email: string }[]>`
      select id, email from contacts where id in (${erin.id}, ${frank.id}) order by email`;
    expect(emails).toEqual([
      { id: erin.id, email: 'erin.new@x.test' },
      { id: frank.id, email: 'erin@x.test' },
    ]);
    expect((await timelineEvents(erin.id)).map((e) => e.name)).not.toContain('$merge');
  });

  it('an anonymousId held by another identified user is a shared device: a warning, no merge', async () => {
    await send('/v1/identify', { userId: 'carol', anonymousId: 'family-laptop' });
    await send('/v1/identify', { userId: 'dave' });
    const response = await send('/v1/identify', { userId: 'dave', anonymousId: 'family-laptop' });
    expect(response.status).toBe(200);
    expect(response.body.warnings).toEqual([
      { field: 'anonymousId', message: expect.stringContaining('shared device') },
    ]);
    const carol = await contactBy({ externalId: 'carol' });
    const dave = await contactBy({ externalId: 'dave' });
    expect(carol.id).not.toBe(dave.id);
    expect(await mergedInto(carol.id)).toBeNull();
    expect(await mergedInto(dave.id)).toBeNull();
  });
});

describe('an identify never merges two users', () => {
  const contactOf = async (externalId: string) => {
    const [row] = await db.sql<
      { id: string; email: string | null; properties: Record<string, unknown> }[]
    >`select id, email, properties from contacts where external_id = ${externalId}`;
    return row!;
  };
  const emailWarning = {
    field: expect.stringMatching(/traits\.email$/),
    message: expect.stringContaining('belongs to another contact with its own userId'),
  };

  it('a new userId with an email another user holds: a contact without that email, its other traits stored, a warning; the holder keeps its email and events', async () => {
    await send('/v1/identify', { userId: 'u-info-1', traits: { email: 'info@acme.test' } });
    await send('/v1/track', { userId: 'u-info-1', event: 'Order Completed', messageId: 'o-1' });
    const holder = await contactOf('u-info-1');

    const response = await send('/v1/identify', {
      userId: 'u-info-2',
      traits: { email: 'Info@acme.test', plan: 'pro' },
    });
    expect(response).toEqual({
      status: 200,
      body: { success: true, status: 'accepted', warnings: [emailWarning] },
    });
    const claimer = await contactOf('u-info-2');
    expect(claimer.id).not.toBe(holder.id);
    expect(claimer).toMatchObject({ email: null, properties: { plan: 'pro' } });
    expect(await mergedInto(holder.id)).toBeNull();
    expect((await contactOf('u-info-1')).email).toBe('info@acme.test');
    const [order] = await db.sql`select contact_id from events where message_id = 'o-1'`;
    expect(order!.contactId).toBe(holder.id);
    await send('/v1/track', { userId: 'u-info-1', event: 'later', messageId: 'o-2' });
    const [later] = await db.sql`select contact_id from events where message_id = 'o-2'`;
    expect(later!.contactId).toBe(holder.id);
    expect((await timelineEvents(claimer.id)).map((e) => e.name)).not.toContain('$merge');
  });

  it('an existing user claiming another user’s email keeps its own; so does a second claim in one batch', async () => {
    await send('/v1/identify', { userId: 'u-own-1', traits: { email: 'one@acme.test' } });
    await send('/v1/identify', { userId: 'u-own-2', traits: { email: 'two@acme.test' } });
    const response = await send('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'u-own-2', traits: { email: 'one@acme.test', seats: 3 } },
        { type: 'identify', userId: 'u-new-3', traits: { email: 'three@acme.test' } },
        { type: 'identify', userId: 'u-new-4', traits: { email: 'three@acme.test' } },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: { warnings?: unknown }) => r.warnings)).toEqual([
      [emailWarning],
      undefined,
      [emailWarning],
    ]);
    expect(await contactOf('u-own-1')).toMatchObject({ email: 'one@acme.test' });
    expect(await contactOf('u-own-2')).toMatchObject({
      email: 'two@acme.test',
      properties: { seats: 3 },
    });
    expect((await contactOf('u-new-3')).email).toBe('three@acme.test');
    expect((await contactOf('u-new-4')).email).toBeNull();
    const [merges] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from contacts
      where merged_into is not null and (external_id like 'u-own-%' or external_id like 'u-new-%')`;
    expect(merges!.n).toBe(0);
  });

  it('a contact known by its email alone (an import, a form) is still joined by an identify with a userId and that email', async () => {
    const imported = await test.call('POST', '/api/contacts', { email: 'form@acme.test' });
    expect(imported.status).toBe(201);
    const response = await send('/v1/identify', {
      userId: 'u-form',
      traits: { email: 'form@acme.test' },
    });
    expect(response.body.warnings).toBeUndefined();
    expect((await contactOf('u-form')).id).toBe(imported.body.contact.id);

    const second = await test.call('POST', '/api/contacts', { email: 'form2@acme.test' });
    await send('/v1/identify', { userId: 'u-form', traits: { email: 'form2@acme.test' } });
    expect(await mergedInto(second.body.contact.id)).toBe(imported.body.contact.id);
  });
});

describe('a track or page naming both a userId and an anonymousId joins as identify does', () => {
  it('an existing user’s track with a new browser’s anonymousId takes that browser’s anonymous contact, and its later anonymous events', async () => {
    await send('/v1/identify', { userId: 'u-track-1', traits: { email: 'track1@x.test' } });
    // Seen (and remembered by the API) before the new browser's visit.
    await send('/v1/track', { userId: 'u-track-1', event: 'Signed In' });
    await send('/v1/page', { anonymousId: 'anon-D', name: 'Pricing' });
    await send('/v1/track', { anonymousId: 'anon-D', event: 'Product Added' });
    const user = await contactBy({ externalId: 'u-track-1' });
    const browser = await contactBy({ anonymousId: 'anon-D' });
    expect(browser.id).not.toBe(user.id);

    const response = await send('/v1/track', {
      userId: 'u-track-1',
      anonymousId: 'anon-D',
      event: 'Order Completed',
      messageId: 'order-D',
    });
    expect(response).toEqual({ status: 200, body: { success: true, status: 'accepted' } });
    expect(await mergedInto(browser.id)).toBe(user.id);
    const names = (await timelineEvents(user.id)).map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining(['page.viewed', 'Product Added', 'Order Completed', '$merge']),
    );
    expect((await timelineEvents(user.id)).find((e) => e.name === '$merge')).toMatchObject({
      properties: { mergedId: browser.id, by: 'track', field: 'anonymousId', messageId: 'order-D' },
    });

    await send('/v1/page', { anonymousId: 'anon-D', name: 'Thanks', messageId: 'later-D' });
    await send('/v1/track', { userId: 'u-track-1', anonymousId: 'anon-D', event: 'again' });
    const later = await db.sql<{ contactId: string }[]>`
      select contact_id from events where message_id = 'later-D' or name = 'again'`;
    expect(later.map((r) => r.contactId)).toEqual([user.id, user.id]);
  });

  it('an anonymousId another user holds is a shared device: a warning, no merge', async () => {
    await send('/v1/identify', { userId: 'u-dev-1', anonymousId: 'anon-shared' });
    await send('/v1/track', { userId: 'u-dev-2', event: 'Signed In' });
    const response = await send('/v1/page', {
      userId: 'u-dev-2',
      anonymousId: 'anon-shared',
      name: 'Home',
    });
    expect(response.body.warnings).toEqual([
      { field: 'anonymousId', message: expect.stringContaining('shared device') },
    ]);
    const one = await contactBy({ externalId: 'u-dev-1' });
    const two = await contactBy({ externalId: 'u-dev-2' });
    expect(one.id).not.toBe(two.id);
    expect(await mergedInto(one.id)).toBeNull();
    expect(await mergedInto(two.id)).toBeNull();
  });

  it('two users’ logins claiming one anonymous contact at once: the first joins it, the second is told it is a shared device', async () => {
    await send('/v1/identify', { userId: 'u-race-1' });
    await send('/v1/identify', { userId: 'u-race-2' });
    await send('/v1/page', { anonymousId: 'anon-race', name: 'Home' });
    const browser = await contactBy({ anonymousId: 'anon-race' });
    const login = (userId: string): IngestMessage => ({
      type: 'track',
      identity: { userId, anonymousId: 'anon-race' },
      event: 'Signed In',
      properties: {},
      occurredAt: new Date(),
      messageId: `race-${userId}`,
    });
    // Hold the anonymous contact's row so that both batches resolve it before either merges,
    // as two lanes writing at once do.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holder = db.sql.begin(async (tx) => {
      await tx`select 1 from contacts where id = ${browser.id} for update`;
      await held;
    });
    const first = ingestMessages(db.sql, db.workspaceId, [login('u-race-1')]);
    const second = ingestMessages(db.sql, db.workspaceId, [login('u-race-2')]);
    await vi.waitFor(
      async () => {
        const [waiting] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type in ('Lock', 'LWLock')`;
        expect(waiting!.n).toBeGreaterThanOrEqual(2);
      },
      { timeout: 10_000 },
    );
    release();
    await holder;
    const outcomes = [...(await first).outcomes, ...(await second).outcomes];
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    const joined = await mergedInto(browser.id);
    const users = [
      await contactBy({ externalId: 'u-race-1' }),
      await contactBy({ externalId: 'u-race-2' }),
    ];
    expect(users.map((u) => u.id)).toContain(joined);
    const other = outcomes.find((o) => o.contactId !== joined)!;
    expect(other).toMatchObject({
      warnings: [{ field: 'anonymousId', message: expect.stringContaining('shared device') }],
    });
  });
});

describe('an alias joins the person known by previousId to the userId', () => {
  const contactOf = async (externalId: string) => {
    const [row] = await db.sql<
      { id: string; anonymousId: string | null; email: string | null }[]
    >`select id, anonymous_id, email from contacts
      where external_id = ${externalId} and merged_into is null`;
    return row;
  };
  const mergesOf = async (contactId: string) =>
    (await timelineEvents(contactId)).filter((e) => e.name === '$merge');

  it('an anonymous browser aliased to an existing user is merged into it; a replay changes nothing', async () => {
    await send('/v1/identify', { userId: 'al-1', traits: { email: 'al1@x.test' } });
    await send('/v1/page', { anonymousId: 'al-browser-1', name: 'Pricing' });
    const user = await contactBy({ externalId: 'al-1' });
    const browser = await contactBy({ anonymousId: 'al-browser-1' });

    const response = await send('/v1/alias', {
      userId: 'al-1',
      previousId: 'al-browser-1',
      messageId: 'alias-1',
    });
    expect(response).toEqual({ status: 200, body: { success: true, status: 'accepted' } });
    expect(await mergedInto(browser.id)).toBe(user.id);
    const names = (await timelineEvents(user.id)).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['page.viewed', '$alias', '$merge']));
    expect(await mergesOf(user.id)).toEqual([
      expect.objectContaining({
        properties: {
          mergedId: browser.id,
          by: 'alias',
          field: 'previousId',
          messageId: 'alias-1',
        },
      }),
    ]);

    const replay = await send('/v1/alias', {
      userId: 'al-1',
      previousId: 'al-browser-1',
      messageId: 'alias-1',
    });
    expect(replay.body.status).toBe('duplicate');
    expect(await mergesOf(user.id)).toHaveLength(1);
    await send('/v1/track', { anonymousId: 'al-browser-1', event: 'after.alias' });
    const [after] = await db.sql`select contact_id from events where name = 'after.alias'`;
    expect(after!.contactId).toBe(user.id);
  });

  it('a new userId takes the anonymous contact previousId names, without a merge', async () => {
    await send('/v1/track', { anonymousId: 'al-browser-2', event: 'Product Added' });
    const browser = await contactBy({ anonymousId: 'al-browser-2' });
    const response = await send('/v1/a', { userId: 'al-2', previousId: 'al-browser-2' });
    expect(response.body.status).toBe('accepted');
    expect(await contactOf('al-2')).toMatchObject({ id: browser.id, anonymousId: 'al-browser-2' });
    expect(await mergesOf(browser.id)).toEqual([]);
  });

  it('two users: the one previousId names is merged into the userId’s, and its userId leads there after', async () => {
    await send('/v1/identify', { userId: 'al-old', traits: { email: 'old@x.test', plan: 'pro' } });
    await send('/v1/track', { userId: 'al-old', event: 'Order Completed', messageId: 'al-o-1' });
    await send('/v1/identify', { userId: 'al-new', traits: { email: 'new@x.test' } });
    const old = (await contactOf('al-old'))!;
    const current = (await contactOf('al-new'))!;

    const response = await send('/v1/alias', { userId: 'al-new', previousId: 'al-old' });
    expect(response).toEqual({ status: 200, body: { success: true, status: 'accepted' } });
    expect(await mergedInto(old.id)).toBe(current.id);
    const survivor = await test.call('GET', `/api/contacts/${current.id}`);
    expect(survivor.body).toMatchObject({
      externalId: 'al-new',
      email: 'new@x.test',
      properties: { plan: 'pro' },
    });
    const [order] = await db.sql`select contact_id from events where message_id = 'al-o-1'`;
    expect(order!.contactId).toBe(current.id);
    await send('/v1/track', { userId: 'al-old', event: 'later', messageId: 'al-o-2' });
    const [later] = await db.sql`select contact_id from events where message_id = 'al-o-2'`;
    expect(later!.contactId).toBe(current.id);
  });

  it('a userId renamed to one not seen yet: a contact with the new userId holds the old one’s history', async () => {
    await send('/v1/identify', { userId: 'al-rename-1', traits: { email: 'rename@x.test' } });
    const old = (await contactOf('al-rename-1'))!;
    await send('/v1/alias', { userId: 'al-rename-2', previousId: 'al-rename-1' });
    const renamed = (await contactOf('al-rename-2'))!;
    expect(renamed).toMatchObject({ email: 'rename@x.test' });
    expect(await mergedInto(old.id)).toBe(renamed.id);
  });

  it('nobody known by either id: the userId’s contact is created, and the browser’s events still on their way join it', async () => {
    const response = await send('/v1/alias', { userId: 'al-3', previousId: 'al-browser-3' });
    expect(response.body.status).toBe('accepted');
    const created = (await contactOf('al-3'))!;
    expect(created.anonymousId).toBe('al-browser-3');
    await send('/v1/page', { anonymousId: 'al-browser-3', name: 'Home', messageId: 'al-late-3' });
    const [late] = await db.sql`select contact_id from events where message_id = 'al-late-3'`;
    expect(late!.contactId).toBe(created.id);
  });

  it('a previousId that is only another user’s anonymousId is a shared device: a warning, no merge', async () => {
    await send('/v1/identify', { userId: 'al-dev-1', anonymousId: 'al-laptop' });
    await send('/v1/identify', { userId: 'al-dev-2' });
    const response = await send('/v1/alias', { userId: 'al-dev-2', previousId: 'al-laptop' });
    expect(response.body).toEqual({
      success: true,
      status: 'accepted',
      warnings: [{ field: 'previousId', message: expect.stringContaining('another contact') }],
    });
    const one = (await contactOf('al-dev-1'))!;
    const two = (await contactOf('al-dev-2'))!;
    expect(one.id).not.toBe(two.id);
    expect(await mergedInto(one.id)).toBeNull();
  });

  it('in a batch: the page before the alias, the alias and the events after are one contact; an email as previousId joins an imported contact', async () => {
    await send('/v1/identify', { userId: 'al-4' });
    const imported = await test.call('POST', '/api/contacts', { email: 'al4@x.test' });
    const response = await send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'al-browser-4', name: 'Home' },
        { type: 'alias', userId: 'al-4', previousId: 'al-browser-4' },
        { type: 'page', anonymousId: 'al-browser-4', name: 'Cart' },
        { type: 'alias', userId: 'al-4', previousId: 'AL4@x.test' },
        { type: 'track', userId: 'al-4', event: 'Order Completed' },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 5, rejected: 0 });
    const user = (await contactOf('al-4'))!;
    expect(response.body.results.map((r: { warnings?: unknown }) => r.warnings)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const names = (await timelineEvents(user.id)).map((e) => e.name);
    expect(names.filter((n) => n === 'page.viewed')).toHaveLength(2);
    expect(names).toContain('Order Completed');
    expect(await mergedInto(imported.body.contact.id)).toBe(user.id);
    expect(user.email).toBe('al4@x.test');
  });
});

describe('aliases in two lanes at once', () => {
  it('two users aliased to one anonymous contact at once: the first takes it, the second is told it is another user’s', async () => {
    await send('/v1/identify', { userId: 'al-race-1' });
    await send('/v1/identify', { userId: 'al-race-2' });
    await send('/v1/page', { anonymousId: 'al-anon-race', name: 'Home' });
    const browser = await contactBy({ anonymousId: 'al-anon-race' });
    const alias = (userId: string): IngestMessage => ({
      type: 'alias',
      identity: { userId },
      previousId: 'al-anon-race',
      occurredAt: new Date(),
      messageId: `al-race-${userId}`,
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holder = db.sql.begin(async (tx) => {
      await tx`select 1 from contacts where id = ${browser.id} for update`;
      await held;
    });
    const first = ingestMessages(db.sql, db.workspaceId, [alias('al-race-1')]);
    const second = ingestMessages(db.sql, db.workspaceId, [alias('al-race-2')]);
    await vi.waitFor(
      async () => {
        const [waiting] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type in ('Lock', 'LWLock')`;
        expect(waiting!.n).toBeGreaterThanOrEqual(2);
      },
      { timeout: 10_000 },
    );
    release();
    await holder;
    const outcomes = [...(await first).outcomes, ...(await second).outcomes];
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    const joined = await mergedInto(browser.id);
    expect([
      (await contactBy({ externalId: 'al-race-1' })).id,
      (await contactBy({ externalId: 'al-race-2' })).id,
    ]).toContain(joined);
    expect(outcomes.find((o) => o.contactId !== joined)).toMatchObject({
      warnings: [{ field: 'previousId', message: expect.stringContaining('another contact') }],
    });
  });
});
