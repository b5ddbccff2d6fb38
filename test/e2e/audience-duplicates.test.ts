import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// A marketer merging two contacts for the same person, as imported lists make them: the same
// name, two addresses. The picker offers the other one only, and the survivor's timeline says
// which segment lines were the duplicate's.

const poll = <T>(read: () => Promise<T> | T, options: { timeout?: number } = {}) =>
  expect.poll(read, { timeout: 15_000, ...options });

describe('merging duplicates from a profile', () => {
  const session = useBrowserSession({ worker: false });
  let page: Page;
  let survivor: string;
  let duplicate: string;

  beforeAll(async () => {
    page = session.page;
    const create = async (email: string) =>
      (
        (await session.api('/api/contacts', {
          email,
          properties: { first_name: 'Marie', last_name: 'Martin' },
        })) as { contact: { id: string } }
      ).contact.id;
    survivor = await create('marie.martin@example.com');
    duplicate = await create('m.martin@perso.example');
    const list = (await session.api('/api/segments', { kind: 'static', name: 'Newsletter' })) as {
      id: string;
    };
    await session.api(`/api/segments/${list.id}/members`, { contactIds: [duplicate] });
  });

  it('offers the other Marie Martin as the duplicate, not the contact itself', async () => {
    await page.goto(`${session.app.url}/contacts/${survivor}`);
    const picker = page.getByLabel('The duplicate contact');
    await picker.fill('Marie Martin');
    await poll(() => page.getByRole('option', { name: 'm.martin@perso.example' }).count()).toBe(1);
    await screenshot(page, 'merge-picker-others-only');
    const offered = page.getByRole('listbox').getByRole('option');
    expect(await offered.allTextContents()).toEqual(['m.martin@perso.example']);

    await picker.fill('marie.martin@');
    await poll(() => page.locator('.picker-results').textContent()).toBe(
      'No other contact matches.',
    );
  });

  it('says on the timeline which segment lines were the duplicate’s', async () => {
    const picker = page.getByLabel('The duplicate contact');
    await picker.fill('m.martin');
    await page.getByRole('option', { name: 'm.martin@perso.example' }).click();
    await page.getByRole('button', { name: 'Merge…' }).click();
    await page
      .getByRole('dialog', { name: /^Merge m.martin@perso.example/ })
      .getByRole('button', { name: 'Merge contacts' })
      .click();
    const timeline = page.locator('.timeline');
    await poll(() => timeline.textContent()).toContain(
      'Merged m.martin@perso.example into this contact',
    );
    const said = (await timeline.locator('li > div > div').allTextContents()).map((l) => l.trim());
    // The contact is still in Prospects: only the duplicate left it.
    expect(said).toContain('The duplicate left Prospects when it was merged into this contact');
    expect(said).toContain('The duplicate left Newsletter when it was merged into this contact');
    expect(said).toContain('The duplicate entered Newsletter through the API');
    expect(said).toContain('Entered Newsletter when two contacts were merged');
    expect(said.filter((l) => l.startsWith('Left Prospects'))).toEqual([]);
    await screenshot(page, 'merge-timeline-duplicate-lines');
  });
});
