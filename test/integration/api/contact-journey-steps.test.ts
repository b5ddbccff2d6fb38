import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// A contact's journeys as the profile words them: each step by what it does, not by its id.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let test: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  test = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

describe('a contact’s journey steps', () => {
  it('read as the canvas words them, with template and segment names and the way taken', async () => {
    const template = await test.call('POST', '/api/templates', {
      name: 'Welcome',
      kind: 'transactional',
      from: { name: 'Acme', address: 'news@acme.test' },
      subject: 'Welcome aboard',
      body: { kind: 'html', source: '<p>Hello</p>' },
    });
    expect(template.status).toBe(201);
    const segment = await test.call('POST', '/api/segments', { kind: 'static', name: 'Dormant' });
    // Archived since: runs that reached it still show its name.
    expect((await test.call('DELETE', `/api/templates/${template.body.id}`)).status).toBe(204);

    const [contact] = await db.sql<{ id: string }[]>`
      insert into contacts (workspace_id, email) values (${db.workspaceId}, 'steps@example.com')
      returning id`;
    const document = {
      nodes: [
        { id: 'trigger_1', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
        {
          id: 'send_email_1',
          kind: 'action.send_email',
          position: { x: 0, y: 0 },
          config: { templateId: template.body.id },
        },
        {
          id: 'condition_1',
          kind: 'logic.condition',
          position: { x: 0, y: 0 },
          config: {
            condition: { kind: 'all', conditions: [{ kind: 'tag', op: 'has', tag: 'vip' }] },
          },
        },
        {
          id: 'segment_1',
          kind: 'action.segment',
          position: { x: 0, y: 0 },
          config: { add: [segment.body.id], remove: [] },
        },
        { id: 'wait_2', kind: 'wait.delay', position: { x: 0, y: 0 }, config: { duration: '3d' } },
      ],
      edges: [],
    };
    const [journey] = await db.sql<{ id: string }[]>`
      insert into journeys (workspace_id, name, draft) values (${db.workspaceId}, 'Onboarding', '{}')
      returning id`;
    const [version] = await db.sql<{ id: string }[]>`
      insert into journey_versions (workspace_id, journey_id, version, document, plan, trigger_kind)
      values (${db.workspaceId}, ${journey!.id}, 2, ${db.sql.json(document)}, '{}', 'manual')
      returning id`;
    const [run] = await db.sql<{ id: string }[]>`
      insert into journey_runs (id, workspace_id, journey_id, version_id, contact_id, workflow_id,
        entry, status, current_node, started_at)
      values (gen_random_uuid(), ${db.workspaceId}, ${journey!.id}, ${version!.id}, ${contact!.id},
        'run-words', '{}', 'held', 'wait_2', now() - interval '1 hour')
      returning id`;
    const steps = [
      ['trigger_1', 'trigger.manual', 'done', null],
      ['send_email_1', 'action.send_email', 'done', 'out'],
      ['condition_1', 'logic.condition', 'done', 'yes'],
      ['segment_1', 'action.segment', 'done', 'out'],
      ['wait_2', 'wait.delay', 'held', null],
    ] as const;
    for (const [seq, [nodeId, kind, outcome, port]] of steps.entries()) {
      await db.sql`
        insert into run_steps (run_id, seq, workspace_id, journey_id, version_id, node_id, kind,
          visit, entered_at, outcome, port)
        values (${run!.id}, ${seq + 1}, ${db.workspaceId}, ${journey!.id}, ${version!.id},
          ${nodeId}, ${kind}, 1, now() - interval '1 hour' + ${seq} * interval '1 minute',
          ${outcome}, ${port})`;
    }
    await db.sql`
      insert into email_messages (workspace_id, idempotency_key, contact_id, kind, subject, status,
        status_reason, deferred_until)
      values (${db.workspaceId}, 'words-1', ${contact!.id}, 'marketing', 'Tips', 'pending',
        'quiet_hours', '2030-01-02T07:00:00Z')`;

    const timeline = await test.call('GET', `/api/contacts/${contact!.id}/timeline`);
    expect(timeline.status).toBe(200);
    const words = (timeline.body.items as any[])
      .filter((i) => i.kind === 'journey_step')
      .map((i) => [i.nodeId, i.step, i.way]);
    expect(words).toEqual([
      ['wait_2', 'Wait 3 days', null],
      ['segment_1', 'Add to Dormant', null],
      ['condition_1', "If has tag 'vip'", 'yes'],
      ['send_email_1', "Send 'Welcome'", null],
      ['trigger_1', 'When enrolled by hand or through the API', null],
    ]);
    const held = (timeline.body.items as any[]).find((i) => i.kind === 'message');
    expect(held).toMatchObject({ status: 'pending', statusReason: 'quiet_hours' });
    expect(new Date(held.deferredUntil).toISOString()).toBe('2030-01-02T07:00:00.000Z');

    const runs = await test.call('GET', `/api/contacts/${contact!.id}/runs`);
    expect(runs.status).toBe(200);
    expect(runs.body.runs[0]).toMatchObject({
      version: 2,
      status: 'held',
      currentNode: 'wait_2',
      currentStep: 'Wait 3 days',
    });
  });
});
