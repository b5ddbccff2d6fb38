import { expect, it } from 'vitest';
import { recordEvents } from '@relance/db';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// A post-purchase email reads the order that started its journey ({{ event.product }}): the
// editor previews it after one of the contact's own events, the latest one by default, instead
// of with every order detail empty; and a test sent with unsaved changes says it is the saved
// version, and the test is rendered after the event the preview shows.

const session = useBrowserSession({ worker: false });
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000 });
let template: Record<string, unknown>;

it('previews a post-purchase email after the contact’s order', async () => {
  const { page, app } = session;
  await session.ingest('/v1/identify', {
    userId: 'buyer-1',
    traits: { email: 'bea@example.com', first_name: 'Bea' },
  });
  await session.ingest('/v1/track', {
    userId: 'buyer-1',
    event: 'order.completed',
    properties: { orderId: 'K-7', product: 'Kettle' },
  });
  template = await session.api('/api/templates', {
    name: 'Post-purchase tips',
    kind: 'transactional',
    topic: null,
    from: { name: 'Acme', address: 'news@acme.test' },
    replyTo: null,
    subject: 'Your {{ event.product | default: "order" }}: three tips',
    preheader: '',
    body: {
      kind: 'mjml',
      source: `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Hi {{ contact.first_name }}, thanks for order {{ event.orderId | default: "(none)" }}.</mj-text>
</mj-column></mj-section></mj-body></mjml>`,
    },
    text: null,
  });

  await page.goto(`${app.url}/templates/${String(template.id)}`);
  await page.getByLabel('Preview as contact').fill('bea');
  await page.getByRole('option', { name: 'bea@example.com' }).click();

  // The contact's order is taken at once: the preview reads it as the journey's send would.
  const subject = page.getByTestId('preview-subject');
  await poll(() => subject.textContent()).toBe('Your Kettle: three tips');
  const event = page.getByLabel('After the event');
  await poll(async () => (await event.locator('option:checked').textContent()) ?? '').toMatch(
    /^order\.completed · /,
  );
  const frame = page.frameLocator('iframe[title="Email preview"]');
  await poll(() => frame.getByText('Hi Bea, thanks for order K-7.').isVisible()).toBe(true);
  await screenshot(page, 'template-preview-after-event');

  // Without an event, what the email reads from it is empty, and the page says so.
  await event.selectOption({ label: 'No event' });
  await poll(() => subject.textContent()).toBe('Your order: three tips');
  await poll(() => frame.getByText('Hi Bea, thanks for order (none).').isVisible()).toBe(true);
  expect(await page.getByText('Without an event, what the email reads from it').count()).toBe(1);
});

it('says a test sent while the editor holds changes is the last saved version', async () => {
  const { page, app } = session;
  await page.goto(`${app.url}/templates/${String(template.id)}`);
  await poll(() => page.getByTestId('preview-subject').textContent()).toBe(
    'Your Kettle: three tips',
  );
  expect(await page.getByText('The test is the last saved version').count()).toBe(0);

  await page.getByLabel('Subject').fill('Changed {{ event.product }}');
  await poll(() =>
    page.getByText('The test is the last saved version: save first to send your changes.').count(),
  ).toBe(1);
  await page.getByLabel('Send a test to').fill('me@example.com');
  await page.getByRole('button', { name: 'Send test' }).click();
  await poll(() =>
    page
      .getByText('Sent the last saved version to me@example.com, without your unsaved changes.')
      .isVisible(),
  ).toBe(true);
  // Rendered after the order the preview shows, as the journey's send would be.
  const [sent] = await app.sql<{ subject: string }[]>`
    select subject from email_messages where to_address = 'me@example.com'`;
  expect(sent?.subject).toBe('[Test] Your Kettle: three tips');
});

it('finds the order to preview after by what it holds: its number, or a product', async () => {
  const { page, app } = session;
  await session.ingest('/v1/identify', { userId: 'buyer-2', traits: { email: 'cal@example.com' } });
  for (const [orderId, product] of [
    ['ORD-1041', 'Kettle'],
    ['ORD-1042', 'Blue sneakers'],
    ['ORD-1043', 'Toaster'],
  ]) {
    await session.ingest('/v1/track', {
      userId: 'buyer-2',
      event: 'order.completed',
      properties: { orderId, product },
    });
  }
  await page.goto(`${app.url}/templates/${String(template.id)}`);
  await page.getByLabel('Preview as contact').fill('cal');
  await page.getByRole('option', { name: 'cal@example.com' }).click();
  const subject = page.getByTestId('preview-subject');
  await poll(() => subject.textContent()).toBe('Your Toaster: three tips');

  const find = page.getByLabel('Find an event by what it holds');
  await find.fill('blue SNEAKERS');
  await find.press('Enter');
  const event = page.getByLabel('After the event');
  await poll(async () => (await event.locator('option:checked').textContent()) ?? '').toMatch(
    /^order\.completed · .* · product Blue sneakers$/,
  );
  await poll(() => subject.textContent()).toBe('Your Blue sneakers: three tips');
  expect(
    await page.getByText('The contact’s events holding “blue SNEAKERS”, newest first.').count(),
  ).toBe(1);
  await screenshot(page, 'template-preview-event-search');

  await find.fill('ord-1041');
  await page.getByRole('button', { name: 'Find' }).click();
  await poll(() => subject.textContent()).toBe('Your Kettle: three tips');
  await poll(() => event.locator('option').count()).toBe(2);

  await find.fill('ORD-2000');
  await find.press('Enter');
  await poll(() => page.getByText('None of this contact’s events holds “ORD-2000”.').count()).toBe(
    1,
  );
  await poll(() => subject.textContent()).toBe('Your order: three tips');

  await page.getByRole('button', { name: 'Show all events' }).click();
  await poll(() => subject.textContent()).toBe('Your Toaster: three tips');
  expect(await find.inputValue()).toBe('');
  // Behind more page views than one search reads, it says how far back it looked, and goes on.
  const [cal] = await app.sql<{ id: string; workspaceId: string }[]>`
    select id, workspace_id from contacts where email = 'cal@example.com'`;
  const start = Date.now() + 60_000;
  await recordEvents(
    app.sql,
    cal!.workspaceId,
    Array.from({ length: 5_010 }, (_, i) => ({
      contactId: cal!.id,
      name: 'page.viewed',
      properties: { url: `/p/${i}` },
      occurredAt: new Date(start + i * 1000),
    })),
  );
  await page.reload();
  await page.getByLabel('Preview as contact').fill('cal');
  await page.getByRole('option', { name: 'cal@example.com' }).click();
  await find.fill('ORD-1041');
  await find.press('Enter');
  await poll(() =>
    page
      .getByText(
        /^Searched back to .*: no event holds “ORD-1041” so far\. “Search older events” looks/,
      )
      .count(),
  ).toBe(1);
  await screenshot(page, 'template-preview-event-search-stopped');
  await page.getByRole('button', { name: 'Search older events' }).click();
  await poll(() => subject.textContent()).toBe('Your Kettle: three tips');
  await poll(() =>
    page.getByText('The contact’s events holding “ORD-1041”, newest first.').count(),
  ).toBe(1);
});
