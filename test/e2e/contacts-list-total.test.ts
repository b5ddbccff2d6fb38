import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// A marketer on Audience → Contacts wants to know how many contacts the list holds, and finds
// Claire Lefèvre by typing "lefevre", as a keyboard without accents types it.

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

describe('the contact list says how many it holds', () => {
  const session = useBrowserSession({ worker: false });
  let page: Page;

  beforeAll(async () => {
    page = session.page;
    const ids: string[] = [];
    for (const [email, first_name, last_name] of [
      ['claire@example.com', 'Claire', 'Lefèvre'],
      ['paul@example.com', 'Paul', 'Lefevre'],
      ['anna@example.com', 'Anna', 'Müller'],
    ] as const) {
      const created = (await session.api('/api/contacts', {
        email,
        properties: { first_name, last_name },
      })) as { contact: { id: string } };
      ids.push(created.contact.id);
    }
    const vip = (await session.api('/api/segments', { kind: 'static', name: 'VIP' })) as {
      id: string;
    };
    await session.api(`/api/segments/${vip.id}/members`, { contactIds: [ids[0], ids[2]] });
  });

  it('counts the contacts, then what a search finds, whatever the accents', async () => {
    await page.goto(`${session.app.url}/contacts`);
    const total = page.getByRole('status', { name: 'How many contacts' });
    await poll(() => total.textContent()).toBe('3 contacts');

    await page.getByLabel('Search contacts').fill('lefevre');
    await poll(() => total.textContent()).toBe('2 contacts match “lefevre”');
    const shown = page.locator('.data-table tbody th a');
    expect((await shown.allTextContents()).sort()).toEqual([
      'claire@example.com',
      'paul@example.com',
    ]);
    await screenshot(page, 'contacts-total-accent-free-search');

    await page.getByLabel('In segment').selectOption({ label: 'In VIP' });
    await poll(() => total.textContent()).toBe('1 in VIP matches “lefevre”');

    await page.getByLabel('Search contacts').fill('');
    await poll(() => total.textContent()).toBe('2 in VIP');
    await screenshot(page, 'contacts-total-segment');
  });
});
