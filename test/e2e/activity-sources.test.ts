import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openFromMainMenu, screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// The activity feed says where each event came from in words: the marketer's site or app, or
// Relance itself (a signup form), instead of the stored codes "api" and "email" — "email" for a
// signup made on a form.

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

describe('activity sources', () => {
  const session = useBrowserSession({ worker: false });
  let page: Page;

  beforeAll(() => {
    ({ page } = session);
  });

  it('names the site or app, and the signup form, as where an event came from', async () => {
    await session.ingest('/v1/track', {
      userId: 'src-1',
      event: 'Order Completed',
      properties: { amount: 12 },
    });
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
    const signup = await fetch(`${session.app.url}/f/${form.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=src-2%40example.com',
    });
    expect(signup.status).toBe(200);

    await openFromMainMenu(page, 'Activity');
    const order = page.getByRole('row', { name: /Order Completed/ });
    const submitted = page.getByRole('row', { name: /Submitted a signup form/ });
    await poll(() => order.locator('td').last().textContent()).toBe('Your site or app');
    await poll(() => submitted.locator('td').last().textContent()).toBe('Signup form');
    await screenshot(page, 'activity-sources');
  });
});
