import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openFromMainMenu, screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// A marketer turning on double opt-in in a workspace with no confirmation email used to find an
// empty "Choose a template…" and no way on but to learn MJML and {{ confirm_url }} elsewhere.
// The form now writes one for them, asking only who sends it, and the form saves with it; the
// thank-you fields say what double opt-in does with them.

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

describe('a double opt-in form’s confirmation email', () => {
  const session = useBrowserSession({ worker: false });
  let page: Page;

  beforeAll(() => {
    ({ page } = session);
  });

  it('is written for the marketer who has none, and the form saves with it', async () => {
    await openFromMainMenu(page, 'Signup forms');
    await page.getByRole('link', { name: 'New form' }).first().click();
    await page.getByLabel('Form name').fill('Blog newsletter');
    await page.getByRole('checkbox', { name: /Double opt-in/ }).check();
    expect(await page.getByLabel('Confirmation email').locator('option').allTextContents()).toEqual(
      ['Choose a template…'],
    );
    await poll(() => page.textContent('main')).toContain(
      'this message shows once they press the link in the confirmation email',
    );
    expect(await page.textContent('main')).toContain('Not used with double opt-in');

    await page.getByRole('button', { name: 'Write one for me' }).click();
    await page.getByLabel('Sender name').fill('Acme');
    // A mistyped sender is refused at its input, and nothing is written.
    await page.getByLabel('Sender address').fill('news@');
    await page.getByRole('button', { name: 'Write it' }).click();
    await poll(() => page.locator('.confirmation-starter').textContent()).toContain(
      'Enter a valid email address',
    );
    await page.getByLabel('Sender address').fill('news@acme.test');
    await page.getByRole('button', { name: 'Write it' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'Relance wrote' }).count()).toBe(1);
    const chosen = page.getByLabel('Confirmation email');
    await poll(async () => chosen.locator('option:checked').textContent()).toBe(
      'Confirm your subscription (Blog newsletter)',
    );
    await screenshot(page, 'signup-confirmation-starter');

    await page.getByRole('button', { name: 'Create form' }).click();
    await poll(() => page.getByRole('heading', { name: 'Blog newsletter' }).isVisible()).toBe(true);
    const get = async (path: string) => {
      const response = await fetch(`${session.app.url}${path}`, {
        headers: { authorization: `Bearer ${session.app.adminToken}` },
      });
      expect(response.status).toBe(200);
      return response.json();
    };
    const forms = (await get('/api/forms')) as {
      forms: { definition: { confirmationTemplateId: string } }[];
    };
    const template = (await get(
      `/api/templates/${forms.forms[0]!.definition.confirmationTemplateId}`,
    )) as { kind: string; from: { address: string }; body: { source: string } };
    expect(template.kind).toBe('transactional');
    expect(template.from.address).toBe('news@acme.test');
    expect(template.body.source).toContain('{{ confirm_url }}');
  });
});
