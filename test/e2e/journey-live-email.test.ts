import { expect, it } from 'vitest';
import { createDocumentBuilder } from '@relance/flow';
import { useBrowserSession } from '../support/browser-session';
import { screenshot } from '../support/browser';

// A marketer publishes a journey that sends an email; the contacts' mail clients load the open
// pixel and follow a link (the signed tracking URLs of the emails in the dev outbox), and the
// live view's numbers move without a reload. Publishing a second version that drops the step
// the contacts wait at says, per step, what each in-flight choice does with them.

const session = useBrowserSession();

/** manual → send the offer → wait → exit. */
function offerFlow(templateId: string, wait: { id: string; duration: string }) {
  const b = createDocumentBuilder('Spring offer');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('send_offer', 'action.send_email', { templateId }, 0, 1);
  b.node(wait.id, 'wait.delay', { duration: wait.duration }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'send_offer');
  b.edge('send_offer', wait.id);
  b.edge(wait.id, 'exit');
  return b.build();
}

/** The signed open pixel and first tracked link of the email the outbox holds for `address`. */
async function trackingLinks(address: string) {
  const [message] = await session.app.sql<{ html: string }[]>`
    select html from email_outbox where to_address = ${address}`;
  const url = (path: string) => {
    const found = new RegExp(`${session.app.url}${path}[^"'\\s]+`).exec(message!.html);
    if (!found) throw new Error(`No ${path} link in the email to ${address}`);
    return found[0].replaceAll('&amp;', '&');
  };
  return { open: url('/t/o/'), click: url('/t/c/'), unsubscribe: url('/u/') };
}

