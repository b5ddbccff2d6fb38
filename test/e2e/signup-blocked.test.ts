import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openFromMainMenu, screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// A signup from an address on the suppression list (blocked by hand, bounced, a spam
// complaint) is counted, but the person gets no email from it: the form's recent signups say
// so beside them, instead of listing them like any other. An unsubscribe does not: signing up
// again lifts it.

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

describe('signups from blocked addresses', () => {
  const session = useBrowserSession({ worker: false });
  let page: Page;

  beforeAll(() => {
    ({ page } = session);
  });

  it('says which recent signups get no email, and why', async () => {
    const form = (await session.api('/api/forms', {
      name: 'Footer',
      definition: {
        fields: [{ type: 'email', name: 'email', label: 'Email', required: true }],
        topics: [],
        targetSegmentId: null,
        doubleOptIn: false,
        allowedOrigins: [],
        successMessage: 'Thanks!',
      },
    })) as { id: string };
    await session.api('/api/suppressions', { email: 'Blocked@Example.com', reason: 'manual' });
    await session.api('/api/suppressions', { email: 'back@example.com', reason: 'unsubscribed' });
    for (const email of ['blocked@example.com', 'back@example.com', 'fine@example.com']) {
      const signup = await fetch(`${session.app.url}/f/${form.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=${encodeURIComponent(email)}`,
      });
      expect(signup.status).toBe(200);
    }

    await openFromMainMenu(page, 'Signup forms');
    await page.getByRole('link', { name: 'Footer' }).click();
    const signup = (email: string) =>
      page.locator('.submissions li', { has: page.getByRole('link', { name: email }) });
    await poll(() => signup('fine@example.com').count()).toBe(1);
    expect(await signup('blocked@example.com').locator('.badge').allTextContents()).toEqual([
      'Gets no email: blocked by hand',
    ]);
    expect(await signup('back@example.com').locator('.badge').count()).toBe(0);
    expect(await signup('fine@example.com').locator('.badge').count()).toBe(0);
    await screenshot(page, 'signup-blocked');
  });
});
