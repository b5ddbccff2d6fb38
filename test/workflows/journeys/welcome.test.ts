import { afterAll, beforeAll, expect, it } from 'vitest';
import { compile, welcomeByInterestFlow } from '@relance/flow';
import { createHarness, DAY, HOUR, startRun, timeline, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.env.teardown();
});

const plan = compile(
  welcomeByInterestFlow({
    interests: [
      { id: 'shoes', label: 'Shoes', value: 'shoes', templates: ['shoes-1', 'shoes-2'] },
      { id: 'bags', label: 'Bags', value: 'bags', templates: ['bags-1', 'bags-2'] },
    ],
    fallbackTemplates: ['general-1'],
    segments: { nurture: 'nurture' },
  }),
);
const entry = { kind: 'event', eventId: '1', name: 'form.submitted', key: null } as const;
const signup = (interest: string) => ({
  contact: { properties: { interest }, tags: [], score: 0 },
  events: [{ id: '1', name: 'form.submitted', properties: { form: 'signup' }, at: 0 }],
});

it('an engaged "shoes" contact gets the shoes series, +5 score per open, and moves to nurture', async () => {
  const run = await startRun(h, plan, { entry, world: signup('shoes') });
  await run.sleep(HOUR);
  await run.event('email.opened');
  await run.sleep(2 * HOUR);
  await run.event('email.opened');
  expect(await run.result()).toMatchObject({ status: 'completed' });
  await run.stop();

  expect(timeline(run.world, run.t0)).toEqual([
    ['email:shoes-1@shoes_1_send', 0],
    ['action.score@shoes_1_score', HOUR],
    // Opened: the series goes on at once rather than after the 2-day timeout.
    ['email:shoes-2@shoes_2_send', HOUR],
    ['action.score@shoes_2_score', 3 * HOUR],
    ['action.segment@to_nurture', 3 * HOUR],
  ]);
  expect(run.world.contact.score).toBe(10);
  expect(run.world.segments.has('nurture')).toBe(true);
});

it('a "bags" contact who never opens gets the bags series 2 days apart and is not nurtured', async () => {
  const run = await startRun(h, plan, { entry, world: signup('bags') });
  await run.result();
  await run.stop();
  expect(timeline(run.world, run.t0)).toEqual([
    ['email:bags-1@bags_1_send', 0],
    ['email:bags-2@bags_2_send', 2 * DAY],
  ]);
  expect(run.world.ended!.at - run.t0).toBeGreaterThanOrEqual(4 * DAY);
  expect(run.world.contact.score).toBe(0);
  expect(run.world.segments.has('nurture')).toBe(false);
});

it('a contact with another interest gets the fallback series', async () => {
  const run = await startRun(h, plan, { entry, world: signup('hats') });
  await run.result();
  await run.stop();
  expect(timeline(run.world, run.t0)).toEqual([['email:general-1@else_1_send', 0]]);
  const step = [...run.world.steps.values()].find((s) => s.nodeId === 'by_interest');
  expect(step).toMatchObject({ port: 'else', why: { case: 'else' } });
});