it('shows sends, opens and clicks of an email step moving on the live view, and who waits where at the next publish', async () => {
  const { app, page, browser, api } = session;
  await api('/api/topics', { key: 'offers', name: 'Offers' });
  // The shop's page, on another origin than the app (links to the app itself are not tracked).
  const shop = `${app.url.replace('127.0.0.1', 'localhost')}/api/health`;
  const template = await api('/api/templates', {
    name: 'Spring offer',
    kind: 'marketing',
    topic: 'offers',
    from: { name: 'Acme', address: 'news@acme.test' },
    subject: 'Spring is here',
    body: {
      kind: 'html',
      source:
        `<p><a href="${shop}">See the offer</a></p>` +
        '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    },
  });
  const templateId = template.id as string;
  const journey = await api('/api/journeys', offerFlow(templateId, { id: 'wait', duration: '1d' }));
  const journeyId = journey.id as string;

  // Published from the editor, as a marketer does.
  await page.goto(`${app.url}/journeys/${journeyId}`);
  await page.getByRole('button', { name: 'Publish' }).click();
  const first = page.getByRole('dialog', { name: 'Publish the first version' });
  await first.getByRole('button', { name: 'Publish' }).click();
  await page.getByRole('link', { name: 'Watch contacts move through it' }).click();
  await page.locator('.react-flow__node[data-id="send_offer"]').waitFor();
  // Marks this document: a reload would lose it.
  await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));

  const people = ['ada', 'bob', 'cy'];
  for (const who of people) {
    const [contact] = await app.sql<{ id: string }[]>`
      insert into contacts (workspace_id, email) values (${app.workspaceId}, ${`${who}@example.com`})
      returning id`;
    await api(`/api/journeys/${journeyId}/enrol`, { contactId: contact!.id });
  }
  const card = page.locator('.react-flow__node[data-id="send_offer"]');
  const summary = () => card.locator('.email-summary').textContent();
  await expect.poll(summary, { timeout: 30_000 }).toBe('3 sent · 0% opened · 0% clicked');
  // With no step selected, the panel has the journey's totals: all three wait a day.
  const totals = page.getByRole('definition').and(page.locator('[data-total="in-flight"]'));
  await expect.poll(() => totals.textContent(), { timeout: 30_000 }).toBe('3');

  // Ada's and Bob's mail clients load the pixel; Ada follows the link, twice.
  const reader = await browser.newPage();
  const ada = await trackingLinks('ada@example.com');
  const bob = await trackingLinks('bob@example.com');
  for (const url of [ada.open, bob.open, ada.click, ada.click]) {
    expect((await reader.goto(url))?.status()).toBeLessThan(400);
  }
  await expect.poll(summary, { timeout: 30_000 }).toBe('3 sent · 67% opened · 33% clicked');
  await screenshot(page, 'journey-live-email-card');

  // Bob unsubscribes from his mail client (RFC 8058 one-click); the panel has the full numbers.
  const oneClick = await fetch(bob.unsubscribe, {
    method: 'POST',
    body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
  });
  expect(oneClick.status).toBe(200);
  await card.locator('.node-sentence').click();
  const panel = page.getByRole('complementary', { name: 'Live details' });
  const fact = (label: string) => panel.locator(`[data-email-fact="${label}"]`).textContent();
  await expect.poll(() => fact('Unsubscribed'), { timeout: 30_000 }).toBe('1 of 3 emails (33%)');
  expect(await fact('Sent')).toBe('3');
  expect(await fact('Opened')).toBe('2 of 3 emails (67%)');
  expect(await fact('Clicked')).toBe('1 of 3 emails (33%)');
  expect(await page.evaluate(() => 'sameDocument' in globalThis)).toBe(true);
  await screenshot(page, 'journey-live-email-panel');

  // Version 2 waits at a new step: the three entries waiting at the old one cannot move.
  const replaced = await fetch(`${app.url}/api/journeys/${journeyId}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${app.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(offerFlow(templateId, { id: 'wait_longer', duration: '2d' })),
  });
  expect(replaced.status).toBe(200);
  await page.goto(`${app.url}/journeys/${journeyId}`);
  await page.getByRole('button', { name: 'Publish' }).click();
  const second = page.getByRole('dialog', { name: 'Publish version 2' });
  const row = second.locator('.carry-over-table tr[data-node="wait"]');
  await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Wait 1 day');
  expect(await row.locator('td.number').textContent()).toBe('3');
  expect(await row.textContent()).toContain('version 2 no longer has this step');
  expect(await second.textContent()).toContain('Let the 3 entries in progress finish on version 1');
  await screenshot(page, 'journey-live-email-publish-v2');
  await second.getByRole('button', { name: 'Cancel' }).click();
});

it('shows each email’s results on the templates list and its report, by day and by journey', async () => {
  // After the test above: the offer went to three people, two opened, Ada clicked, Bob left.
  const { app, page } = session;
  await page.goto(`${app.url}/templates`);
  const row = page.getByRole('row').filter({ hasText: 'Spring is here' });
  const cells = () => row.locator('td.number').allTextContents();
  await expect.poll(cells, { timeout: 30_000 }).toEqual(['3', '67%', '33%', '33%', '€0.00']);
  await screenshot(page, 'templates-results');

  await row.getByRole('link', { name: '3' }).click();
  await page.getByRole('heading', { name: 'Spring offer: results' }).waitFor();
  const totals = page.getByRole('region', { name: /Sent in the last 30 days, since/ });
  const fact = (label: string) => totals.locator(`[data-email-fact="${label}"]`).textContent();
  await expect.poll(() => fact('Sent'), { timeout: 30_000 }).toBe('3');
  expect(await fact('Opened')).toBe('2 of 3 emails (67%)');
  expect(await fact('Clicked')).toBe('1 of 3 emails (33%)');
  expect(await fact('Unsubscribed')).toBe('1 of 3 emails (33%)');
  const today = page.locator('.daily-chart g').last();
  expect(await today.locator('title').textContent()).toMatch(
    /: 3 emails sent, 2 opened, 1 clicked$/,
  );
  const byJourney = page.getByRole('region', { name: 'By journey' });
  const journeyRow = byJourney.getByRole('row').filter({ hasText: 'Spring offer' });
  await expect
    .poll(() => journeyRow.locator('td.number').allTextContents())
    .toEqual(['3', '67%', '33%', '33%', '0', '€0.00']);
  await screenshot(page, 'template-report');

  // Each email of it, with what its reader did.
  await page.getByRole('link', { name: 'Each email sent' }).click();
  await page.getByText('Only “Spring offer”.').waitFor();
  const reader = (who: string) =>
    page
      .getByRole('row')
      .filter({ hasText: `${who}@example.com` })
      .getByRole('cell')
      .nth(2);
  await expect.poll(() => reader('ada').textContent(), { timeout: 30_000 }).toBe('Clicked');
  expect(await reader('bob').textContent()).toBe('Opened · Unsubscribed');
  expect(await reader('cy').textContent()).toBe('');
  await screenshot(page, 'template-emails');
  await page.goBack();
  await page.getByRole('heading', { name: 'Spring offer: results' }).waitFor();

  // Another period is kept in the address, and the list follows it.
  await page.getByRole('combobox', { name: 'Period' }).selectOption('7');
  await page.getByRole('heading', { name: /^Sent in the last 7 days, since/ }).waitFor();
  expect(new URL(page.url()).searchParams.get('days')).toBe('7');
  expect(await page.locator('.daily-chart g').count()).toBe(7);
  await journeyRow.getByRole('link', { name: 'Spring offer' }).click();
  await page.waitForURL(/\/journeys\/[^/]+\/live$/);

  // The list's period goes along to the report.
  await page.goto(`${app.url}/templates?days=7`);
  await expect.poll(cells, { timeout: 30_000 }).toEqual(['3', '67%', '33%', '33%', '€0.00']);
  await row.getByRole('link', { name: '3' }).click();
  await page.getByRole('heading', { name: /^Sent in the last 7 days, since/ }).waitFor();
  expect(new URL(page.url()).searchParams.get('days')).toBe('7');
});

it('sums the workspace up on the overview, the landing page', async () => {
  // After the tests above: three contacts wait a day in the journey; its email's numbers.
  const { app, page } = session;
  await page.goto(`${app.url}/`);
  const tile = (name: string) =>
    page.getByRole('region', { name }).locator('[data-tile-value]').textContent();
  await expect.poll(() => tile('Contacts'), { timeout: 30_000 }).toBe('3');
  expect(await tile('Journeys running')).toBe('1');
  expect(await tile('Emails sent')).toBe('3');
  const emails = page.getByRole('region', { name: 'Emails sent' });
  expect(await emails.textContent()).toContain(
    '67% of them opened · 33% clicked · 33% unsubscribed',
  );
  const journeys = page.getByRole('region', { name: 'Journeys running' });
  expect(await journeys.textContent()).toContain('3 contacts in them now');
  const top = page.getByRole('region', { name: 'Emails that went out most' });
  await top.getByRole('link', { name: 'Spring offer' }).waitFor();
  await expect
    .poll(() => top.getByRole('row').nth(1).locator('td.number').allTextContents())
    .toEqual(['3', '67%', '33%', '€0.00']);
  expect(await page.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe(
    'page',
  );
  await screenshot(page, 'overview');
  await top.getByRole('link', { name: 'Spring offer' }).click();
  await page.getByRole('heading', { name: 'Spring offer: results' }).waitFor();
});

it('counts the orders an email brought, by what Settings says an order is', async () => {
  // After the tests above: Ada clicked the offer. Her shop sends "Order Completed" with a total.
  const { app, page, ingest } = session;
  await page.goto(`${app.url}/settings`);
  const orders = page.getByRole('region', { name: 'Orders and revenue' });
  await orders.getByLabel('Order event').fill('Order Completed');
  await orders.getByLabel('Value property').fill('total');
  await orders.getByLabel('Attribution window (days)').fill('7');
  await orders.getByLabel('Currency').selectOption('USD');
  await orders.getByRole('button', { name: 'Save' }).click();
  await orders.getByText('Saved. Orders counted again: 0 orders now come from an email.').waitFor();
  expect(await orders.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
  // The built-in segments and score rule that read order.completed are named, to be changed.
  const readers = orders.getByTestId('order-readers');
  await readers.getByRole('link', { name: 'New customers' }).waitFor();
  expect(await readers.getByRole('link', { name: 'Recent purchase' }).getAttribute('href')).toBe(
    '/scoring',
  );

  // A name left empty is refused under its field, and nothing is saved.
  const workspace = page.getByRole('region', { name: 'Workspace' });
  await workspace.getByLabel('Name').fill(' ');
  await workspace.getByRole('button', { name: 'Save' }).click();
  await workspace.getByText('The name cannot be empty').waitFor();
  await screenshot(page, 'settings-orders');
  await workspace.getByRole('button', { name: 'Discard changes' }).click();

  await ingest('/v1/identify', { userId: 'ada', traits: { email: 'ada@example.com' } });
  await ingest('/v1/track', {
    userId: 'ada',
    event: 'Order Completed',
    properties: { total: 49.9 },
  });

  await page.goto(`${app.url}/templates`);
  const row = page.getByRole('row').filter({ hasText: 'Spring is here' });
  await expect
    .poll(() => row.locator('td[data-template-revenue]').textContent(), { timeout: 30_000 })
    .toBe('$49.90');
  await row.getByRole('link', { name: '3' }).click();
  const totals = page.getByRole('region', { name: /Sent in the last 30 days, since/ });
  const fact = (label: string) => totals.locator(`[data-email-fact="${label}"]`).textContent();
  await expect
    .poll(() => fact('Brought an order'), { timeout: 30_000 })
    .toBe('1 of 3 emails (33%)');
  expect(await fact('Orders')).toBe('1');
  expect(await fact('Revenue')).toBe('$49.90 ($16.63 per email)');
  expect(await totals.textContent()).toContain(
    'When a contact places an order, the order counts for the last email they clicked (else the last they opened themselves, not a mail privacy proxy) in the 7 days before it, once per order number',
  );
  expect(await page.locator('.daily-chart g').last().locator('title').textContent()).toMatch(
    /: 3 emails sent, 2 opened, 1 clicked, \$49\.90 in orders from them$/,
  );
  const latest = page.getByRole('region', { name: 'Latest orders' });
  expect(await latest.getByRole('row').nth(1).textContent()).toMatch(
    /^ada@example\.com—\$49\.90(just now|.* ago)$/,
  );
  await screenshot(page, 'template-report-revenue');

  // Ada's timeline says which email her order is counted for.
  await latest.getByRole('link', { name: 'ada@example.com' }).click();
  const attributed = page.locator('[data-attributed-to]');
  await expect
    .poll(() => attributed.textContent(), { timeout: 30_000 })
    .toBe(' after the email “Spring is here”');
  await screenshot(page, 'contact-order-attributed');
  await page.goBack();

  // The journey that sent it sums its emails' orders up on its live view.
  await page
    .getByRole('region', { name: 'By journey' })
    .getByRole('link', { name: 'Spring offer' })
    .click();
  await expect
    .poll(() => page.locator('[data-total="revenue"]').textContent(), { timeout: 30_000 })
    .toBe('$49.90 (1 order)');
  await page.goto(`${app.url}/journeys`);
  const journeyRow = page.getByRole('row').filter({ hasText: 'Spring offer' });
  await expect
    .poll(() => journeyRow.locator('td[data-journey-revenue]').textContent(), { timeout: 30_000 })
    .toBe('$49.90');

  await page.goto(`${app.url}/`);
  const tile = page.getByRole('region', { name: 'Revenue from email' });
  await expect
    .poll(() => tile.locator('[data-tile-value]').textContent(), { timeout: 30_000 })
    .toBe('$49.90');
  expect(await tile.textContent()).toMatch(
    /1 order brought by the emails sent since \d+ \w+, each placed within 7 days of opening one/,
  );
});
