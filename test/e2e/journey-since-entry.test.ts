import { expect, it } from 'vitest';
import { createDocumentBuilder } from '@relance/flow';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// A post-purchase sequence's last email goes "only if they have not ordered again": the marketer
// sets the condition's time window to "since they entered the journey" in the step's panel, and
// the saved draft counts the orders after the one that started the run.

const session = useBrowserSession({ worker: false });

it('sets a condition to count since the contact entered the journey, from the step’s panel', async () => {
  const { app, page, api } = session;
  const b = createDocumentBuilder('Post-purchase');
  b.node('trigger', 'trigger.event', { event: 'order.completed', entryKey: 'orderId' }, 0, 0);
  b.node('wait', 'wait.delay', { duration: '7d' }, 0, 1);
  const condition = { kind: 'event_count', event: 'order.completed', op: 'exactly', count: 0 };
  b.node('check', 'logic.condition', { condition: { ...condition, within: '7d' } }, 0, 2);
  b.node('review', 'logic.exit', {}, 0, 3);
  b.node('skip', 'logic.exit', {}, 1, 3);
  b.edge('trigger', 'wait');
  b.edge('wait', 'check');
  b.edge('check', 'review', 'yes');
  b.edge('check', 'skip', 'no');
  const journeyId = (await api('/api/journeys', b.build())).id as string;

  await page.goto(`${app.url}/journeys/${journeyId}`);
  await page.locator('.react-flow__node[data-id="check"] .node-sentence').click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const window = inspector.locator('select[aria-label="Time window"]');
  expect(await window.locator('option').allTextContents()).toEqual([
    'in the last',
    'since they entered the journey',
    'ever',
  ]);
  await window.selectOption({ label: 'since they entered the journey' });
  await expect
    .poll(() => inspector.locator('.condition-summary').textContent())
    .toMatch(/since they entered the journey$/);
  await expect
    .poll(() => page.locator('.react-flow__node[data-id="check"]').textContent())
    .toContain('since they entered the journey');

  // Autosaved as the flow language has it (the builder keeps a condition as a group): the
  // window replaced, not added to.
  const draftCondition = async () => {
    const journey = (await api(`/api/journeys/${journeyId}`, undefined, { method: 'GET' })) as {
      document: { nodes: { id: string; config: { condition?: unknown } }[] };
    };
    return journey.document.nodes.find((n) => n.id === 'check')?.config.condition;
  };
  await expect
    .poll(draftCondition, { timeout: 10_000 })
    .toEqual({ kind: 'all', conditions: [{ ...condition, sinceEntry: true }] });
  await screenshot(page, 'journey-condition-since-entry');
});
