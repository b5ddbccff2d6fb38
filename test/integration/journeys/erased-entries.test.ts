// A journey's live numbers (GET /api/journeys/:id/stats) when contacts who went through it are
// deleted (DELETE /api/contacts/:id): their entries keep counting, as anonymous counts, over
// the real stack (Postgres, the Temporal dev server, a worker running the runs).

import { beforeAll, expect, it } from 'vitest';
import { createDocumentBuilder } from '@relance/flow';
import { createTestApp } from '../../support/app';
import { createContact, eventually, useJourneyEnv } from './harness';

const env = useJourneyEnv({ worker: true });
let call: ReturnType<typeof createTestApp>['call'];

beforeAll(() => {
  ({ call } = createTestApp({ db: env.db, temporal: env.temporal, dispatcher: env.runtime }));
});

/** VIPs wait an hour; the others are tagged and leave at once. Contacts may enter again. */
function vipsWait() {
  const b = createDocumentBuilder('Erased entries', { entryPolicy: { kind: 'after_exit' } });
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node(
    'vip',
    'logic.condition',
    { condition: { kind: 'all', conditions: [{ kind: 'tag', op: 'has', tag: 'vip' }] } },
    0,
    1,
  );
  b.node('wait', 'wait.delay', { duration: '1h' }, 0, 2);
  b.node('tag', 'action.tag', { add: ['welcomed'] }, 1, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'vip');
  b.edge('vip', 'wait', 'yes');
  b.edge('vip', 'tag', 'no');
  b.edge('wait', 'exit');
  b.edge('tag', 'exit');
  return b.build();
}

interface Stats {
  nodes: Record<string, { entered: number; waiting: number; completed: number; failed: number }>;
  runs: Record<string, number>;
}

const stats = async (journeyId: string): Promise<Stats> => {
  const res = await call('GET', `/api/journeys/${journeyId}/stats`);
  expect(res.status).toBe(200);
  return res.body as Stats;
};

async function enrolled(journeyId: string, contactId: string) {
  const res = await call('POST', `/api/journeys/${journeyId}/enrol`, { contactId });
  expect(res).toMatchObject({ status: 201, body: { outcome: 'started' } });
}

/** A run that failed at the tag step, as the runtime records one (its trigger is no step). */
async function failedRun(journeyId: string, contactId: string) {
  const [run] = await env.db.sql<{ id: string; versionId: string }[]>`
    insert into journey_runs (id, workspace_id, journey_id, version_id, contact_id, workflow_id,
      entry, status, current_node, started_at, ended_at)
    select gen_random_uuid(), ${env.db.workspaceId}, j.id, j.live_version_id, ${contactId},
      ${`run:${journeyId}:${contactId}`}, '{}', 'failed', 'tag', now(), now()
    from journeys j where j.id = ${journeyId}
    returning id, version_id`;
  const steps = [
    ['vip', 'logic.condition', 'done', 'no'],
    ['tag', 'action.tag', 'failed', null],
  ] as const;
  for (const [seq, [nodeId, kind, outcome, port]] of steps.entries()) {
    await env.db.sql`
      insert into run_steps (run_id, seq, workspace_id, journey_id, version_id, node_id, kind,
        visit, entered_at, left_at, outcome, port)
      values (${run!.id}, ${seq + 1}, ${env.db.workspaceId}, ${journeyId}, ${run!.versionId},
        ${nodeId}, ${kind}, 1, now(), now(), ${outcome}, ${port})`;
  }
}

async function erase(contactId: string) {
  expect((await call('DELETE', `/api/contacts/${contactId}`)).status).toBe(200);
}

