import { afterAll, beforeAll, expect, it } from 'vitest';
import { compile, reactivationFlow } from '@relance/flow';
import { createHarness, DAY, startRun, timeline, type Harness } from './harness';
import { stepTrail } from './stub-world';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.env.teardown();
});

const segments = {
  inactive: 'inactive',
  reactivation: 'reactivation',
  active: 'active',
  dormant: 'dormant',
};
const plan = compile(reactivationFlow({ segments, templates: { winBack: 'win-back' } }));
// The segment engine's tick puts the contact into "inactive" exactly 15 days after the last
// click and hands the change to the dispatcher, which starts the run with this entry.
const entry = { kind: 'segment', changeId: '9', segmentId: 'inactive', change: 'entered' } as const;
const lastClickAt = -15 * DAY;

function world() {
  return {
    segments: new Set(['active', 'inactive']),
    // The click 15 days ago is history: it must not count as a reaction to the win-back email.
    events: [{ id: '500', name: 'email.clicked', properties: {}, at: lastClickAt }],
  };
}

it('reactivation, click branch: win-back on entry, a click 2 days later moves the contact back to Active', async () => {
  const run = await startRun(h, plan, { entry, world: world() });
  await run.sleep(2 * DAY);
  await run.event('email.clicked', { url: 'https://shop.example/offer' });
  expect(await run.result()).toMatchObject({ status: 'completed' });
  await run.stop();

  expect(timeline(run.world, run.t0)).toEqual([
    ['action.segment@to_reactivation', 0],
    ['email:win-back@send_win_back', 0],
    ['action.segment@back_to_active', 2 * DAY],
  ]);
  expect([...run.world.segments].sort()).toEqual(['active', 'inactive']);
  expect(stepTrail(run.world)).toEqual([
    'to_reactivation:out',
    'send_win_back:out',
    'wait_click:event',
    'back_to_active:out',
    'exit_active:done',
  ]);
  const wait = [...run.world.steps.values()].find((s) => s.nodeId === 'wait_click');
  expect(wait?.why).toEqual({ eventId: '1001' });
});

it('reactivation, dormant branch: no click within 7 more days moves the contact to Dormant and mailing stops', async () => {
  const run = await startRun(h, plan, { entry, world: world() });
  expect(await run.result()).toMatchObject({ status: 'completed' });
  await run.stop();

  expect(timeline(run.world, run.t0)).toEqual([
    ['action.segment@to_reactivation', 0],
    ['email:win-back@send_win_back', 0],
    ['action.segment@to_dormant', 7 * DAY],
  ]);
  expect([...run.world.segments].sort()).toEqual(['dormant', 'inactive']);
  expect(run.world.effects.filter((e) => e.kind === 'email')).toHaveLength(1);
  expect(stepTrail(run.world)).toEqual([
    'to_reactivation:out',
    'send_win_back:out',
    'wait_click:timeout',
    'to_dormant:out',
    'exit_dormant:done',
  ]);
  // 7 days after entering Reactivation, 22 days after the last click.
  expect(run.world.ended!.at - run.t0 - lastClickAt).toBeGreaterThanOrEqual(22 * DAY);
});

it('does not wait for a click that already arrived before the wait began', async () => {
  const run = await startRun(h, plan, {
    entry,
    world: {
      ...world(),
      // The click is recorded while the email is being sent, before the run reaches its wait
      // (and no signal is sent): the wait must find it in Postgres on arrival.
      onSend: (w) => w.events.push({ id: '600', name: 'email.clicked', properties: {}, at: 0 }),
    },
  });
  await run.result();
  await run.stop();
  expect(stepTrail(run.world)).toContain('wait_click:event');
  expect(timeline(run.world, run.t0).at(-1)).toEqual(['action.segment@back_to_active', 0]);
});
