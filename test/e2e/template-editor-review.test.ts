import { expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// What a review of the template editor found: the preview's envelope shows the preheader as
// the contact's inbox would; an order behind more than 200 newer events can still be previewed
// after; a new, untouched template does not claim unsaved changes; and the list shows a
// template created elsewhere without a reload.

const session = useBrowserSession({ worker: false });
const poll = <T>(read: () => Promise<T> | T, timeout = 20_000) =>
  expect.poll(read, { timeout, interval: 500 });

const draft = (name: string, fields: Record<string, unknown> = {}) => ({
  name,
  kind: 'transactional',
  topic: null,
  from: { name: 'Acme', address: 'news@acme.test' },
  replyTo: null,
  subject: 'Your {{ event.product | default: "order" }}',
  preheader: '{{ contact.first_name }}, three tips for your {{ event.product | default: "order" }}',
  body: {
    kind: 'mjml',
    source: `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Order {{ event.orderId | default: "(none)" }}</mj-text>
</mj-column></mj-section></mj-body></mjml>`,
  },
  text: null,
  ...fields,
});

it('shows the preheader rendered for the contact next to the subject', async () => {
  const { page, app } = session;
  await session.ingest('/v1/identify', {
    userId: 'ada',
    traits: { email: 'ada@example.com', first_name: 'Ada' },
  });
  await session.ingest('/v1/track', {
    userId: 'ada',
    event: 'order.completed',
    properties: { orderId: 'K-1', product: 'Kettle' },
  });
  const template = await session.api('/api/templates', draft('Preheader check'));
  await page.goto(`${app.url}/templates/${String(template.id)}`);
  await page.getByLabel('Preview as contact').fill('ada');
  await page.getByRole('option', { name: 'ada@example.com' }).click();
  await poll(() => page.getByTestId('preview-subject').textContent()).toBe('Your Kettle');
  await poll(() => page.getByTestId('preview-preheader').textContent()).toBe(
    'Ada, three tips for your Kettle',
  );
  await screenshot(page, 'template-preview-preheader');
});

it('offers an order behind more than 200 newer events, found by its name', async () => {
  const { page, app } = session;
  const start = Date.parse('2026-01-01T00:00:00Z');
  await session.ingest('/v1/identify', {
    userId: 'bob',
    traits: { email: 'bob@example.com', first_name: 'Bob' },
  });
  await session.ingest('/v1/track', {
    userId: 'bob',
    event: 'order.completed',
    properties: { orderId: 'OLD-1', product: 'Teapot' },
    timestamp: new Date(start).toISOString(),
  });
  // 230 page views after the order: the timeline's newest 200 items hold none of it.
  for (let chunk = 0; chunk < 230; chunk += 115) {
    await session.ingest('/v1/batch', {
      batch: Array.from({ length: 115 }, (_, i) => ({
        type: 'track',
        userId: 'bob',
        event: 'page.viewed',
        properties: { path: `/p/${chunk + i}` },
        timestamp: new Date(start + (chunk + i + 1) * 60_000).toISOString(),
      })),
    });
  }
  const template = await session.api('/api/templates', draft('Old order'));
  await page.goto(`${app.url}/templates/${String(template.id)}`);
  await page.getByLabel('Preview as contact').fill('bob');
  await page.getByRole('option', { name: 'bob@example.com' }).click();

  // The names the contact has, newest first, say how many of each (its identify is one, in words).
  const names = page.getByLabel('Events to choose from');
  await poll(() => names.locator('option').allTextContents()).toEqual([
    'All events, newest first',
    'Identified (1)',
    'page.viewed (230)',
    'order.completed (1)',
  ]);
  await names.selectOption({ label: 'order.completed (1)' });
  await poll(
    async () =>
      (await page.getByLabel('After the event').locator('option:checked').textContent()) ?? '',
  ).toMatch(/^order\.completed · /);
  await poll(() => page.getByTestId('preview-subject').textContent()).toBe('Your Teapot');
  const frame = page.frameLocator('iframe[title="Email preview"]');
  await poll(() => frame.getByText('Order OLD-1').isVisible()).toBe(true);
  await screenshot(page, 'template-preview-old-order');

  // Unnarrowed, the list pages back through the history to the order.
  await names.selectOption({ label: 'All events, newest first' });
  // While a page loads the button reads "Loading…": click it again only once it is back.
  const older = page.getByRole('button', { name: 'Show older events' });
  const order = page
    .getByLabel('After the event')
    .locator('option', { hasText: 'order.completed' });
  await poll(async () => {
    if ((await order.count()) > 0) return true;
    if ((await older.count()) > 0 && (await older.isEnabled())) await older.click();
    return false;
  }).toBe(true);
  expect(await order.count()).toBe(1);
  expect(await page.getByLabel('After the event').locator('option').count()).toBe(233);
});

it('does not say a new, untouched template has unsaved changes', async () => {
  const { page, app } = session;
  await page.goto(`${app.url}/templates/new`);
  await page.getByRole('heading', { name: 'New email template' }).waitFor();
  await poll(() => page.getByRole('button', { name: 'Create template' }).isEnabled()).toBe(true);
  expect(await page.getByText('Unsaved changes').count()).toBe(0);
  await page.getByLabel('Subject').fill('Welcome aboard');
  await poll(() => page.getByText('Unsaved changes').count()).toBe(1);
});

it('shows a template created elsewhere without a reload', async () => {
  const { page, app } = session;
  await page.goto(`${app.url}/templates`);
  await page.getByRole('link', { name: 'Old order' }).waitFor();
  // Created by a teammate, or by the API, while the list stays open in this tab.
  await session.api('/api/templates', draft('Made by a teammate'));
  await poll(() => page.getByRole('link', { name: 'Made by a teammate' }).count(), 25_000).toBe(1);
});
