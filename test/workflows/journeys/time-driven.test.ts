// Conditions that turn true by time passing alone: a wait until "no open for 7 days", an exit
// condition on a renewal date. Nothing signals the run when they flip, so it looks again when
// the checkpoint says one of them can next flip, not only at the wait's deadline.

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

const NO_OPEN_FOR_7_DAYS: Condition = {
  kind: 'event_last',
  event: 'email.opened',
  op: 'more_than',
  duration: '7d',
  includeNever: true,
};

/** trigger → wait until `condition`, up to 30 days → "met" or "timeout" email → exit. */
function waitUntil(condition: Condition) {
  const b = createDocumentBuilder('Gone quiet');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait', 'wait.condition', { condition, timeout: '30d' }, 0, 1);
  b.node('send_met', 'action.send_email', { templateId: 'met' }, 0, 2);
  b.node('send_timeout', 'action.send_email', { templateId: 'timeout' }, 1, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'wait');
  b.edge('wait', 'send_met', 'met');
  b.edge('wait', 'send_timeout', 'timeout');
  b.edge('send_met', 'exit');
  b.edge('send_timeout', 'exit');
  return compile(b.build());
}

const opened = (id: string, at: number) => ({ id, name: 'email.opened', properties: {}, at });

it('leaves a wait until "no open for 7 days, up to 30 days" just after day 7, not at day 30', async () => {
  const openedAt = (await h.env.currentTimeMs()) - HOUR;
  const run = await startRun(h, waitUntil(NO_OPEN_FOR_7_DAYS), {
    world: { events: [opened('900', openedAt)] },
    ...(process.env.RECORD_HISTORY ? { workflowId: 'run:j1:c1:recorded' } : {}),
  });
  await run.result();
  if (process.env.RECORD_HISTORY) {
    const history = await run.handle.fetchHistory();
    await writeFile(
      new URL(`../histories/${process.env.RECORD_HISTORY}`, import.meta.url),
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
  await run.stop();
  expect(stepTrail(run.world)).toEqual(['wait:met', 'send_met:out', 'exit:done']);
  const [sent] = run.world.effects;
  expect(sent!.at - openedAt).toBeGreaterThanOrEqual(7 * DAY);
  expect(sent!.at - openedAt).toBeLessThanOrEqual(7 * DAY + MIN_RECHECK_GAP_MS);
});

it('counts 7 quiet days from an open that came during the wait', async () => {
  const openedAt = (await h.env.currentTimeMs()) - HOUR;
  const run = await startRun(h, waitUntil(NO_OPEN_FOR_7_DAYS), {
    world: { events: [opened('900', openedAt)] },
  });
  await run.sleep(3 * DAY);
  await run.event('email.opened');
  const reopenedAt = run.world.events.at(-1)!.at;
  await run.result();
  await run.stop();
  expect(stepTrail(run.world)).toEqual(['wait:met', 'send_met:out', 'exit:done']);
  const [sent] = run.world.effects;
  expect(sent!.at - reopenedAt).toBeGreaterThanOrEqual(7 * DAY);
  expect(sent!.at - reopenedAt).toBeLessThanOrEqual(7 * DAY + MIN_RECHECK_GAP_MS);
});

it('ends a run in a 30-day delay when its exit condition turns true by time alone', async () => {
  const b = createDocumentBuilder('Renewal');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('delay', 'wait.delay', { duration: '30d' }, 0, 1);
  b.node('send', 'action.send_email', { templateId: 'late' }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'delay');
  b.edge('delay', 'send');
  b.edge('send', 'exit');
  const document = b.build();
  const plan = compile({
    ...document,
    settings: {
      ...document.settings,
      // "renews within the next 3 days": true from day 7 for a renewal on day 10.
      exitConditions: [{ kind: 'property', property: 'renews_on', op: 'within_next', value: '3d' }],
    },
  });
  const renewsOn = (await h.env.currentTimeMs()) + 10 * DAY;
  const run = await startRun(h, plan, {
    world: {
      contact: { properties: { renews_on: new Date(renewsOn).toISOString() }, tags: [], score: 0 },
    },
  });
  expect(await run.result()).toMatchObject({ status: 'exited' });
  await run.stop();
  expect(run.world.effects).toEqual([]);
  expect(stepTrail(run.world)).toEqual(['delay:exited']);
  const endedAt = run.world.ended!.at;
  expect(endedAt - (renewsOn - 3 * DAY)).toBeGreaterThanOrEqual(0);
  expect(endedAt - (renewsOn - 3 * DAY)).toBeLessThanOrEqual(MIN_RECHECK_GAP_MS);
});

it('sets no extra timer for a wait whose condition time alone cannot change', async () => {
  const run = await startRun(h, waitUntil({ kind: 'tag', op: 'has', tag: 'customer' }));
  await run.result();
  await run.stop();
  expect(stepTrail(run.world)).toEqual(['wait:timeout', 'send_timeout:out', 'exit:done']);
  // On arrival, and the last look at the deadline: nothing in between.
  const atWait = run.world.checks.filter((c) => c.nodeId === 'wait');
  expect(atWait.map((c) => Math.round((c.at - run.t0) / DAY))).toEqual([0, 30]);
});

it('continues as new while it keeps looking again, so a long delay keeps a short history', async () => {
  const b = createDocumentBuilder('Birthday watch');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('delay', 'wait.delay', { duration: '200d' }, 0, 1);
  b.node('send', 'action.send_email', { templateId: 'later' }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'delay');
  b.edge('delay', 'send');
  b.edge('send', 'exit');
  const document = b.build();
  const plan = compile({
    ...document,
    settings: {
      ...document.settings,
      // Looked at every midnight, never true.
      exitConditions: [
        {
          kind: 'all',
          conditions: [
            { kind: 'property', property: 'birthday', op: 'anniversary_in', days: 0 },
            { kind: 'tag', op: 'has', tag: 'never' },
          ],
        },
      ],
    },
  });
  const run = await startRun(h, plan, {
    world: { contact: { properties: { birthday: '1990-05-17' }, tags: [], score: 0 } },
  });
  expect(await run.result()).toMatchObject({ status: 'completed' });
  await run.stop();
  expect(stepTrail(run.world)).toEqual(['delay:out', 'send:out', 'exit:done']);
  expect(run.world.checks.filter((c) => c.nodeId === 'delay').length).toBeGreaterThan(199);
  expect(run.world.loads).toBeGreaterThanOrEqual(1);
  const { historyLength } = await run.handle.describe();
  expect(historyLength).toBeLessThan(1_600);
});

// Recorded from the previous interpreter with the stub activities on the time-skipping server,
// through History.toObject (the first flow above, which then left at day 30): runs open when
// the new code is deployed replay it unchanged.
it('replays a history written before the change: a quiet-for-7-days wait left at its deadline', async () => {
  const recorded: unknown = JSON.parse(
    await readFile(
      new URL('../histories/wait-condition-time-before-recheck.json', import.meta.url),
      'utf8',
    ),
  );
  await Worker.runReplayHistory(
    { workflowBundle: h.bundle },
    proto.api.history.v1.History.fromObject(recorded as Record<string, unknown>),
    'run:j1:c1:recorded',
  );
});
