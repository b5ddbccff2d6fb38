import { expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// Where replies to an email go is part of the template: the editor shows it, changes it and
// clears it, and the preview's envelope says it, instead of keeping it out of sight.

const session = useBrowserSession({ worker: false });
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000 });

async function savedReplyTo(id: string) {
  const response = await fetch(`${session.app.url}/api/templates/${id}`, {
    headers: { authorization: `Bearer ${session.app.adminToken}` },
  });
  return ((await response.json()) as { replyTo: unknown }).replyTo;
}

it('shows, changes and clears where replies go', async () => {
  const { page, app } = session;
  await session.api('/api/contacts', { email: 'ria@example.com' });
  const template = await session.api('/api/templates', {
    name: 'Receipt',
    kind: 'transactional',
    topic: null,
    from: { name: 'Acme', address: 'news@acme.test' },
    replyTo: { name: 'Acme support', address: 'help@acme.test' },
    subject: 'Your receipt',
    preheader: '',
    body: { kind: 'html', source: '<p>Thank you.</p>' },
    text: null,
  });
  const id = String(template.id);
  await page.goto(`${app.url}/templates/${id}`);

  const field = page.getByLabel('Replies go to (optional)');
  await poll(() => field.inputValue()).toBe('help@acme.test');
  const envelope = page.locator('.email-envelope');
  await poll(() => envelope.textContent()).toContain('Reply toAcme support <help@acme.test>');
  await screenshot(page, 'template-reply-to');

  await field.fill('care@acme.test');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await poll(() => savedReplyTo(id)).toEqual({ name: 'Acme support', address: 'care@acme.test' });
  await poll(() => envelope.textContent()).toContain('Reply toAcme support <care@acme.test>');

  await field.fill('');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await poll(() => savedReplyTo(id)).toBeNull();
  await poll(() => envelope.textContent()).not.toContain('Reply to');
});
