// Three limits of the journey runtime: a cancel that lands while the run's row is written, an
// event wait answered by events from before it, a time of day read in a zone that has changed.

import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { temporal as proto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compile, createDocumentBuilder } from '@relance/flow';
import { toLocal } from '@relance/flow/runtime';
import { createHarness, DAY, startRun, timeline, type Harness } from './harness';
import { stepTrail, type World } from './stub-world';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.env.teardown();
});

/** trigger → wait `first` → then (a wait for a purchase, or 09:00) → email. */
function plan(first: string, then: 'purchase' | 'nine') {
  const b = createDocumentBuilder('Limits');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('delay', 'wait.delay', { duration: first }, 0, 1);
  b.edge('trigger', 'delay');
  b.node('exit', 'logic.exit', {}, 0, 4);
  if (then === 'purchase') {
    b.node('wait', 'wait.event', { event: 'order.completed', timeout: '7d' }, 0, 2);
    b.node('thanks', 'action.send_email', { templateId: 'thanks' }, 0, 3);
    b.node('nudge', 'action.send_email', { templateId: 'nudge' }, 1, 3);
    b.edge('delay', 'wait');
    b.edge('wait', 'thanks', 'event');
    b.edge('wait', 'nudge', 'timeout');
    b.edge('thanks', 'exit');
    b.edge('nudge', 'exit');
  } else {
    b.node('wait', 'wait.until', { time: '09:00' }, 0, 2);
    b.node('morning', 'action.send_email', { templateId: 'morning' }, 0, 3);
    b.edge('delay', 'wait');
    b.edge('wait', 'morning');
    b.edge('morning', 'exit');
  }
  return compile(b.build());
}

/** A `whileStarting` hook that holds `activity` (beginRun or loadRun) until released. */
function heldStart(activity: 'beginRun' | 'loadRun') {
  let entered!: () => void;
  let release!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const world: Partial<World> = {
    whileStarting: async (called) => {
      if (called !== activity) return;
      entered();
      await released;
    },
  };
  return { world, inside, release };
}

/** Lets a run continue as new: signals it does not wait for grow its history past the budget. */
async function flood(notify: (n: { kind: 'contact' }) => Promise<void>) {
  for (let i = 0; i < 16; i++) {
    await Promise.all(Array.from({ length: 100 }, () => notify({ kind: 'contact' })));
  }
}

it('ends the row as cancelled when the run is cancelled while its row is being written', async () => {
  const held = heldStart('beginRun');
  const run = await startRun(h, plan('1d', 'purchase'), { world: held.world });
  await held.inside;
  await run.handle.cancel();
  // Time for the workflow to take the cancel while beginRun still runs.
  await delay(1_500);
  held.release();
  await expect(run.result()).rejects.toThrow();
  await run.stop();
  expect(run.world.ended).toMatchObject({ status: 'cancelled' });
  expect(run.world.effects).toEqual([]);
});

it('ends the row as cancelled when the run is cancelled while it is read back after continuing as new', async () => {
  const held = heldStart('loadRun');
  const run = await startRun(h, plan('10d', 'purchase'), { world: held.world });
  await run.sleep(DAY);
  await flood((n) => run.notify(n));
  await held.inside;
  await run.handle.cancel();
  await delay(1_500);
  held.release();
  await expect(run.result()).rejects.toThrow();
  await run.stop();
  expect(run.world.loads).toBeGreaterThanOrEqual(1);
  expect(run.world.ended).toMatchObject({ status: 'cancelled' });
});

it('a wait for an event counts only events received after the run stopped waiting before it', async () => {
  const run = await startRun(h, plan('3d', 'purchase'));
  await run.sleep(DAY);
  // Bought during the 3-day delay: not an answer to "wait 7 days for a purchase" after it.
  await run.event('order.completed', { total: 10 });
  await run.sleep(4 * DAY);
  // Day 5, two days into the wait: this one is.
  await run.event('order.completed', { total: 20 });
  await run.result();
  await run.stop();
  expect(stepTrail(run.world)).toEqual(['delay:out', 'wait:event', 'thanks:out', 'exit:done']);
  const wait = [...run.world.steps.values()].find((s) => s.nodeId === 'wait');
  expect(wait?.why).toEqual({ eventId: '1002' });
  expect(timeline(run.world, run.t0)).toEqual([['email:thanks@thanks', 5 * DAY]]);
});

it('times out when the only event came before the wait', async () => {
  const run = await startRun(h, plan('3d', 'purchase'));
  await run.sleep(DAY);
  await run.event('order.completed');
  await run.result();
  await run.stop();
  expect(stepTrail(run.world)).toEqual(['delay:out', 'wait:timeout', 'nudge:out', 'exit:done']);
  expect(timeline(run.world, run.t0)).toEqual([['email:nudge@nudge', 10 * DAY]]);
});

it('keeps an event that came during the wait when the run continues as new inside it', async () => {
  const run = await startRun(h, plan('1d', 'purchase'));
  await run.sleep(2 * DAY);
  // Recorded during the wait, its signal lost: the resumed wait must still find it.
  run.world.events.push({
    id: '5000',
    name: 'order.completed',
    properties: {},
    at: await h.env.currentTimeMs(),
  });
  await flood((n) => run.notify(n));
  await run.result();
  await run.stop();
  expect(run.world.loads).toBeGreaterThanOrEqual(1);
  expect(stepTrail(run.world)).toEqual(['delay:out', 'wait:event', 'thanks:out', 'exit:done']);
  const wait = [...run.world.steps.values()].find((s) => s.nodeId === 'wait');
  expect(wait?.why).toEqual({ eventId: '5000' });
});

it('a wait until 09:00 reads the contact’s time zone when it is reached, not when the run began', async () => {
  const run = await startRun(h, plan('1d', 'nine'), { world: { timeZone: 'Asia/Tokyo' } });
  await run.sleep(DAY / 2);
  // The contact moved (or the workspace changed its zone) during the delay.
  run.world.timeZone = 'America/New_York';
  await run.result();
  await run.stop();
  const [sent] = run.world.effects;
  const local = toLocal(sent!.at, 'America/New_York');
  expect([local.hour, local.minute]).toEqual([9, 0]);
  expect(sent!.at - run.t0).toBeGreaterThan(DAY);
  expect(sent!.at - run.t0).toBeLessThanOrEqual(2 * DAY);
});

// Recorded from the previous interpreter with the stub activities on the time-skipping server,
// through History.toObject (the scenarios above): runs open when the new code is deployed
// replay these histories on it.
it.each([
  ['a cancel that landed while beginRun ran', 'run-cancelled-while-starting-before-shield.json'],
  [
    'a purchase wait answered by a purchase during the delay',
    'wait-event-old-event-before-since.json',
  ],
  ['a wait until 09:00 in the zone read at the start', 'wait-until-zone-at-start-before-read.json'],
])('replays a history written before the change: %s', async (_, file) => {
  const recorded: unknown = JSON.parse(
    await readFile(new URL(`../histories/${file}`, import.meta.url), 'utf8'),
  );
  await Worker.runReplayHistory(
    { workflowBundle: h.bundle },
    proto.api.history.v1.History.fromObject(recorded as Record<string, unknown>),
    'run:j1:c1:recorded',
  );
});