it('keeps erased contacts’ entries in the live numbers, with nothing that leads back to them', async () => {
  const created = await call('POST', '/api/journeys', vipsWait());
  expect(created.status).toBe(201);
  const journeyId = created.body.id as string;
  expect((await call('POST', `/api/journeys/${journeyId}/publish`, {})).status).toBe(201);

  const ann = await createContact(env, { email: 'ann@erased-entries.test', tags: ['vip'] });
  const bob = await createContact(env, { email: 'bob@erased-entries.test' });
  const cy = await createContact(env, { email: 'cy@erased-entries.test', tags: ['vip'] });
  const dan = await createContact(env, { email: 'dan@erased-entries.test' });
  const fay = await createContact(env, { email: 'fay@erased-entries.test' });
  const gil = await createContact(env, { email: 'gil@erased-entries.test', tags: ['vip'] });
  const erased = [ann, bob, cy, dan, fay];

  // Bob goes through twice; Ann, Cy and Gil wait; Dan is done; Fay's run failed.
  await enrolled(journeyId, bob);
  await eventually(async () => (await stats(journeyId)).runs.completed === 1);
  for (const contactId of [bob, ann, cy, dan, gil]) await enrolled(journeyId, contactId);
  await failedRun(journeyId, fay);
  await eventually(async () => {
    const { runs, nodes } = await stats(journeyId);
    return runs.completed === 3 && runs.active === 3 && nodes.wait?.waiting === 3;
  });
  const before = await stats(journeyId);
  // The If/else counts its ways out too; they must still add up once people are erased.
  expect(before.nodes).toEqual({
    vip: { entered: 7, waiting: 0, completed: 7, failed: 0, ports: { yes: 3, no: 4 } },
    wait: { entered: 3, waiting: 3, completed: 0, failed: 0, ports: {} },
    tag: { entered: 4, waiting: 0, completed: 3, failed: 1, ports: {} },
    exit: { entered: 3, waiting: 0, completed: 3, failed: 0, ports: {} },
  });
  expect(before.runs).toMatchObject({ active: 3, completed: 3, failed: 1, cancelled: 0 });
  const runIds = (
    await env.db.sql<{ id: string }[]>`
      select id::text from journey_runs where contact_id = any(${erased}::uuid[])`
  ).map((r) => r.id);
  expect(runIds).toHaveLength(6);

  // A merge moves no run: Cy's run, now Dan's person's, counts once, and still once when erased.
  const merged = await call('POST', `/api/contacts/${dan}/merge`, { otherId: cy });
  expect(merged.status).toBe(200);
  expect(await stats(journeyId)).toEqual(before);

  // Finished entries: the numbers do not move.
  await erase(bob);
  expect(await stats(journeyId)).toEqual(before);
  await erase(fay);
  expect(await stats(journeyId)).toEqual(before);

  // Entries in progress end with the erasure: still entries, no longer waiting.
  await erase(ann);
  await erase(dan);
  const after = await stats(journeyId);
  expect(after.nodes).toEqual({
    ...before.nodes,
    wait: { entered: 3, waiting: 1, completed: 2, failed: 0, ports: {} },
  });
  expect(after.runs).toEqual({ ...before.runs, active: 1, cancelled: 2 });
  const waitingNow = await call('GET', `/api/journeys/${journeyId}/nodes/wait/waiting`);
  expect(waitingNow.body.contacts).toEqual([expect.objectContaining({ contactId: gil })]);

  // Nothing of the five people remains: not their runs or steps, and only numbers in the counts.
  expect(
    await env.db.sql`
      select 1 from journey_runs where id = any(${runIds}::uuid[])
      union all select 1 from run_steps where run_id = any(${runIds}::uuid[])`,
  ).toHaveLength(0);
  const columns = await env.db.sql<{ table: string; column: string }[]>`
    select table_name as table, column_name as column from information_schema.columns
    where table_name in ('journey_erased_steps', 'journey_erased_runs', 'journey_erased_ports')
    order by table_name, ordinal_position`;
  expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual([
    'journey_erased_ports.journey_id',
    'journey_erased_ports.node_id',
    'journey_erased_ports.port',
    'journey_erased_ports.completed',
    'journey_erased_runs.journey_id',
    'journey_erased_runs.status',
    'journey_erased_runs.runs',
    'journey_erased_steps.journey_id',
    'journey_erased_steps.node_id',
    'journey_erased_steps.entered',
    'journey_erased_steps.completed',
    'journey_erased_steps.failed',
  ]);
  const kept = await env.db.sql<{ row: string }[]>`
    select to_jsonb(s)::text as row from journey_erased_steps s
    union all select to_jsonb(r)::text from journey_erased_runs r`;
  expect(kept.length).toBeGreaterThan(0);
  for (const { row } of kept) {
    for (const id of [...erased, ...runIds]) expect(row).not.toContain(id);
    expect(row).not.toMatch(/erased-entries\.test/);
  }
});
