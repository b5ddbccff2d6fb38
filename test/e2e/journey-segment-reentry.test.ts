import { expect, it } from 'vitest';
import { createDocumentBuilder } from '@relance/flow';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// "No click for 15 days → Reactivation → win-back", built from scratch: the journey lets each
// contact in once, ever, so a customer who clicks again and falls silent months later would get
// no second win-back. The trigger's panel says so and lets them in again in one click, and the
// publish dialog has nothing left to check.

const session = useBrowserSession({ worker: false });

it('lets contacts entering Inactive again get the win-back again, from the trigger’s panel', async () => {
  const { app, page, api } = session;
  const { segments } = (await api('/api/segments', undefined, { method: 'GET' })) as {
    segments: { id: string; name: string }[];
  };
  const inactive = segments.find((s) => s.name === 'Inactive')!.id;
  const b = createDocumentBuilder('Reactivation');
  b.node('trigger', 'trigger.segment_entered', { segmentId: inactive }, 0, 0);
  b.node('done', 'action.tag', { add: ['win-back'], remove: [] }, 0, 1);
  b.node('end', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'done');
  b.edge('done', 'end');
  const journeyId = (await api('/api/journeys', b.build())).id as string;

  await page.goto(`${app.url}/journeys/${journeyId}`);
  await page.locator('.react-flow__node[data-id="trigger"] .node-sentence').click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const notice = inspector.locator('.entry-once');
  await expect
    .poll(() => notice.textContent())
    .toContain('the next time they enter Inactive, nothing starts');
  await screenshot(page, 'journey-segment-trigger-once-ever');

  await notice.getByRole('button', { name: 'Let them in again' }).click();
  expect(await notice.count()).toBe(0);
  const draftPolicy = async () => {
    const journey = (await api(`/api/journeys/${journeyId}`, undefined, { method: 'GET' })) as {
      document: { settings?: { entryPolicy?: unknown } };
    };
    return journey.document.settings?.entryPolicy;
  };
  await expect.poll(draftPolicy, { timeout: 10_000 }).toEqual({ kind: 'after_exit' });
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 400 } });
  expect(await inspector.getByLabel('Who can enter').inputValue()).toBe('after_exit');

  await page.getByRole('button', { name: 'Publish' }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish the first version' });
  await dialog.waitFor();
  expect(await dialog.getByText('Check before publishing').count()).toBe(0);
});
