import { readFile } from 'node:fs/promises';
import { temporal as proto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compile, createDocumentBuilder } from '@relance/flow';
import { createHarness, DAY, startRun, timeline, type Harness } from './harness';
import { stepTrail } from './stub-world';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.env.teardown();
});

/** trigger → wait 1 day for a click → "clicked" email, or "nudge" email on timeout. */
function clickWait() {
  const b = createDocumentBuilder('Click or nudge');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait_click', 'wait.event', { event: 'email.clicked', timeout: '1d' }, 0, 1);
  b.node('send_clicked', 'action.send_email', { templateId: 'clicked' }, 0, 2);
  b.node('send_nudge', 'action.send_email', { templateId: 'nudge' }, 1, 2);
  b.edge('trigger', 'wait_click');
  b.edge('wait_click', 'send_clicked', 'event');
  b.edge('wait_click', 'send_nudge', 'timeout');
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('send_clicked', 'exit');
  b.edge('send_nudge', 'exit');
  return compile(b.build());
}

it('takes the event branch at the deadline for an event in Postgres whose signal never came', async () => {
  const run = await startRun(h, clickWait());
  await run.sleep(DAY / 2);
  // Recorded before the deadline; the dispatcher's signal was lost (or is still queued).
  run.world.events.push({
    id: '5000',
    name: 'email.clicked',
    properties: {},
    at: await h.env.currentTimeMs(),
  });
  await run.result();
  await run.stop();
  expect(stepTrail(run.world)).toEqual(['wait_click:event', 'send_clicked:out', 'exit:done']);
  expect(timeline(run.world, run.t0)).toEqual([['email:clicked@send_clicked', DAY]]);
});

it('still times out when the only event was recorded after the deadline', async () => {
  const run = await startRun(h, clickWait());
  await run.sleep(DAY / 2);
  // Arrives (by its recording time) a minute after the wait ends: too late for this wait.
  run.world.events.push({
    id: '5000',
    name: 'email.clicked',
    properties: {},
    at: run.t0 + DAY + 60_000,
  });
  await run.result();
  await run.stop();
  expect(stepTrail(run.world)).toEqual(['wait_click:timeout', 'send_nudge:out', 'exit:done']);
});

it('records a goal reached along the flow once', async () => {
  const b = createDocumentBuilder('Goal on the path');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('send_1', 'action.send_email', { templateId: 'n1' }, 0, 1);
  b.node(
    'customer',
    'logic.goal',
    { condition: { kind: 'tag', op: 'has', tag: 'customer' }, onMet: 'continue' },
    0,
    2,
  );
  b.node('send_2', 'action.send_email', { templateId: 'n2' }, 0, 3);
  b.edge('trigger', 'send_1');
  b.node('wait_day', 'wait.delay', { duration: '1d' }, 0, 2);
  b.edge('send_1', 'wait_day');
  b.edge('wait_day', 'customer');
  b.edge('customer', 'send_2');
  b.node('exit', 'logic.exit', {}, 0, 5);
  b.edge('send_2', 'exit');
  const run = await startRun(h, compile(b.build()));
  await run.sleep(DAY / 2);
  // Becomes a customer while waiting, unnoticed until the run reaches the goal node.
  run.world.contact.tags.push('customer');
  await run.result();
  await run.stop();
  expect(stepTrail(run.world)).toEqual([
    'send_1:out',
    'wait_day:out',
    'customer:out',
    'send_2:out',
    'exit:done',
  ]);
  const atGoal = [...run.world.steps.values()].filter((s) => s.nodeId === 'customer');
  expect(atGoal).toHaveLength(1);
  expect(atGoal[0]).toMatchObject({ outcome: 'converted' });
});

// Recorded from the previous interpreter with the stub activities on the time-skipping server,
// through History.toObject (the two flows above). Runs last for weeks, so the ones open when the
// new code is deployed replay these histories on it.
it.each([
  ['a click wait that timed out without a last check', 'wait-event-timeout-before-recheck.json'],
  ['a goal reached along the flow, recorded twice', 'goal-on-path-before-once.json'],
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
