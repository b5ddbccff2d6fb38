import { afterAll, beforeAll, expect, it } from 'vitest';
import { compile, postPurchaseFlow } from '@relance/flow';
import { createHarness, DAY, HOUR, startRun, timeline, type Harness } from './harness';
import { stepTrail } from './stub-world';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.env.teardown();
});

const plan = compile(
  postPurchaseFlow({ templates: { tips: 'tips', crossSell: 'cross', review: 'review' } }),
);
const entry = { kind: 'event', eventId: '42', name: 'order.completed', key: 'order-7' } as const;

it('sends the post-purchase sequence at +3 days, +1 week and +1 month, once each', async () => {
  const run = await startRun(h, plan, { entry });
  const outcome = await run.result();
  await run.stop();

  expect(outcome).toMatchObject({ status: 'completed' });
  expect(timeline(run.world, run.t0)).toEqual([
    ['email:tips@send_tips', 3 * DAY],
    ['email:cross@send_cross_sell', 7 * DAY],
    ['email:review@send_review', 30 * DAY],
  ]);
  // One idempotency key per send: workflow id, run id, node, visit.
  const keys = run.world.effects.map((e) => e.key);
  expect(new Set(keys).size).toBe(3);
  expect(keys[0]).toMatch(new RegExp(`^${run.handle.workflowId}:[0-9a-f-]{36}:send_tips:1$`));
  expect(stepTrail(run.world)).toEqual([
    'wait_tips:out',
    'send_tips:out',
    'wait_cross_sell:out',
    'send_cross_sell:out',
    'wait_review:out',
    'send_review:out',
    'exit:done',
  ]);
  expect(run.world.ended).toMatchObject({ status: 'completed' });
});

it('defers a send held back by quiet hours or the frequency cap and sends it at retryAt', async () => {
  const run = await startRun(h, plan, {
    entry,
    world: {
      emailAnswers: [
        // The first send falls in quiet hours: the email package says "not before +3d 8h".
        { outcome: 'deferred', reason: 'quiet hours', retryAt: '' },
      ],
    },
  });
  // retryAt is absolute: computed from the run's start once it is known.
  run.world.emailAnswers[0]!.retryAt = new Date(run.t0 + 3 * DAY + 8 * HOUR).toISOString();
  await run.result();
  await run.stop();
  expect(timeline(run.world, run.t0)).toEqual([
    ['email:tips@send_tips', 3 * DAY + 8 * HOUR],
    // The next wait starts when the deferred send went out.
    ['email:cross@send_cross_sell', 7 * DAY + 8 * HOUR],
    ['email:review@send_review', 30 * DAY + 8 * HOUR],
  ]);
  const tips = [...run.world.steps.values()].find((s) => s.nodeId === 'send_tips');
  expect(tips?.why).toMatchObject({ outcome: 'sent', deferredUntil: [expect.any(String)] });
});

it('holds a run before its next send while the journey is paused and releases it on resume', async () => {
  const run = await startRun(h, plan, { entry });
  await run.sleep(2 * DAY);
  run.world.paused = true;
  await run.sleep(3 * DAY); // the tips email came due at +3d while paused
  expect(run.world.effects).toEqual([]);
  expect(await run.handle.query('journeyRun.view')).toMatchObject({
    state: 'held',
    nodeId: 'send_tips',
  });
  run.world.paused = false;
  await run.handle.signal('journeyRun.resume');
  await run.result();
  await run.stop();
  const [first] = timeline(run.world, run.t0);
  expect(first).toEqual(['email:tips@send_tips', 5 * DAY]);
  expect(run.world.effects).toHaveLength(3);
});
