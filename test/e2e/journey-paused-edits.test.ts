import { expect, it } from 'vitest';
import { createDocumentBuilder } from '@relance/flow';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// A marketer pauses a live post-purchase sequence to change it: deletes the wait between the two
// emails (the sequence stays joined), publishes while paused (the screens say the journey stays
// paused instead of calling the new version live), and finds on the live view the customer who
// is still waiting at the step the new version no longer has.

const session = useBrowserSession();

it('edits a paused journey: deleting a step keeps the sequence joined, publishing says it stays paused, the live view shows who waits at the removed step', async () => {
  const { app, page, api, ingest } = session;
  await api('/api/topics', { key: 'orders', name: 'Orders' });
  const template = async (name: string) =>
    (
      await api('/api/templates', {
        name,
        kind: 'marketing',
        topic: 'orders',
        from: { name: 'Acme', address: 'shop@acme.test' },
        subject: name,
        body: {
          kind: 'html',
          source: '<p>Hi</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
        },
      })
    ).id as string;
  const thanks = await template('Thanks for your order');
  const tips = await template('Get the most out of it');
  const b = createDocumentBuilder('Post-purchase');
  b.node('trigger', 'trigger.event', { event: 'order.completed' }, 0, 0);
  b.node('thanks', 'action.send_email', { templateId: thanks }, 0, 1);
  b.node('wait', 'wait.delay', { duration: '3d' }, 0, 2);
  b.node('tips', 'action.send_email', { templateId: tips }, 0, 3);
  b.node('exit', 'logic.exit', {}, 0, 4);
  b.edge('trigger', 'thanks');
  b.edge('thanks', 'wait');
  b.edge('wait', 'tips');
  b.edge('tips', 'exit');
  const journeyId = (await api('/api/journeys', b.build())).id as string;
  await api(`/api/journeys/${journeyId}/publish`, {});
  await ingest('/v1/identify', { userId: 'ada', traits: { email: 'ada@example.com' } });
  await ingest('/v1/track', { userId: 'ada', event: 'order.completed' });

  // Ada waits her three days; the marketer pauses the journey to change it.
  await page.goto(`${app.url}/journeys/${journeyId}/live`);
  const wait = page.locator('.react-flow__node[data-id="wait"] [data-stat="waiting"]');
  await expect.poll(() => wait.textContent(), { timeout: 30_000 }).toBe('1');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => page.locator('.badge.status-paused').textContent()).toBe('Paused');
  await page.getByRole('link', { name: '← Edit draft' }).click();
  const header = page.locator('.editor-header');
  await expect.poll(() => header.textContent()).toContain('Version 1 is published, on hold');

  // Deleting the wait leaves "thanks" leading to "tips": nothing to reconnect by hand.
  await page.locator('.react-flow__node[data-id="wait"] .node-sentence').click();
  await page.keyboard.press('Delete');
  await expect.poll(() => page.locator('.react-flow__node[data-id="wait"]').count()).toBe(0);
  expect(await page.locator('.react-flow__edge[data-id="thanks:out"]').count()).toBe(1);
  await expect.poll(() => page.locator('.problems-toggle').textContent()).toBe('✓ No problems');
  await expect.poll(() => page.getByText('All changes saved').isVisible()).toBe(true);

  // Publishing while paused says it stays paused, before and after.
  await page.getByRole('button', { name: 'Publish' }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish version 2' });
  await expect
    .poll(() => dialog.locator('[data-paused-note]').textContent())
    .toContain('The journey is paused and stays paused');
  await screenshot(page, 'journey-publish-while-paused');
  await dialog.getByRole('button', { name: 'Publish' }).click();
  const banner = page.getByRole('status').filter({ hasText: 'Version 2 is published.' });
  await expect
    .poll(() => banner.textContent())
    .toContain('nobody enters it and no email goes out until you resume it');
  expect(await page.getByText('Version 2 is live.').count()).toBe(0);
  await expect.poll(() => header.textContent()).toContain('Version 2 is published, on hold');

  // Version 2 has no wait step; the live view still says where Ada is, and who she is.
  await banner.getByRole('link', { name: 'Open the live view' }).click();
  const earlier = page.getByRole('region', { name: 'Waiting on earlier versions' });
  await expect
    .poll(() => earlier.locator('li[data-node="wait"] summary').textContent(), { timeout: 30_000 })
    .toBe('Wait 3 days (version 1): 1 entry');
  await earlier.locator('li[data-node="wait"] summary').click();
  await expect
    .poll(() => earlier.getByRole('link', { name: 'ada@example.com' }).isVisible())
    .toBe(true);
  await screenshot(page, 'journey-live-earlier-steps');

  // The versions page tags version 2 paused, not live.
  await page.goto(`${app.url}/journeys/${journeyId}/versions`);
  const tabs = page.getByRole('navigation', { name: 'Versions' });
  await expect.poll(() => tabs.getByRole('link').allTextContents()).toEqual(['v2 (paused)', 'v1']);

  // Resumed, version 2 is live again.
  await page.goto(`${app.url}/journeys/${journeyId}/live`);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => page.locator('.badge.status-active').textContent()).toBe('Live');
  await page.getByRole('link', { name: '← Edit draft' }).click();
  await expect.poll(() => header.textContent()).toContain('Version 2 is live');
});
