import { afterAll, beforeAll, expect, it } from 'vitest';
import { compile, createDocumentBuilder, leadNurturingFlow, postPurchaseFlow } from '@relance/flow';
import { pickBranch } from '@relance/flow/runtime';
import { createHarness, DAY, startRun, timeline, type Harness } from './harness';
import { stepTrail } from './stub-world';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.env.teardown();
});

const postPurchase = (templates = { tips: 'tips', crossSell: 'cross', review: 'review' }) =>
  postPurchaseFlow({ templates });
const orderEntry = { kind: 'event', eventId: '1', name: 'order.completed', key: 'o-1' } as const;

it('ends a run as soon as an exit condition holds, woken by a contact change mid-wait', async () => {
  const document = postPurchase();
  const plan = compile({
    ...document,
    settings: {
      ...document.settings,
      exitConditions: [{ kind: 'tag', op: 'has', tag: 'unsubscribed' }],
    },
  });
  const run = await startRun(h, plan, { entry: orderEntry });
  await run.sleep(DAY);
  run.world.contact.tags.push('unsubscribed');
  await run.notify({ kind: 'contact' });
  expect(await run.result()).toMatchObject({ status: 'exited' });
  await run.stop();
  expect(run.world.effects).toEqual([]);
  expect(stepTrail(run.world)).toEqual(['wait_tips:exited']);
  expect(Math.round((run.world.ended!.at - run.t0) / 60_000)).toBe(24 * 60);
});

it('jumps to a goal when it is met, records the conversion and stops mailing', async () => {
  const plan = compile(
    leadNurturingFlow({
      segments: { leads: 'leads' },
      templates: ['n1', 'n2'],
      salesEmail: 'sales@example.com',
    }),
  );
  const run = await startRun(h, plan, {
    entry: { kind: 'segment', changeId: '1', segmentId: 'leads', change: 'entered' },
  });
  await run.sleep(DAY);
  run.world.contact.tags.push('customer');
  await run.notify({ kind: 'contact' });
  expect(await run.result()).toMatchObject({ status: 'converted' });
  await run.stop();
  expect(timeline(run.world, run.t0)).toEqual([['email:n1@send_1', 0]]);
  expect(stepTrail(run.world)).toEqual(['send_1:out', 'click_1:skipped', 'customer:converted']);
});

it('carries a waiting run over to a new version at the node it waits at', async () => {
  const v1 = compile(postPurchase());
  const v2Document = postPurchase({ tips: 'tips-v2', crossSell: 'cross-v2', review: 'review-v2' });
  const v2 = compile({
    ...v2Document,
    nodes: v2Document.nodes.map((n) =>
      n.id === 'wait_tips' ? { ...n, config: { duration: '5d' } } : n,
    ),
  });
  const run = await startRun(h, v1, { entry: orderEntry, world: { versions: { v1, v2 } } });
  await run.sleep(DAY);
  await run.handle.signal('journeyRun.moveToVersion', { journeyVersionId: 'v2' });
  await run.sleep(DAY);
  expect(await run.handle.query('journeyRun.view')).toMatchObject({
    versionId: 'v2',
    nodeId: 'wait_tips',
    state: 'waiting',
  });
  await run.result();
  await run.stop();
  // The wait now lasts the new version's 5 days from when the run entered it.
  expect(timeline(run.world, run.t0)).toEqual([
    ['email:tips-v2@send_tips', 5 * DAY],
    ['email:cross-v2@send_cross_sell', 9 * DAY],
    ['email:review-v2@send_review', 32 * DAY],
  ]);
});

it('splits deterministically by workflow id and records the branch', async () => {
  const b = createDocumentBuilder('A/B');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node(
    'split',
    'logic.split',
    {
      branches: [
        { id: 'a', percent: 50 },
        { id: 'b', percent: 50 },
      ],
    },
    0,
    1,
  );
  b.node('send_a', 'action.send_email', { templateId: 'A' }, 0, 2);
  b.node('send_b', 'action.send_email', { templateId: 'B' }, 1, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'split');
  b.edge('split', 'send_a', 'a');
  b.edge('split', 'send_b', 'b');
  b.edge('send_a', 'exit');
  b.edge('send_b', 'exit');
  const plan = compile(b.build());
  for (const workflowId of ['run:j1:contact-1', 'run:j1:contact-2', 'run:j1:contact-3']) {
    const run = await startRun(h, plan, { workflowId });
    await run.result();
    await run.stop();
    const expected = pickBranch(
      [
        { id: 'a', percent: 50 },
        { id: 'b', percent: 50 },
      ],
      `${workflowId}:split`,
    );
    expect(stepTrail(run.world)[0]).toBe(`split:${expected}`);
    expect(run.world.effects).toMatchObject([{ templateId: expected.toUpperCase() }]);
  }
});

it('refuses a run the entry policy (or a missing version) does not admit', async () => {
  const run = await startRun(h, compile(postPurchase()), { world: { versions: {} } });
  expect(await run.result()).toEqual({ status: 'rejected', reason: 'no such version' });
  await run.stop();
});
