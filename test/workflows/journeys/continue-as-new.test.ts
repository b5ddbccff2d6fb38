import { afterAll, beforeAll, expect, it } from 'vitest';
import { compile, createDocumentBuilder, postPurchaseFlow } from '@relance/flow';
import { HISTORY_BUDGET } from '@relance/workflows/run-io';
import { createHarness, DAY, HOUR, startRun, timeline, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.env.teardown();
});

const LAPS = 150;

/** Every hour, +1 score, until the score reaches LAPS: a loop far longer than one history. */
function loopPlan() {
  const b = createDocumentBuilder('Hourly loop');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait', 'wait.delay', { duration: '1h' }, 0, 1);
  b.node('score', 'action.score', { delta: 1 }, 0, 2);
  b.node(
    'enough',
    'logic.condition',
    { condition: { kind: 'score', op: 'gte', value: LAPS } },
    0,
    3,
  );
  b.node('exit', 'logic.exit', {}, 0, 4);
  b.edge('trigger', 'wait');
  b.edge('wait', 'score');
  b.edge('score', 'enough');
  b.edge('enough', 'exit', 'yes');
  b.edge('enough', 'wait', 'no');
  return compile(b.build());
}

it('continues as new before the history grows past its budget, without losing or repeating a step', async () => {
  const run = await startRun(h, loopPlan());
  expect(await run.result()).toMatchObject({ status: 'completed' });
  const description = await run.handle.describe();
  await run.stop();

  // The run went through several executions, each read back from Postgres.
  expect(run.world.loads).toBeGreaterThanOrEqual(2);
  expect(description.runId).not.toBe(run.handle.firstExecutionRunId);
  expect(description.historyLength).toBeLessThan(HISTORY_BUDGET + 100);

  // Every lap exactly once, an hour apart, with its own visit number in the key.
  const laps = timeline(run.world, run.t0);
  expect(laps).toEqual(
    Array.from({ length: LAPS }, (_, i) => ['action.score@score', (i + 1) * HOUR]),
  );
  const visits = run.world.effects.map((e) => Number(e.key.split(':').at(-1)));
  expect(visits).toEqual(Array.from({ length: LAPS }, (_, i) => i + 1));
  expect(run.world.effects.every((e) => e.kind === 'action' && !e.replayed)).toBe(true);
  expect(run.world.contact.score).toBe(LAPS);
  // Steps keep numbering across executions: one per node entered, no gaps.
  const seqs = [...run.world.steps.keys()].sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  expect(seqs.length).toBe(LAPS * 3 + 1);
});

it('continues as new in the middle of a long wait flooded with signals and keeps its deadline', async () => {
  const plan = compile(
    postPurchaseFlow({ templates: { tips: 'tips', crossSell: 'cross', review: 'review' } }),
  );
  const run = await startRun(h, plan, {
    entry: { kind: 'event', eventId: '1', name: 'order.completed', key: 'o-1' },
  });
  await run.sleep(DAY);
  // Wake-ups this run does not wait for still grow its history, one event per signal at least.
  for (let i = 0; i < 16; i++) {
    await Promise.all(Array.from({ length: 100 }, () => run.notify({ kind: 'contact' })));
  }
  await run.result();
  await run.stop();
  expect(run.world.loads).toBeGreaterThanOrEqual(1);
  expect(timeline(run.world, run.t0)).toEqual([
    ['email:tips@send_tips', 3 * DAY],
    ['email:cross@send_cross_sell', 7 * DAY],
    ['email:review@send_review', 30 * DAY],
  ]);
});
