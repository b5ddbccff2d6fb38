import { expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// "Choose an email to read it": a marketer clicks the email's line (its subject), not only the
// recipient's address, and the email opens beside the list.

const session = useBrowserSession({ worker: false });
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000 });

it('opens an email from anywhere on its line', async () => {
  const { page, app } = session;
  const template = await session.api('/api/templates', {
    name: 'Thank you for your order',
    kind: 'transactional',
    topic: null,
    from: { name: 'Trailhead', address: 'hello@trailhead.test' },
    replyTo: null,
    subject: 'Thanks for your order',
    preheader: '',
    body: { kind: 'html', source: '<p>We are packing it now.</p>' },
    text: null,
  });
  await session.api(`/api/templates/${String(template.id)}/test-send`, { to: 'me@example.com' });

  await page.goto(`${app.url}/templates/outbox`);
  await page.getByRole('cell', { name: /Thanks for your order/ }).click();
  const email = page.frameLocator('iframe[title="Email to me@example.com"]');
  await poll(() => email.getByText('We are packing it now.').isVisible()).toBe(true);
  await screenshot(page, 'outbox-open-row');
});
