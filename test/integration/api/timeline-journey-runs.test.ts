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

  it('shows each run’s entry by its trigger, and its end when no step says it, across pages', async () => {
    const [contact] = await db.sql<{ id: string }[]>`
      insert into contacts (workspace_id, email) values (${db.workspaceId}, 'cy@example.com')
      returning id`;
    const [vip] = await db.sql<{ id: string }[]>`
      insert into segments (workspace_id, name, kind) values (${db.workspaceId}, 'VIP', 'static')
      returning id`;
    const journeyOf = async (name: string, trigger: object) => {
      const [journey] = await db.sql<{ id: string }[]>`
        insert into journeys (workspace_id, name, draft)
        values (${db.workspaceId}, ${name}, '{}') returning id`;
      const document = {
        nodes: [
          { id: 'trigger', position: { x: 0, y: 0 }, ...trigger },
          {
            id: 'wait_1',
            kind: 'wait.delay',
            position: { x: 0, y: 0 },
            config: { duration: '3d' },
          },
        ],
        edges: [],
      };
      const [version] = await db.sql<{ id: string }[]>`
        insert into journey_versions (workspace_id, journey_id, version, document, plan, trigger_kind)
        values (${db.workspaceId}, ${journey!.id}, 1, ${db.sql.json(document)}, '{}', 'event')
        returning id`;
      return { journeyId: journey!.id, versionId: version!.id };
    };
    const postPurchase = await journeyOf('Post-purchase', {
      kind: 'trigger.event',
      config: { event: 'order.completed', entryKey: 'orderId' },
    });
    const welcome = await journeyOf('VIP welcome', {
      kind: 'trigger.segment_entered',
      config: { segmentId: vip!.id },
    });
    const onboarding = await journeyOf('Onboarding', { kind: 'trigger.manual', config: {} });
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 9, minute));
    const run = async (
      journey: { journeyId: string; versionId: string },
      entry: object,
      key: string,
      status: string,
      started: Date,
      ended: Date | null,
      steps: [Date, Date | null, string, object][],
    ) => {
      const [row] = await db.sql<{ id: string }[]>`
        insert into journey_runs (id, workspace_id, journey_id, version_id, contact_id,
          workflow_id, entry_key, entry, status, started_at, ended_at)
        values (gen_random_uuid(), ${db.workspaceId}, ${journey.journeyId}, ${journey.versionId},
          ${contact!.id}, ${`run-${crypto.randomUUID()}`}, ${key}, ${db.sql.json(entry as never)},
          ${status}, ${started}, ${ended})
        returning id`;
      for (const [i, [entered, left, outcome, why]] of steps.entries()) {
        await db.sql`
          insert into run_steps (run_id, seq, workspace_id, journey_id, version_id, node_id, kind,
            visit, entered_at, left_at, outcome, why)
          values (${row!.id}, ${i + 1}, ${db.workspaceId}, ${journey.journeyId},
            ${journey.versionId}, 'wait_1', 'wait.delay', 1, ${entered}, ${left}, ${outcome},
            ${db.sql.json(why as never)})`;
      }
      return row!.id;
    };
    // An order's run that finished, a VIP's run taken out while it waited, one enrolled by hand
    // still waiting.
    const order = await run(
      postPurchase,
      { kind: 'event', eventId: '7', name: 'order.completed', key: 'ORD-1042' },
      'ORD-1042',
      'completed',
      at(0),
      at(10),
      [[at(0), at(10), 'done', {}]],
    );
    const taken = await run(
      welcome,
      { kind: 'segment', changeId: '3', segmentId: vip!.id, change: 'entered' },
      '',
      'cancelled',
      at(20),
      at(25),
      [[at(20), at(25), 'exited', { runEnded: 'cancelled' }]],
    );
    const enrolled = await run(
      onboarding,
      { kind: 'manual', enrolmentId: null },
      '',
      'active',
      at(30),
      null,
      [[at(30), null, 'waiting', {}]],
    );

    // Two lines a page: each line once, newest first, the cursor cutting between a run's lines.
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await test.call(
        'GET',
        `/api/contacts/${contact!.id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(items.map((i) => [i.kind, i.id, i.at])).toEqual([
      ['journey_step', `${enrolled}:1`, at(30).toISOString()],
      ['journey_run', `${enrolled}:entered`, at(30).toISOString()],
      ['journey_run', `${taken}:ended`, at(25).toISOString()],
      ['journey_step', `${taken}:1`, at(25).toISOString()],
      ['journey_run', `${taken}:entered`, at(20).toISOString()],
      ['journey_run', `${order}:ended`, at(10).toISOString()],
      ['journey_step', `${order}:1`, at(10).toISOString()],
      ['journey_run', `${order}:entered`, at(0).toISOString()],
    ]);
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(`${order}:entered`)).toMatchObject({
      change: 'entered',
      journeyName: 'Post-purchase',
      entryKey: 'ORD-1042',
      entryKeyPath: 'orderId',
      trigger: { kind: 'event', name: 'order.completed' },
      triggerStep: 'When a contact places an order (once per orderId)',
    });
    expect(byId.get(`${order}:ended`)).toMatchObject({ change: 'ended', status: 'completed' });
    expect(byId.get(`${taken}:entered`)).toMatchObject({
      journeyName: 'VIP welcome',
      entryKey: null,
      trigger: { kind: 'segment', segmentId: vip!.id, change: 'entered' },
      segmentName: 'VIP',
    });
    expect(byId.get(`${taken}:ended`)).toMatchObject({ status: 'cancelled' });
    // The wait it was taken out of says so, not that an exit condition was met.
    expect(byId.get(`${taken}:1`)).toMatchObject({ outcome: 'exited', runEnded: 'cancelled' });
    expect(byId.get(`${enrolled}:entered`)).toMatchObject({
      trigger: { kind: 'manual', enrolmentId: null },
      status: 'active',
    });
    expect(byId.has(`${enrolled}:ended`)).toBe(false);
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
