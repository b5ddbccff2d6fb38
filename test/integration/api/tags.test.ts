// The tags page's API: each tag with its contacts and who uses it; renaming a tag (merging it
// into one that exists) and deleting it across the workspace, refused while a segment, a
// journey or the score still uses it, and the contacts' segments re-evaluated as it goes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceTag, type TagSummary } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let call: ReturnType<typeof createTestApp>['call'];
const recorded = createRecordingDispatcher();

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call } = createTestApp({ db, temporal, dispatcher: recorded.dispatcher }));
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function contact(email: string, tags: string[]): Promise<string> {
  const created = await call('POST', '/api/contacts', { email, tags });
  expect(created.status).toBe(201);
  return created.body.contact.id as string;
}

const tagsOf = async (id: string) =>
  (await call('GET', `/api/contacts/${id}`)).body.tags as string[];

async function summary(): Promise<Map<string, TagSummary>> {
  const response = await call('GET', '/api/tags/summary');
  expect(response.status).toBe(200);
  expect(response.body.truncated).toBe(false);
  return new Map((response.body.tags as TagSummary[]).map((t) => [t.tag, t]));
}

/** manual → tag (`add`) → exit */
function tagsOnEntry(name: string, add: string) {
  const b = createDocumentBuilder(name);
  b.node('start', 'trigger.manual', {}, 0, 0);
  b.node('tag', 'action.tag', { add: [add] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('start', 'tag');
  b.edge('tag', 'exit');
  return b.build();
}

describe('the workspace’s tags', () => {
  let ada: string;
  let bob: string;
  let dan: string;
  let vips: string;

  it('lists every tag with its contacts and who uses it, alphabetically whatever the case', async () => {
    ada = await contact('ada@example.com', ['vip', 'newsletter']);
    bob = await contact('bob@example.com', ['vipp']);
    dan = await contact('dan@example.com', ['vipp', 'vip', 'Beta']);
    await contact('eve@example.com', ['newsletter']);
    const segment = await call('POST', '/api/segments', {
      kind: 'dynamic',
      name: 'VIPs',
      rule: {
        kind: 'any',
        conditions: [{ kind: 'not', condition: { kind: 'tag', op: 'lacks', tag: 'vip' } }],
      },
    });
    expect(segment.status).toBe(201);
    vips = segment.body.id as string;
    // A tag a rule names before any contact has it is listed too.
    const journey = await call('POST', '/api/journeys', tagsOnEntry('Welcome', 'welcomed'));
    expect(journey.status).toBe(201);

    const tags = await summary();
    expect(tags.get('vip')).toEqual({
      tag: 'vip',
      contacts: 2,
      uses: { segments: [{ segmentId: vips, segmentName: 'VIPs' }], journeys: [], minScore: null },
    });
    expect(tags.get('vipp')?.contacts).toBe(2);
    expect(tags.get('newsletter')?.contacts).toBe(2);
    expect(tags.get('welcomed')).toEqual({
      tag: 'welcomed',
      contacts: 0,
      uses: {
        segments: [],
        journeys: [{ journeyId: journey.body.id, journeyName: 'Welcome', versions: [null] }],
        minScore: null,
      },
    });
    // The score's tags, before anyone earns them.
    expect(tags.get('hot-lead')?.uses.minScore).toBe(50);
    const names = [...tags.keys()];
    expect(names.indexOf('Beta')).toBeLessThan(names.indexOf('hot-lead'));
    expect(names.indexOf('newsletter')).toBeLessThan(names.indexOf('vip'));
  });

  it('renames a tag into one that exists: a contact with both keeps one, and segments follow', async () => {
    const members = async () =>
      (await call('GET', `/api/segments/${vips}`)).body.memberCount as number;
    expect(await members()).toBe(2);
    recorded.calls.segmentChanges.length = 0;

    // Renaming `vip` would leave the segment testing a tag nobody has.
    const refused = await call('POST', '/api/tags/rename', { tag: 'vip', to: 'VIP' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('tag_in_use');
    expect(refused.body.error.message).toBe(
      '“vip” is still used by segment “VIPs”. Change it first, so that it does not go on with a tag nobody has.',
    );
    expect(await tagsOf(ada)).toEqual(['vip', 'newsletter']);

    const renamed = await call('POST', '/api/tags/rename', { tag: ' vipp ', to: 'vip' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ changed: 2, done: true });
    expect(await tagsOf(bob)).toEqual(['vip']);
    expect(await tagsOf(dan)).toEqual(['vip', 'Beta']);
    // Bob entered the segment through the rename, and the change was handed to the journeys.
    expect(await members()).toBe(3);
    expect(recorded.calls.segmentChanges).toHaveLength(1);
    const tags = await summary();
    expect(tags.has('vipp')).toBe(false);
    expect(tags.get('vip')?.contacts).toBe(3);
    expect((await call('GET', '/api/tags')).body.tags).not.toContain('vipp');
  });

  it('refuses a rename to the same name, to a tag the score gives, and a bad body, naming the field', async () => {
    const same = await call('POST', '/api/tags/rename', { tag: 'Beta', to: ' Beta' });
    expect(same.status).toBe(400);
    expect(same.body.error.issues).toEqual([
      { field: 'to', message: 'The tag is already called “Beta”' },
    ]);
    const scored = await call('POST', '/api/tags/rename', { tag: 'Beta', to: 'hot-lead' });
    expect(scored.status).toBe(409);
    expect(scored.body.error.issues[0].field).toBe('to');
    expect(scored.body.error.message).toContain(
      'given and taken away by the score (from 50 points)',
    );
    const empty = await call('POST', '/api/tags/rename', { tag: 'Beta', to: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues).toEqual([{ field: 'to', message: 'A tag cannot be empty' }]);
    const byScore = await call('POST', '/api/tags/delete', { tag: 'hot-lead' });
    expect(byScore.status).toBe(409);
    expect(byScore.body.error.message).toContain('the score, from 50 points');
    expect(await tagsOf(dan)).toEqual(['vip', 'Beta']);
  });

  it('counts a journey’s live version and draft as uses, and not once it is stopped', async () => {
    const journey = await call('POST', '/api/journeys', tagsOnEntry('Onboarding', 'newsletter'));
    const id = journey.body.id as string;
    expect((await call('POST', `/api/journeys/${id}/publish`, {})).status).toBe(201);
    const refused = await call('POST', '/api/tags/delete', { tag: 'newsletter' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      '“newsletter” is still used by journey “Onboarding” (draft, version 1). Change it first, so that it does not go on with a tag nobody has.',
    );
    expect((await call('POST', `/api/journeys/${id}/stop`, {})).status).toBe(200);
    expect((await summary()).get('newsletter')?.uses.journeys).toEqual([]);

    const deleted = await call('POST', '/api/tags/delete', { tag: 'newsletter' });
    expect(deleted.body).toEqual({ changed: 2, done: true });
    expect(await tagsOf(ada)).toEqual(['vip']);
    expect((await summary()).has('newsletter')).toBe(false);
  });

  it('changes at most a batch of contacts per call, and is done once none has the tag', async () => {
    const ids = await Promise.all(
      ['a', 'b', 'c'].map((n) => contact(`${n}@batch.example.com`, ['old', 'keep'])),
    );
    const step = () =>
      replaceTag(db.sql, {
        workspaceId: db.workspaceId,
        tag: 'old',
        to: 'new',
        cause: 'manual',
        now: new Date(),
        limit: 2,
      });
    expect((await step()).changed).toBe(2);
    const second = await step();
    expect({ changed: second.changed, done: second.done }).toEqual({ changed: 1, done: true });
    for (const id of ids) expect(await tagsOf(id)).toEqual(['keep', 'new']);
    // Deleting a tag nobody has any more takes it off the list.
    const tags = await summary();
    expect(tags.has('old')).toBe(false);
    expect(tags.get('new')?.contacts).toBe(3);
  });
});
