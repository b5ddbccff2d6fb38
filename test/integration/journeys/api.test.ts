import { beforeAll, describe, expect, it } from 'vitest';
import { getJourneyContact } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createTestApp } from '../../support/app';
import {
  createContact,
  eventually,
  runtimeWith,
  useJourneyEnv,
  waitThenTag,
  withTemporalDown,
} from './harness';

const env = useJourneyEnv({ worker: true });
let call: ReturnType<typeof createTestApp>['call'];

beforeAll(() => {
  ({ call } = createTestApp({ db: env.db, temporal: env.temporal, dispatcher: env.runtime }));
});

/** manual → wait → tag "done" → exit */
/** Waits `wait`, then tags `done`. */
const tagDoneAfter = (wait = '2s') => waitThenTag({ name: 'Wait then tag', wait, tag: 'done' });

async function createPublished(document = tagDoneAfter()) {
  const created = await call('POST', '/api/journeys', document);
  expect(created.status).toBe(201);
  const published = await call('POST', `/api/journeys/${created.body.id}/publish`, {});
  expect(published.status).toBe(201);
  return created.body.id as string;
}

describe('drafts', () => {
  it('needs the admin token', async () => {
    expect((await call('GET', '/api/journeys', undefined, null)).status).toBe(401);
  });

  it('creates, reads, lists and replaces a draft; a bad body names its fields', async () => {
    const bad = await call('POST', '/api/journeys', { nodes: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'name',
      'nodes',
    ]);

    const created = await call('POST', '/api/journeys', { name: 'Draft', nodes: [] });
    expect(created).toMatchObject({ status: 201, body: { id: expect.any(String) } });
    const id = created.body.id;
    expect((await call('GET', `/api/journeys/${id}`)).body).toMatchObject({
      id,
      name: 'Draft',
      status: 'draft',
      document: { name: 'Draft', nodes: [] },
      liveVersion: null,
    });
    const saved = await call('PUT', `/api/journeys/${id}`, { ...tagDoneAfter(), name: 'Renamed' });
    expect(saved).toMatchObject({ status: 200, body: { name: 'Renamed' } });
    const list = await call('GET', '/api/journeys');
    expect(list.body.journeys).toContainEqual(
      expect.objectContaining({ id, name: 'Renamed', status: 'draft', liveVersion: null }),
    );
    expect((await call('GET', '/api/journeys/not-a-uuid')).status).toBe(400);
    expect((await call('GET', `/api/journeys/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('validates the draft or a sent document, in plain words anchored to nodes', async () => {
    const created = await call('POST', '/api/journeys', {
      name: 'Broken',
      nodes: [
        { id: 'trigger', kind: 'trigger.manual', config: {} },
        { id: 'send', kind: 'action.send_email', config: {} },
      ],
      edges: [{ from: 'trigger', to: 'send' }],
    });
    const checked = await call('POST', `/api/journeys/${created.body.id}/validate`);
    expect(checked.status).toBe(200);
    expect(checked.body.errors).toContainEqual(
      expect.objectContaining({ nodeId: 'send', message: 'This email step has no template' }),
    );
    const sent = await call('POST', `/api/journeys/${created.body.id}/validate`, tagDoneAfter());
    expect(sent.body).toEqual({ errors: [] });

    const refused = await call('POST', `/api/journeys/${created.body.id}/publish`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'invalid_flow',
      requestId: expect.any(String),
    });
    expect(refused.body.error.issues).toContainEqual({
      field: 'nodes.send.config.templateId',
      message: 'This email step has no template',
    });
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ nodeId: 'send' }));
  });
});

describe('publishing and running', () => {
  it('publishes versions, enrols a contact, counts per node and lists the contact’s runs', async () => {
    const created = await call('POST', '/api/journeys', tagDoneAfter('3s'));
    const id = created.body.id;
    const dry = await call('POST', `/api/journeys/${id}/publish`, { dryRun: true });
    expect(dry.body).toEqual({
      dryRun: true,
      nextVersion: 1,
      inFlight: 0,
      movable: 0,
      byNode: {},
      byVersion: {},
      warnings: [],
    });
    expect((await call('POST', `/api/journeys/${id}/publish`, {})).body).toMatchObject({
      versionId: expect.any(String),
      version: 1,
      moved: 0,
    });
    expect((await call('GET', `/api/journeys/${id}`)).body).toMatchObject({
      status: 'active',
      liveVersion: { version: 1 },
    });

    const contactId = await createContact(env, { email: 'api-run@example.com' });
    const enrolled = await call('POST', `/api/journeys/${id}/enrol`, { contactId });
    expect(enrolled).toMatchObject({ status: 201, body: { outcome: 'started' } });
    const again = await call('POST', `/api/journeys/${id}/enrol`, { contactId });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'already_enrolled' } } });
    const unknown = await call('POST', `/api/journeys/${id}/enrol`, {
      contactId: crypto.randomUUID(),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues).toEqual([
      { field: 'contactId', message: 'No contact has this id' },
    ]);

    await eventually(
      async () => (await call('GET', `/api/journeys/${id}/stats`)).body.nodes.wait?.waiting === 1,
    );
    const waiting = await call('GET', `/api/journeys/${id}/nodes/wait/waiting`);
    expect(waiting.body.contacts).toEqual([
      expect.objectContaining({ contactId, email: 'api-run@example.com' }),
    ]);

    // A second version while the run waits: the dry run counts it as movable at "wait", and
    // says which version it waits on (the one it would finish on if kept).
    const v1 = (await call('GET', `/api/journeys/${id}`)).body.liveVersion.id as string;
    const preview = await call('POST', `/api/journeys/${id}/publish`, { dryRun: true });
    expect(preview.body).toMatchObject({
      nextVersion: 2,
      inFlight: 1,
      movable: 1,
      byNode: { wait: { waiting: 1, movable: 1 } },
      byVersion: { [v1]: 1 },
    });
    expect(
      (await call('POST', `/api/journeys/${id}/publish`, { carryOver: 'keep' })).body,
    ).toMatchObject({
      version: 2,
      moved: 0,
    });

    await eventually(
      async () => (await call('GET', `/api/journeys/${id}/stats`)).body.runs.completed === 1,
    );
    const stats = await call('GET', `/api/journeys/${id}/stats`);
    expect(stats.body.nodes).toEqual({
      wait: { entered: 1, waiting: 0, completed: 1, failed: 0, ports: {} },
      tag: { entered: 1, waiting: 0, completed: 1, failed: 0, ports: {} },
      exit: { entered: 1, waiting: 0, completed: 1, failed: 0, ports: {} },
    });

    const runs = await call('GET', `/api/contacts/${contactId}/runs`);
    expect(runs.status).toBe(200);
    expect(runs.body.runs).toEqual([
      expect.objectContaining({
        journeyId: id,
        journeyName: 'Wait then tag',
        version: 1,
        status: 'completed',
        currentNode: 'exit',
        steps: [
          expect.objectContaining({ nodeId: 'wait', outcome: 'done', port: 'out' }),
          expect.objectContaining({
            nodeId: 'tag',
            outcome: 'done',
            why: expect.objectContaining({ tags: ['done'] }),
          }),
          expect.objectContaining({ nodeId: 'exit', outcome: 'done' }),
        ],
      }),
    ]);
    const versions = await call('GET', `/api/journeys/${id}/versions`);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await call('GET', `/api/journeys/${id}/versions/1`)).body).toMatchObject({
      version: 1,
      document: { name: 'Wait then tag' },
      plan: { v: 1, startNodeId: 'wait' },
    });
  });

  it('publishes only the draft the marketer reviewed: a saved draft that differs is refused', async () => {
    const reviewed = { ...tagDoneAfter('1h'), name: '  Reviewed ' };
    const created = await call('POST', '/api/journeys', reviewed);
    const id = created.body.id as string;
    // Saved afterwards (another tab, a late autosave): a different wait than the one reviewed.
    await call('PUT', `/api/journeys/${id}`, { ...tagDoneAfter('2h'), name: 'Reviewed' });
    for (const body of [{ draft: reviewed }, { dryRun: true, draft: reviewed }]) {
      const refused = await call('POST', `/api/journeys/${id}/publish`, body);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({
        code: 'draft_changed',
        issues: [{ field: 'draft', message: expect.stringContaining('publish again') }],
      });
    }
    expect((await call('GET', `/api/journeys/${id}`)).body.liveVersion).toBeNull();

    // The same draft, its keys in another order and its name as typed, is the reviewed one.
    await call('PUT', `/api/journeys/${id}`, reviewed);
    const { edges, nodes, settings, name } = reviewed;
    const published = await call('POST', `/api/journeys/${id}/publish`, {
      draft: { edges, nodes, settings, name },
    });
    expect(published).toMatchObject({ status: 201, body: { version: 1 } });
    expect((await call('GET', `/api/journeys/${id}/versions/1`)).body.document).toMatchObject({
      name: 'Reviewed',
      nodes: expect.arrayContaining([
        expect.objectContaining({ id: 'wait', config: { duration: '1h' } }),
      ]),
    });
  });

  it('lists the ids every version used, and refuses a step that takes an earlier step’s id for another kind', async () => {
    const id = await createPublished(tagDoneAfter('1h'));
    // Version 2 drops the wait and the tag: their ids stay used.
    const b = createDocumentBuilder('Wait then tag');
    b.node('trigger', 'trigger.manual', {}, 0, 0);
    b.node('exit', 'logic.exit', {}, 0, 1);
    b.edge('trigger', 'exit');
    expect((await call('PUT', `/api/journeys/${id}`, b.build())).status).toBe(200);
    expect((await call('POST', `/api/journeys/${id}/publish`, {})).status).toBe(201);
    const read = await call('GET', `/api/journeys/${id}`);
    expect(read.body.usedNodeIds).toEqual(['exit', 'tag', 'trigger', 'wait']);
    expect(read.body.document.nodes.map((n: { id: string }) => n.id)).toEqual(['trigger', 'exit']);
    const saved = await call('PUT', `/api/journeys/${id}`, b.build());
    expect(saved.body.usedNodeIds).toEqual(['exit', 'tag', 'trigger', 'wait']);

    // A flow written by hand that names a new tag step "wait": refused, naming the step.
    const c = createDocumentBuilder('Wait then tag');
    c.node('trigger', 'trigger.manual', {}, 0, 0);
    c.node('wait', 'action.tag', { add: ['vip'] }, 0, 1);
    c.node('exit', 'logic.exit', {}, 0, 2);
    c.edge('trigger', 'wait');
    c.edge('wait', 'exit');
    await call('PUT', `/api/journeys/${id}`, c.build());
    for (const body of [{ dryRun: true }, {}]) {
      const refused = await call('POST', `/api/journeys/${id}/publish`, body);
      expect(refused.status).toBe(422);
      expect(refused.body.error.issues).toEqual([
        {
          field: 'nodes.wait.id',
          message:
            "An earlier version used the id “wait” for a “Wait” step: give this “Tag” step an id no version used, so it does not take that step's numbers and waiting contacts",
        },
      ]);
    }
    // The same kind under a kept id is the same step, changed: published.
    const d = createDocumentBuilder('Wait then tag');
    d.node('trigger', 'trigger.manual', {}, 0, 0);
    d.node('wait', 'wait.delay', { duration: '2h' }, 0, 1);
    d.node('exit', 'logic.exit', {}, 0, 2);
    d.edge('trigger', 'wait');
    d.edge('wait', 'exit');
    await call('PUT', `/api/journeys/${id}`, d.build());
    expect((await call('POST', `/api/journeys/${id}/publish`, {})).status).toBe(201);
  });

  it('pause stops entries and holds runs before their next action; resume releases them', async () => {
    const id = await createPublished(tagDoneAfter('2s'));
    const contactId = await createContact(env, { email: 'held@example.com' });
    expect((await call('POST', `/api/journeys/${id}/enrol`, { contactId })).status).toBe(201);
    await eventually(
      async () => (await call('GET', `/api/journeys/${id}/stats`)).body.nodes.wait?.waiting === 1,
    );

    expect((await call('POST', `/api/journeys/${id}/pause`)).body).toEqual({ status: 'paused' });
    expect((await call('POST', `/api/journeys/${id}/pause`)).status).toBe(409);
    const other = await createContact(env, { email: 'late@example.com' });
    const closed = await call('POST', `/api/journeys/${id}/enrol`, { contactId: other });
    expect(closed).toMatchObject({ status: 409, body: { error: { code: 'journey_closed' } } });

    // The wait ends while paused: the run holds at the tag step instead of tagging.
    await eventually(
      async () => (await call('GET', `/api/journeys/${id}/stats`)).body.runs.held === 1,
    );
    expect((await call('GET', `/api/journeys/${id}/stats`)).body.nodes.tag).toMatchObject({
      waiting: 1,
    });
    expect((await getJourneyContact(env.db.sql, env.db.workspaceId, contactId))?.tags).toEqual([]);

    expect((await call('POST', `/api/journeys/${id}/resume`)).body).toEqual({
      status: 'active',
      released: 1,
    });
    await eventually(
      async () => (await call('GET', `/api/journeys/${id}/stats`)).body.runs.completed === 1,
    );
    expect((await getJourneyContact(env.db.sql, env.db.workspaceId, contactId))?.tags).toEqual([
      'done',
    ]);
  });

  it('enrols the current members of a segment through a bounded-rate bulk enrolment', async () => {
    const id = await createPublished(tagDoneAfter('1s'));
    const [segment] = await env.db.sql<{ id: string }[]>`
      insert into segments (workspace_id, name, kind) values (${env.db.workspaceId}, 'Bulk', 'static')
      returning id`;
    const members: string[] = [];
    for (let i = 0; i < 12; i++)
      members.push(await createContact(env, { email: `bulk-${i}@example.com` }));
    await env.db.sql`
      insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
      select ${segment!.id}, unnest(${members}::uuid[]), ${env.db.workspaceId}, now()`;

    const started = await call('POST', `/api/journeys/${id}/enrol`, {
      segmentId: segment!.id,
      ratePerSecond: 5,
    });
    expect(started).toMatchObject({ status: 202, body: { total: 12, ratePerSecond: 5 } });
    const progress = await eventually(async () => {
      const r = await call('GET', `/api/journeys/${id}/enrolments/${started.body.enrolmentId}`);
      return r.body.status === 'completed' ? r.body : null;
    });
    expect(progress).toMatchObject({ processed: 12, started: 12, skipped: 0 });
    // 12 contacts at 5 per second: batches of 5 no closer than a second apart.
    const created = new Date(progress.createdAt).getTime();
    expect(new Date(progress.finishedAt).getTime() - created).toBeGreaterThanOrEqual(2_000);
    await eventually(
      async () => (await call('GET', `/api/journeys/${id}/stats`)).body.runs.completed === 12,
    );

    const unknown = await call('POST', `/api/journeys/${id}/enrol`, {
      segmentId: crypto.randomUUID(),
    });
    expect(unknown.body.error.issues).toEqual([
      { field: 'segmentId', message: 'No segment has this id' },
    ]);
  });
});

describe('enrolling several contacts at once', () => {
  it('starts each one, counts who was already in, and names the ids it did not know', async () => {
    const id = await createPublished(tagDoneAfter('1h'));
    const [ann, ben, cat] = await Promise.all(
      ['ann', 'ben', 'cat'].map((who) => createContact(env, { email: `many-${who}@example.com` })),
    );
    expect((await call('POST', `/api/journeys/${id}/enrol`, { contactId: cat })).status).toBe(201);
    const unknown = crypto.randomUUID();
    const res = await call('POST', `/api/journeys/${id}/enrol/contacts`, {
      contactIds: [ann!, ben!.toUpperCase(), cat!, unknown],
    });
    expect(res).toMatchObject({
      status: 200,
      body: { started: 2, alreadyIn: 1, refused: 0, notStarted: 0, unknownContactIds: [unknown] },
    });
    await eventually(
      async () => (await call('GET', `/api/journeys/${id}/stats`)).body.runs.active === 3,
    );

    // Temporal down: nobody new is in, and the answer says how many to enrol again.
    const dan = await createContact(env, { email: 'many-dan@example.com' });
    const down = await withTemporalDown(env, (offline) =>
      offline('POST', `/api/journeys/${id}/enrol/contacts`, { contactIds: [dan] }),
    );
    expect(down.body).toMatchObject({ started: 0, notStarted: 1 });
  });

  it('refuses a journey that takes no contacts, and names the field at fault', async () => {
    const draft = await call('POST', '/api/journeys', tagDoneAfter());
    const contact = await createContact(env, { email: 'many-draft@example.com' });
    const closed = await call('POST', `/api/journeys/${draft.body.id}/enrol/contacts`, {
      contactIds: [contact],
    });
    expect(closed).toMatchObject({ status: 409, body: { error: { code: 'journey_closed' } } });
    const bad = await call('POST', `/api/journeys/${draft.body.id}/enrol/contacts`, {
      contactIds: ['nope'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([{ field: 'contactIds.0', message: 'Not a contact id' }]);
  });
});

describe('enrolling while Temporal is down', () => {
  it('a segment enrolment answers 503 and is recorded as failed, so nothing enrols later', async () => {
    const id = await createPublished();
    const [segment] = await env.db.sql<{ id: string }[]>`
      insert into segments (workspace_id, name, kind) values (${env.db.workspaceId}, 'Down', 'static')
      returning id`;
    const contactId = await createContact(env, { email: 'enrol-down@example.com' });
    await env.db.sql`
      insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
      values (${segment!.id}, ${contactId}, ${env.db.workspaceId}, now())`;
    const answer = await withTemporalDown(env, (offline) =>
      offline('POST', `/api/journeys/${id}/enrol`, { segmentId: segment!.id }),
    );
    expect(answer).toMatchObject({
      status: 503,
      body: {
        error: {
          code: 'temporal_unavailable',
          message: 'The workflow service did not answer, so no one was enrolled; try again shortly',
        },
      },
    });
    const enrolments = await env.db.sql<{ status: string; finishedAt: Date | null }[]>`
      select status, finished_at from journey_enrolments where journey_id = ${id}`;
    expect(enrolments).toEqual([{ status: 'failed', finishedAt: expect.any(Date) }]);
  });

  it('a Temporal that takes the connection and never answers gets a 503 once the call deadline passes', async () => {
    const id = await createPublished();
    const contactId = await createContact(env, { email: 'enrol-silent@example.com' });
    const answer = await withTemporalDown(
      env,
      (offline) => offline('POST', `/api/journeys/${id}/enrol`, { contactId }),
      'silent',
    );
    expect(answer).toMatchObject({
      status: 503,
      body: { error: { code: 'temporal_unavailable' } },
    });
  }, 30_000);
});

describe('duplicating and deleting', () => {
  it('duplicates a journey into a new draft named "Copy of …", without its versions or runs', async () => {
    const id = await createPublished(tagDoneAfter());
    const copy = await call('POST', `/api/journeys/${id}/duplicate`);
    expect(copy).toMatchObject({ status: 201, body: { name: 'Copy of Wait then tag' } });
    const draft = await call('GET', `/api/journeys/${copy.body.id}`);
    expect(draft.body).toMatchObject({
      name: 'Copy of Wait then tag',
      status: 'draft',
      liveVersion: null,
      document: { name: 'Copy of Wait then tag' },
    });
    const original = await call('GET', `/api/journeys/${id}`);
    expect(draft.body.document.nodes).toEqual(original.body.document.nodes);
    expect((await call('POST', `/api/journeys/${crypto.randomUUID()}/duplicate`)).status).toBe(404);
  });

  it('deletes a draft that was never published, and refuses a published journey', async () => {
    const created = await call('POST', '/api/journeys', { name: 'Abandoned idea', nodes: [] });
    const deleted = await call('DELETE', `/api/journeys/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect((await call('GET', `/api/journeys/${created.body.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/journeys/${created.body.id}`)).status).toBe(404);

    const published = await createPublished(tagDoneAfter());
    const refused = await call('DELETE', `/api/journeys/${published}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'published',
      message:
        'A published journey keeps its versions and its contacts’ history, so it cannot be deleted: pause it to stop new entries',
    });
    expect((await call('GET', `/api/journeys/${published}`)).status).toBe(200);
  });
});

describe('stopping a journey for good', () => {
  it('takes no contacts, cancels the runs in progress (of a paused journey too), and cannot come back', async () => {
    const id = await createPublished(tagDoneAfter('1h'));
    const waiting = await createContact(env, { email: 'stop-wait@example.com' });
    expect((await call('POST', `/api/journeys/${id}/enrol`, { contactId: waiting })).status).toBe(
      201,
    );
    await eventually(
      async () => (await call('GET', `/api/journeys/${id}/stats`)).body.nodes.wait?.waiting === 1,
    );
    // Paused first: stopping a paused journey is allowed too.
    expect((await call('POST', `/api/journeys/${id}/pause`)).status).toBe(200);

    const stopped = await call('POST', `/api/journeys/${id}/stop`);
    expect(stopped).toMatchObject({
      status: 200,
      body: { status: 'stopped', runs: 1, inBackground: 0, notStopped: 0 },
    });
    const stats = await eventually(async () => {
      const body = (await call('GET', `/api/journeys/${id}/stats`)).body;
      return body.runs.cancelled === 1 ? body : null;
    });
    expect(stats.runs).toMatchObject({ active: 0, held: 0, cancelled: 1 });
    expect(stats.nodes.wait.waiting).toBe(0);

    const other = await createContact(env, { email: 'stop-late@example.com' });
    const closed = await call('POST', `/api/journeys/${id}/enrol`, { contactId: other });
    expect(closed.body.error).toMatchObject({
      code: 'journey_closed',
      message: 'This journey was stopped for good; duplicate it to run it again',
    });
    expect((await call('POST', `/api/journeys/${id}/resume`)).status).toBe(409);
    expect((await call('POST', `/api/journeys/${id}/pause`)).status).toBe(409);
    const republish = await call('POST', `/api/journeys/${id}/publish`, {});
    expect(republish.status).toBe(409);
    expect(republish.body.error.code).toBe('journey_stopped');
    // Stopping again is harmless: nothing is left to stop.
    expect((await call('POST', `/api/journeys/${id}/stop`)).body).toMatchObject({
      status: 'stopped',
      runs: 0,
    });
    expect((await call('GET', `/api/journeys/${id}`)).body.status).toBe('stopped');
  });

  /** A published journey with `n` contacts waiting in it. */
  async function withWaiting(n: number, prefix: string) {
    const id = await createPublished(tagDoneAfter('1h'));
    for (let i = 0; i < n; i += 1) {
      const contactId = await createContact(env, { email: `${prefix}-${i}@example.com` });
      expect((await call('POST', `/api/journeys/${id}/enrol`, { contactId })).status).toBe(201);
    }
    await eventually(
      async () => (await call('GET', `/api/journeys/${id}/stats`)).body.nodes.wait?.waiting === n,
    );
    return id;
  }
  const cancelledRuns = (id: string, n: number) =>
    eventually(async () => {
      const body = (await call('GET', `/api/journeys/${id}/stats`)).body;
      return body.runs.cancelled === n ? body : null;
    });

  it('leaves the runs past the request’s share to the worker’s pass', async () => {
    const id = await withWaiting(3, 'stop-share');
    const runtime = runtimeWith(env, env.temporal.client);
    const stopped = await runtime.stop({
      workspaceId: env.db.workspaceId,
      journeyId: id,
      inRequest: 1,
    });
    expect(stopped).toMatchObject({ runs: 3, inBackground: 2, failures: [] });
    await cancelledRuns(id, 1);

    // The worker's pass asks for the two never asked, not again for the one just asked.
    expect(await runtime.stopRunsOfStoppedJourneys()).toEqual({ asked: 2, failures: [] });
    const stats = await cancelledRuns(id, 3);
    expect(stats.runs).toMatchObject({ active: 0, held: 0 });
    expect(await runtime.stopRunsOfStoppedJourneys()).toEqual({ asked: 0, failures: [] });
  });

  it('stopped while Temporal is down: the worker’s loop stops its runs once Temporal is back', async () => {
    const id = await withWaiting(1, 'stop-down');
    const answer = await withTemporalDown(env, (offline) =>
      offline('POST', `/api/journeys/${id}/stop`),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'stopped',
      runs: 1,
      inBackground: 0,
      notStopped: 1,
    });
    expect(answer.body.message).toMatch(
      /^1 of its 1 runs in progress could not be told to stop yet \(.+\); Relance asks again every minute$/,
    );
    expect((await call('GET', `/api/journeys/${id}/stats`)).body.runs.active).toBe(1);

    // Asked a moment ago: the next pass leaves it; a pass a minute later asks again.
    const soon = runtimeWith(env, env.temporal.client);
    expect((await soon.stopRunsOfStoppedJourneys()).asked).toBe(0);
    const later = runtimeWith(env, env.temporal.client, {
      now: () => new Date(Date.now() + 61_000),
    });
    const loop = later.startRedeliveryLoop({ intervalMs: 100 });
    try {
      await cancelledRuns(id, 1);
    } finally {
      await loop.stop();
    }
  });

  it('refuses a draft', async () => {
    const created = await call('POST', '/api/journeys', { name: 'Never live', nodes: [] });
    const refused = await call('POST', `/api/journeys/${created.body.id}/stop`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'not_live',
      message: 'Only a live or paused journey can be stopped; this one is a draft',
    });
  });
});
