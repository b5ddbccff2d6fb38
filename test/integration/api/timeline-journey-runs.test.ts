import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// A post-purchase journey on a contact's timeline, as its marketer reads it: the If/else in the
// journey's own words ("placed an order"), a wait when it ended and as the run went through it
// after being moved to version 2, and which order each run is about when there are two.

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

const documentWith = (wait: string) => ({
  nodes: [
    {
      id: 'trigger',
      kind: 'trigger.event',
      position: { x: 0, y: 0 },
      config: { event: 'order.completed', entryKey: 'orderId' },
    },
    { id: 'wait_1', kind: 'wait.delay', position: { x: 0, y: 0 }, config: { duration: wait } },
    {
      id: 'no_new_order',
      kind: 'logic.condition',
      position: { x: 0, y: 0 },
      config: {
        condition: {
          kind: 'all',
          conditions: [
            {
              kind: 'event_count',
              event: 'order.completed',
              op: 'at_most',
              count: 0,
              sinceEntry: true,
            },
          ],
        },
      },
    },
  ],
  edges: [],
});

describe('a post-purchase journey on a contact’s timeline', () => {
  it('reads as the journey does, places a wait when it ended, and names each run’s order', async () => {
    const [contact] = await db.sql<{ id: string }[]>`
      insert into contacts (workspace_id, email) values (${db.workspaceId}, 'ada@example.com')
      returning id`;
    const [journey] = await db.sql<{ id: string }[]>`
      insert into journeys (workspace_id, name, draft)
      values (${db.workspaceId}, 'Post-purchase', '{}') returning id`;
    const versions: string[] = [];
    for (const [n, wait] of [
      [1, '2m'],
      [2, '4m'],
    ] as const) {
      const [version] = await db.sql<{ id: string }[]>`
        insert into journey_versions (workspace_id, journey_id, version, document, plan, trigger_kind)
        values (${db.workspaceId}, ${journey!.id}, ${n}, ${db.sql.json(documentWith(wait))}, '{}',
          'event')
        returning id`;
      versions.push(version!.id);
    }
    const [v1, v2] = versions;
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 7, minute));
    // The first order's run began on version 1 and was moved to version 2 while it waited.
    const runOf = async (key: string, workflowId: string, started: Date) => {
      const [run] = await db.sql<{ id: string }[]>`
        insert into journey_runs (id, workspace_id, journey_id, version_id, contact_id,
          workflow_id, entry_key, entry, status, started_at)
        values (gen_random_uuid(), ${db.workspaceId}, ${journey!.id}, ${v2!}, ${contact!.id},
          ${workflowId}, ${key},
          ${db.sql.json({ kind: 'event', eventId: '1', name: 'order.completed', key })},
          'active', ${started})
        returning id`;
      return run!.id;
    };
    const first = await runOf('ORD-1042', 'run-1', at(16));
    const second = await runOf('ORD-1043', 'run-2', at(30));
    const steps: [
      string,
      number,
      string,
      string,
      string,
      Date,
      Date | null,
      string,
      string | null,
    ][] = [
      [first, 1, v1!, 'trigger', 'trigger.event', at(16), at(16), 'done', null],
      [first, 2, v1!, 'wait_1', 'wait.delay', at(16), at(20), 'done', 'out'],
      [first, 3, v2!, 'no_new_order', 'logic.condition', at(20), at(20), 'done', 'yes'],
      [second, 1, v2!, 'trigger', 'trigger.event', at(30), at(30), 'done', null],
      [second, 2, v2!, 'wait_1', 'wait.delay', at(30), null, 'waiting', null],
    ];
    for (const [run, seq, version, nodeId, kind, entered, left, outcome, port] of steps) {
      await db.sql`
        insert into run_steps (run_id, seq, workspace_id, journey_id, version_id, node_id, kind,
          visit, entered_at, left_at, outcome, port)
        values (${run}, ${seq}, ${db.workspaceId}, ${journey!.id}, ${version}, ${nodeId}, ${kind},
          1, ${entered}, ${left}, ${outcome}, ${port})`;
    }

    const timeline = await test.call('GET', `/api/contacts/${contact!.id}/timeline`);
    expect(timeline.status).toBe(200);
    const lines = (timeline.body.items as any[])
      .filter((i) => i.kind === 'journey_step')
      .map((i) => [i.at, i.nodeId, i.step, i.way, i.entryKey, i.entryKeyPath]);
    expect(lines).toEqual([
      [at(30).toISOString(), 'wait_1', 'Wait 4 minutes', null, 'ORD-1043', 'orderId'],
      [
        at(30).toISOString(),
        'trigger',
        'When a contact places an order (once per orderId)',
        null,
        'ORD-1043',
        'orderId',
      ],
      [
        at(20).toISOString(),
        'no_new_order',
        'If did not place an order since they entered the journey',
        'yes',
        'ORD-1042',
        'orderId',
      ],
      // Listed when it ended, as the run went through it: moved to version 2, it waited 4 minutes.
      [at(20).toISOString(), 'wait_1', 'Wait 4 minutes', null, 'ORD-1042', 'orderId'],
      [
        at(16).toISOString(),
        'trigger',
        'When a contact places an order (once per orderId)',
        null,
        'ORD-1042',
        'orderId',
      ],
    ]);
    const wait = (timeline.body.items as any[]).find((i) => i.id === `${first}:2`);
    expect(wait).toMatchObject({
      enteredAt: at(16).toISOString(),
      leftAt: at(20).toISOString(),
    });
  });

  it('names the template of an email skipped before it had a subject', async () => {
    const template = await test.call('POST', '/api/templates', {
      name: 'Thank you',
      kind: 'transactional',
      from: { name: 'Acme', address: 'news@acme.test' },
      subject: 'Thanks for your order',
      body: { kind: 'html', source: '<p>Thanks</p>' },
    });
    expect(template.status).toBe(201);
    const [contact] = await db.sql<{ id: string }[]>`
      insert into contacts (workspace_id, email) values (${db.workspaceId}, 'bo@example.com')
      returning id`;
    await db.sql`
      insert into email_messages (workspace_id, idempotency_key, contact_id, template_id, kind,
        status, status_reason)
      values (${db.workspaceId}, 'skipped-1', ${contact!.id}, ${template.body.id}, 'marketing',
        'skipped', 'suppressed_unsubscribed')`;
    const timeline = await test.call('GET', `/api/contacts/${contact!.id}/timeline`);
    expect(timeline.body.items[0]).toMatchObject({
      kind: 'message',
      subject: null,
      status: 'skipped',
      templateName: 'Thank you',
    });
  });
});
