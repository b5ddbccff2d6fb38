import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// A marketer merging two contacts for the same person, as imported lists make them: the same
// name, two addresses. The picker offers the other one only.

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
});
