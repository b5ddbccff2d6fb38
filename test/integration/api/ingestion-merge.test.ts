import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
