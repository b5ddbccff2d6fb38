import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, postPurchaseFlow } from '@relance/flow';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import {
  countJourneyEntries,
  createJourney,
  eraseContact,
  insertJourneyVersion,
  insertRun,
  upsertSteps,
  type StepWrite,
} from './index';

// The live view of a post-purchase flow says how many entries took each way out of an If/else
// or a switch, not only how many went through it.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const step = (seq: number, over: Partial<StepWrite>): StepWrite => ({
  seq,
  nodeId: 'has_ordered',
  kind: 'logic.condition',
  visit: 1,
  enteredAt: Date.parse('2026-11-25T07:00:00Z'),
  leftAt: Date.parse('2026-11-25T07:00:00Z'),
  outcome: 'done',
  port: 'yes',
  why: {},
  ...over,
});

describe('a journey’s live counts', () => {
  it('count the entries that left a step by each of its ways out', async () => {
    const document = postPurchaseFlow({ templates: { tips: 't1', crossSell: 't2', review: 't3' } });
    const journey = await createJourney(db.sql, {
      workspaceId: db.workspaceId,
      name: 'Post-purchase',
      draft: document,
    });
    const version = await db.sql.begin((tx) =>
      insertJourneyVersion(tx, {
        workspaceId: db.workspaceId,
        journeyId: journey.id,
        document,
        plan: compile(document),
      }),
    );
    const [contact] = await db.sql<{ id: string }[]>`
      insert into contacts (workspace_id, email) values (${db.workspaceId}, 'ada@example.com')
      returning id`;
    /** A run of Ada's for one order, through these steps. */
    const runThrough = async (key: string, steps: Parameters<typeof upsertSteps>[2]) => {
      const runId = crypto.randomUUID();
      await insertRun(db.sql, {
        id: runId,
        workspaceId: db.workspaceId,
        journeyId: journey.id,
        versionId: version.id,
        contactId: contact!.id,
        workflowId: `run-${key}`,
        entryKey: `ORD-${key}`,
        entry: {},
        startedAt: new Date(),
      });
      await upsertSteps(
        db.sql,
        { runId, workspaceId: db.workspaceId, journeyId: journey.id, versionId: version.id },
        steps,
      );
    };
    const ports = [
      ['yes', 'case_vip'],
      ['yes', 'else'],
      ['no', 'case_vip'],
    ];
    for (const [i, [condition, choice]] of ports.entries()) {
      await runThrough(String(i), [
        step(1, { nodeId: 'send_tips', kind: 'action.send_email', port: 'out' }),
        step(2, { port: condition! }),
        step(3, { nodeId: 'tier', kind: 'logic.switch', port: choice! }),
        step(4, {
          nodeId: 'wait_event',
          kind: 'wait.event',
          leftAt: null,
          outcome: 'waiting',
          port: null,
        }),
      ]);
    }
    // One more If/else that failed: it took no way out.
    await runThrough('9', [step(1, { outcome: 'failed', port: 'out' })]);

    const { nodes } = await countJourneyEntries(db.sql, journey.id);
    expect(nodes.has_ordered).toEqual({
      entered: 4,
      waiting: 0,
      completed: 3,
      failed: 1,
      ports: { yes: 2, no: 1 },
    });
    expect(nodes.tier).toEqual({
      entered: 3,
      waiting: 0,
      completed: 3,
      failed: 0,
      ports: { case_vip: 2, else: 1 },
    });
    // A step with one way out, or none taken yet, has no ways to count.
    expect(nodes.send_tips!.ports).toEqual({});
    expect(nodes.wait_event).toEqual({
      entered: 3,
      waiting: 3,
      completed: 0,
      failed: 0,
      ports: {},
    });

    // The person is erased: their steps stay counted, each by the way it was left, so the ways
    // out of the If/else and the switch still add up to what each counts as completed.
    await eraseContact(db.sql, { workspaceId: db.workspaceId, contactId: contact!.id });
    const after = await countJourneyEntries(db.sql, journey.id);
    expect(after.nodes.has_ordered).toEqual({
      entered: 4,
      waiting: 0,
      completed: 3,
      failed: 1,
      ports: { yes: 2, no: 1 },
    });
    expect(after.nodes.tier).toEqual({
      entered: 3,
      waiting: 0,
      completed: 3,
      failed: 0,
      ports: { case_vip: 2, else: 1 },
    });
    expect(after.nodes.send_tips!.ports).toEqual({});
    // The waits still open were left when the person was erased, by no way out.
    expect(after.nodes.wait_event).toEqual({
      entered: 3,
      waiting: 0,
      completed: 3,
      failed: 0,
      ports: {},
    });
  });
});
