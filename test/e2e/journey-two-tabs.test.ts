import { expect, it } from 'vitest';
import { createDocumentBuilder } from '@relance/flow';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// A marketer has the same journey open in two tabs. The first tab renames it; the second, still
// showing the old draft, changes the wait. Its save is refused instead of silently undoing the
// rename, it says so, and it offers to load the saved version or to save over it.

const session = useBrowserSession({ worker: false });

it('a second tab editing the same journey does not silently undo the first tab’s changes', async () => {
  const { app, page, api, browser } = session;
  const b = createDocumentBuilder('Welcome');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('wait', 'wait.delay', { duration: '3d' }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'wait');
  b.edge('wait', 'exit');
  const id = (await api('/api/journeys', b.build())).id as string;
  const journey = async () =>
    (await (
      await fetch(`${app.url}/api/journeys/${id}`, {
        headers: { authorization: `Bearer ${app.adminToken}` },
      })
    ).json()) as { name: string; document: { nodes: { id: string; config: unknown }[] } };

  const other = await browser.newPage();
  await other.goto(`${app.url}/journeys/${id}`);
  await page.bringToFront();
  await page.goto(`${app.url}/journeys/${id}`);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Welcome series');
  await expect.poll(async () => (await journey()).name, { timeout: 10_000 }).toBe('Welcome series');

  await other.bringToFront();
  await other.locator('.react-flow__node[data-id="wait"] .node-sentence').click();
  await other.locator('.inspector input[type=number]').fill('4');
  const conflict = other.locator('[data-draft-conflict]');
  await expect
    .poll(() => conflict.textContent(), { timeout: 10_000 })
    .toContain('This journey was changed somewhere else (another tab, or a teammate)');
  await screenshot(other, 'journey-two-tabs-conflict');
  const kept = await journey();
  expect(kept.name).toBe('Welcome series');
  expect(kept.document.nodes.find((n) => n.id === 'wait')?.config).toEqual({ duration: '3d' });

  // Loading the saved version shows the first tab's rename, and editing goes on from it.
  await conflict.getByRole('button', { name: 'Load the saved version' }).click();
  await expect
    .poll(() => other.getByRole('textbox', { name: 'Journey name' }).inputValue())
    .toBe('Welcome series');
  expect(await conflict.count()).toBe(0);
  await other.locator('.react-flow__node[data-id="wait"] .node-sentence').click();
  await other.locator('.inspector input[type=number]').fill('2');
  await expect
    .poll(async () => (await journey()).document.nodes.find((n) => n.id === 'wait')?.config)
    .toEqual({ duration: '2d' });
  expect((await journey()).name).toBe('Welcome series');

  // Publishing (or pausing) moves the journey's updatedAt but leaves its draft: the next save
  // goes through, no conflict.
  await api(`/api/journeys/${id}/publish`, {});
  await other.locator('.inspector input[type=number]').fill('1');
  await expect
    .poll(async () => (await journey()).document.nodes.find((n) => n.id === 'wait')?.config)
    .toEqual({ duration: '1d' });
  expect(await conflict.count()).toBe(0);
  await other.close();
});
