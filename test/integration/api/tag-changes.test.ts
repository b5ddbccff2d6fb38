// A tag renamed or deleted across the workspace by the worker (POST /api/tags/changes): the
// real workflow runs its batches of 1,000 contacts with the real activities, the contacts'
// segments follow, and the change's progress and end are read back through the API. A tag that
// comes into use half-way stops the change with the reason; Temporal down changes nothing.
import { beforeAll, expect, it } from 'vitest';
import { startTagChange } from '@relance/db';
import { createTestApp } from '../../support/app';
import { eventually, unreachableTemporal, useJourneyEnv } from '../journeys/harness';

const env = useJourneyEnv({ worker: true });
let call: ReturnType<typeof createTestApp>['call'];

beforeAll(() => {
  ({ call } = createTestApp({ db: env.db, temporal: env.temporal, dispatcher: env.runtime }));
});

/** `n` contacts with `tags`, written at once. */
async function contactsWith(n: number, prefix: string, tags: string[]) {
  await env.db.sql`
    insert into contacts (workspace_id, email, tags)
    select ${env.db.workspaceId}, ${prefix} || g || '@example.com', ${tags}::text[]
    from generate_series(1, ${n}) g`;
}

async function finished(id: string) {
  let change: Record<string, unknown> = {};
  await eventually(async () => {
    const answer = await call('GET', `/api/tags/changes/${id}`);
    change = answer.body.change as Record<string, unknown>;
    return change.status !== 'running';
  }, 60_000);
  return change;
}

it('renames a tag on 2,500 contacts in batches, to the end, and their segments follow', async () => {
  await contactsWith(2_500, 'misspelt', ['goldd', 'newsletter']);
  const segment = await call('POST', '/api/segments', {
    kind: 'dynamic',
    name: 'Gold club',
    rule: { kind: 'tag', op: 'has', tag: 'gold' },
  });
  expect(segment.status).toBe(201);

  const started = await call('POST', '/api/tags/changes', { tag: 'goldd', to: 'gold' });
  expect(started.status).toBe(202);
  expect(started.body.change).toMatchObject({ tag: 'goldd', to: 'gold', status: 'running' });
  const change = await finished(started.body.change.id as string);
  expect(change).toMatchObject({ status: 'done', changed: 2_500, error: null });
  expect(change.finishedAt).not.toBeNull();

  const [tags] = await env.db.sql<{ goldd: number; gold: number }[]>`
    select count(*) filter (where tags @> '{goldd}')::int as goldd,
      count(*) filter (where tags @> '{gold,newsletter}')::int as gold
    from contacts where workspace_id = ${env.db.workspaceId}`;
  expect(tags).toEqual({ goldd: 0, gold: 2_500 });
  const members = await call('GET', `/api/segments/${segment.body.id}`);
  expect(members.body.memberCount).toBe(2_500);
  expect((await call('GET', '/api/tags')).body.tags).not.toContain('goldd');
  const listed = await call('GET', '/api/tags/changes');
  expect(listed.body.changes).toEqual([expect.objectContaining({ id: change.id, status: 'done' })]);
});

it('deletes a tag, and refuses one in use or already changing, before anything changes', async () => {
  await contactsWith(3, 'trial', ['trial-2025']);
  const inUse = await call('POST', '/api/tags/changes', { tag: 'gold', to: null });
  expect(inUse.status).toBe(409);
  expect(inUse.body.error.code).toBe('tag_in_use');

  const deleted = await call('POST', '/api/tags/changes', { tag: 'trial-2025' });
  expect(deleted.status).toBe(202);
  expect(await finished(deleted.body.change.id as string)).toMatchObject({
    status: 'done',
    to: null,
    changed: 3,
  });

  // One change of a tag at a time: this one's workflow waits on a queue no worker polls.
  const first = await startTagChange(env.db.sql, {
    workspaceId: env.db.workspaceId,
    tag: 'newsletter',
    to: 'news',
    cause: 'api',
  });
  const waiting = await env.temporal.client.workflow.start('tagChange', {
    workflowId: `tag-change:${first.id}`,
    taskQueue: 'nobody-polls-this',
    args: [{ changeId: first.id }],
  });
  const twice = await call('POST', '/api/tags/changes', { tag: 'newsletter', to: 'letters' });
  expect(twice.status).toBe(409);
  expect(twice.body.error).toMatchObject({
    code: 'tag_change_running',
    issues: [{ field: 'tag', message: expect.stringContaining('being renamed or deleted') }],
  });
  // Ended from outside Relance (the Temporal UI): it no longer holds the tag.
  await waiting.terminate('by hand');
  const after = await call('POST', '/api/tags/changes', { tag: 'newsletter', to: 'letters' });
  expect(after.status).toBe(202);
  expect((await call('GET', `/api/tags/changes/${first.id}`)).body.change).toMatchObject({
    status: 'failed',
    error: 'Its workflow was ended outside Relance.',
  });
  expect(await finished(after.body.change.id as string)).toMatchObject({ status: 'done' });
  const bad = await call('POST', '/api/tags/changes', { tag: '  ' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues).toEqual([{ field: 'tag', message: 'A tag cannot be empty' }]);
  expect((await call('GET', '/api/tags/changes/not-an-id')).status).toBe(400);
});

it('stops a change whose tag came into use half-way, with the reason', async () => {
  await contactsWith(1_500, 'beta', ['beta']);
  // Recorded, then a segment starts reading the tag before the worker's first batch.
  const change = await startTagChange(env.db.sql, {
    workspaceId: env.db.workspaceId,
    tag: 'beta',
    to: null,
    cause: 'api',
  });
  const segment = await call('POST', '/api/segments', {
    kind: 'dynamic',
    name: 'Beta testers',
    rule: { kind: 'tag', op: 'has', tag: 'beta' },
  });
  expect(segment.status).toBe(201);
  await env.temporal.client.workflow.start('tagChange', {
    workflowId: `tag-change:${change.id}`,
    taskQueue: env.temporal.taskQueue,
    args: [{ changeId: change.id }],
  });
  const ended = await finished(change.id);
  expect(ended).toMatchObject({ status: 'failed', changed: 0 });
  expect(ended.error).toContain('segment “Beta testers”');
  const [left] = await env.db.sql<{ n: number }[]>`
    select count(*)::int as n from contacts where tags @> '{beta}'`;
  expect(left!.n).toBe(1_500);
});

it('changes nothing and says so when the worker cannot be reached', async () => {
  await contactsWith(2, 'vip', ['vip']);
  const down = await unreachableTemporal();
  try {
    const test = createTestApp({
      db: env.db,
      temporal: { client: down.client, taskQueue: env.temporal.taskQueue },
      dispatcher: env.runtime,
    });
    const refused = await test.call('POST', '/api/tags/changes', { tag: 'vip', to: 'VIP' });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('worker_unavailable');
  } finally {
    await down.close();
  }
  const [vip] = await env.db.sql<{ n: number }[]>`
    select count(*)::int as n from contacts where tags @> '{vip}'`;
  expect(vip!.n).toBe(2);
  // The failed start leaves no change running: the tag can be changed again.
  const again = await call('POST', '/api/tags/changes', { tag: 'vip', to: 'VIP' });
  expect(again.status).toBe(202);
  expect(await finished(again.body.change.id as string)).toMatchObject({ status: 'done' });
});
