// A run held at a step (an email deferred by the frequency cap or quiet hours, an action held
// while its journey is paused) still watches its exit conditions and goals: it leaves when one
// turns true, by time alone or by a change it is told about, not when the hold ends.

import { readFile, writeFile } from 'node:fs/promises';
import { temporal as proto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIN_RECHECK_GAP_MS } from '@relance/activities/journeys/gate';
import { compile, createDocumentBuilder, type Condition } from '@relance/flow';
import { createHarness, DAY, HOUR, startRun, type Harness } from './harness';
import { stepTrail } from './stub-world';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.env.teardown();
});

/** Renews within the next 3 days: true from 3 days before `renews_on`, by time alone. */
const RENEWS_SOON: Condition = {
  kind: 'property',
  property: 'renews_on',
  op: 'within_next',
  value: '3d',
};
const CUSTOMER: Condition = { kind: 'tag', op: 'has', tag: 'customer' };

/** trigger → `action` → exit, watching `exit` and, when given, a goal on `goal`. */
function heldFlow(action: 'email' | 'tag', guard: { exit?: Condition; goal?: Condition }) {
  const b = createDocumentBuilder('Held');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  if (action === 'email') b.node('act', 'action.send_email', { templateId: 'offer' }, 0, 1);
  else b.node('act', 'action.tag', { add: ['offered'], remove: [] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'act');
  b.edge('act', 'exit');
  if (guard.goal) {
    b.node('goal', 'logic.goal', { condition: guard.goal, onMet: 'exit' }, 1, 2);
  }
  const document = b.build();
  return compile({
    ...document,
    settings: { ...document.settings, exitConditions: guard.exit ? [guard.exit] : [] },
  });
}

async function record(run: Awaited<ReturnType<typeof startRun>>, name: string): Promise<void> {
  if (process.env.RECORD_HISTORY !== name) return;
  const history = await run.handle.fetchHistory();
  await writeFile(
    new URL(`../histories/${name}`, import.meta.url),
    JSON.stringify(
      proto.api.history.v1.History.toObject(history as proto.api.history.v1.History, {
        longs: String,
        bytes: String,
      }),
      null,
      2,
    ),
  );
}

const DEFERRED_HISTORY = 'held-email-time-exit-before-watch.json';
const PAUSED_HISTORY = 'paused-action-time-exit-before-watch.json';

it('ends a run whose email the frequency cap holds for 3 days when an exit condition turns true by time', async () => {
  const now = await h.env.currentTimeMs();
  const renewsOn = now + 4 * DAY; // "renews within 3 days" from day 1
  const run = await startRun(h, heldFlow('email', { exit: RENEWS_SOON }), {
    world: {
      contact: { properties: { renews_on: new Date(renewsOn).toISOString() }, tags: [], score: 0 },
      emailAnswers: [{ outcome: 'deferred', reason: 'frequency cap', retryAt: '' }],
    },
    ...(process.env.RECORD_HISTORY === DEFERRED_HISTORY
      ? { workflowId: 'run:j1:c1:recorded-deferred' }
      : {}),
  });
  run.world.emailAnswers[0]!.retryAt = new Date(now + 3 * DAY).toISOString();
  await run.sleep(HOUR);
  expect(await run.handle.query('journeyRun.view')).toMatchObject({
    nodeId: 'act',
    state: 'waiting',
  });
  expect(await run.result()).toMatchObject({ status: 'exited' });
  await record(run, DEFERRED_HISTORY);
  await run.stop();
  expect(run.world.effects).toEqual([]);
  expect(stepTrail(run.world)).toEqual(['act:exited']);
  const flip = renewsOn - 3 * DAY;
  expect(run.world.ended!.at - flip).toBeGreaterThanOrEqual(0);
  expect(run.world.ended!.at - flip).toBeLessThanOrEqual(MIN_RECHECK_GAP_MS);
});

it('reaches a goal met while an email is held by quiet hours, when told, not when the hold ends', async () => {
  const now = await h.env.currentTimeMs();
  const run = await startRun(h, heldFlow('email', { goal: CUSTOMER }), {
    world: { emailAnswers: [{ outcome: 'deferred', reason: 'quiet hours', retryAt: '' }] },
  });
  run.world.emailAnswers[0]!.retryAt = new Date(now + 10 * HOUR).toISOString();
  await run.sleep(2 * HOUR);
  run.world.contact.tags.push('customer');
  const toldAt = await h.env.currentTimeMs();
  await run.notify({ kind: 'contact' });
  expect(await run.result()).toMatchObject({ status: 'converted' });
  await run.stop();
  expect(run.world.effects).toEqual([]);
  expect(stepTrail(run.world)).toEqual(['act:skipped', 'goal:converted']);
  expect(run.world.ended!.at - toldAt).toBeLessThan(5 * 60_000);
});

it('still sends a deferred email at the time it was deferred to when nothing it watches changes', async () => {
  const now = await h.env.currentTimeMs();
  const run = await startRun(h, heldFlow('email', { exit: RENEWS_SOON }), {
    world: {
      contact: {
        properties: { renews_on: new Date(now + 30 * DAY).toISOString() },
        tags: [],
        score: 0,
      },
      emailAnswers: [{ outcome: 'deferred', reason: 'frequency cap', retryAt: '' }],
    },
  });
  const retryAt = now + 2 * DAY;
  run.world.emailAnswers[0]!.retryAt = new Date(retryAt).toISOString();
  await run.sleep(HOUR);
  await run.notify({ kind: 'contact' }); // a change that does not meet the guard
  expect(await run.result()).toMatchObject({ status: 'completed' });
  await run.stop();
  expect(stepTrail(run.world)).toEqual(['act:out', 'exit:done']);
  const [sent] = run.world.effects;
  expect(sent!.at - retryAt).toBeGreaterThanOrEqual(0);
  expect(sent!.at - retryAt).toBeLessThan(5 * 60_000);
  const act = run.world.steps.get(1);
  expect(act?.why).toMatchObject({ outcome: 'sent', deferredUntil: [expect.any(String)] });
});

it('ends a run held by a paused journey when an exit condition turns true by time', async () => {
  const now = await h.env.currentTimeMs();
  const renewsOn = now + 3 * DAY + HOUR; // "renews within 3 days" from +1 h
  const run = await startRun(h, heldFlow('email', { exit: RENEWS_SOON }), {
    world: {
      paused: true,
      contact: { properties: { renews_on: new Date(renewsOn).toISOString() }, tags: [], score: 0 },
    },
  });
  await run.sleep(30 * 60_000);
  expect(await run.handle.query('journeyRun.view')).toMatchObject({ nodeId: 'act', state: 'held' });
  expect(await run.result()).toMatchObject({ status: 'exited' });
  await run.stop();
  expect(run.world.effects).toEqual([]);
  expect(stepTrail(run.world)).toEqual(['act:exited']);
  const flip = renewsOn - 3 * DAY;
  expect(run.world.ended!.at - flip).toBeGreaterThanOrEqual(0);
  expect(run.world.ended!.at - flip).toBeLessThanOrEqual(MIN_RECHECK_GAP_MS);
});

it('ends a run held at a paused action when an exit condition turns true by time', async () => {
  const now = await h.env.currentTimeMs();
  const renewsOn = now + 3 * DAY + HOUR;
  const run = await startRun(h, heldFlow('tag', { exit: RENEWS_SOON }), {
    world: {
      paused: true,
      contact: { properties: { renews_on: new Date(renewsOn).toISOString() }, tags: [], score: 0 },
    },
    ...(process.env.RECORD_HISTORY === PAUSED_HISTORY
      ? { workflowId: 'run:j1:c1:recorded-paused' }
      : {}),
  });
  expect(await run.result()).toMatchObject({ status: 'exited' });
  await record(run, PAUSED_HISTORY);
  await run.stop();
  expect(run.world.effects).toEqual([]);
  expect(stepTrail(run.world)).toEqual(['act:exited']);
  const flip = renewsOn - 3 * DAY;
  expect(run.world.ended!.at - flip).toBeGreaterThanOrEqual(0);
  expect(run.world.ended!.at - flip).toBeLessThanOrEqual(MIN_RECHECK_GAP_MS);
});

it('reaches a goal met while its journey is paused, when told', async () => {
  const run = await startRun(h, heldFlow('tag', { goal: CUSTOMER }), {
    world: { paused: true },
  });
  await run.sleep(HOUR);
  expect(await run.handle.query('journeyRun.view')).toMatchObject({ nodeId: 'act', state: 'held' });
  run.world.contact.tags.push('customer');
  const toldAt = await h.env.currentTimeMs();
  await run.notify({ kind: 'contact' });
  expect(await run.result()).toMatchObject({ status: 'converted' });
  await run.stop();
  expect(run.world.effects).toEqual([]);
  expect(stepTrail(run.world)).toEqual(['act:skipped', 'goal:converted']);
  expect(run.world.ended!.at - toldAt).toBeLessThan(5 * 60_000);
});

it('still sends once the journey is resumed when nothing it watches changed', async () => {
  const now = await h.env.currentTimeMs();
  const run = await startRun(h, heldFlow('email', { exit: RENEWS_SOON }), {
    world: {
      paused: true,
      contact: {
        properties: { renews_on: new Date(now + 30 * DAY).toISOString() },
        tags: [],
        score: 0,
      },
    },
  });
  await run.sleep(HOUR);
  await run.notify({ kind: 'contact' });
  await run.sleep(2 * DAY);
  expect(run.world.effects).toEqual([]);
  expect(await run.handle.query('journeyRun.view')).toMatchObject({ nodeId: 'act', state: 'held' });
  run.world.paused = false;
  const resumedAt = await h.env.currentTimeMs();
  await run.handle.signal('journeyRun.resume');
  expect(await run.result()).toMatchObject({ status: 'completed' });
  await run.stop();
  expect(stepTrail(run.world)).toEqual(['act:out', 'exit:done']);
  expect(run.world.effects[0]!.at - resumedAt).toBeLessThan(5 * 60_000);
});

// Recorded from the interpreter before the change with the stub activities on the time-skipping
// server (the first and fifth flows above, which then left when the hold ended): runs held
// when the new code is deployed replay it unchanged.
it.each([DEFERRED_HISTORY, PAUSED_HISTORY])(
  'replays a history written before the change: %s',
  async (name) => {
    const recorded: unknown = JSON.parse(
      await readFile(new URL(`../histories/${name}`, import.meta.url), 'utf8'),
    );
    const history = proto.api.history.v1.History.fromObject(recorded as Record<string, unknown>);
    const started = history.events[0]?.workflowExecutionStartedEventAttributes;
    const workflowId =
      name === DEFERRED_HISTORY ? 'run:j1:c1:recorded-deferred' : 'run:j1:c1:recorded-paused';
    expect(started).toBeTruthy();
    await Worker.runReplayHistory({ workflowBundle: h.bundle }, history, workflowId);
  },
);
