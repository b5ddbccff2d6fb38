import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openFromMainMenu, screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';
import type { LiveApp } from '../support/live-app';

// A marketer builds the reactivation flow on an empty canvas with the mouse, fixes what the
// canvas flags, publishes, and watches contacts move on the live view as events arrive.

const DAY = 86_400_000;

describe('journey builder', () => {
  const session = useBrowserSession();
  const { api, ingest } = session;
  let app: LiveApp;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ app, browser, page } = session);
    // What the marketer wrote earlier: the win-back email (the templates test covers writing one).
    await api('/api/topics', { key: 'offers', name: 'Offers' });
    await api('/api/templates', {
      name: 'Win-back offer',
      kind: 'marketing',
      topic: 'offers',
      from: { name: 'Acme', address: 'news@acme.test' },
      subject: 'We miss you, {{ contact.first_name | default: "friend" }}',
      body: {
        kind: 'html',
        source: '<p>20% off this week.</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
      },
    });
  });

  const pane = () => page.locator('.react-flow__pane');
  const inspector = () => page.getByRole('complementary', { name: 'Inspector' });
  const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

  /** Drags a step from the palette and drops it at (x, y) of the canvas. */
  async function drop(kind: string, x: number, y: number) {
    await page.locator(`[data-kind="${kind}"]`).dragTo(pane(), { targetPosition: { x, y } });
  }

  /** Drags from a node's port handle to another node's input handle. */
  async function connect(from: string, port: string, to: string) {
    const source = page.locator(
      `.react-flow__handle.source[data-nodeid="${from}"][data-handleid="${port}"]`,
    );
    const target = page.locator(`.react-flow__handle.target[data-nodeid="${to}"]`);
    await source.hover();
    await page.mouse.down();
    const box = (await target.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 12 });
    await page.mouse.up();
  }

  async function select(id: string) {
    await node(id).locator('.node-sentence').click();
    await expect.poll(() => node(id).locator('.node-card.selected').count()).toBe(1);
  }

  /** Picks a list in an "Add to" / "Remove from" field, creating it when asked. */
  async function chooseList(field: 'Add to' | 'Remove from', name: string, create = false) {
    const picker = inspector().getByLabel(field);
    if (create) {
      await picker.selectOption({ label: '+ New list…' });
      await inspector().getByLabel('Name of the new list').fill(name);
      await inspector().getByRole('button', { name: 'Create', exact: true }).click();
    } else {
      await picker.selectOption({ label: name });
    }
    await expect.poll(() => inspector().locator('.chip', { hasText: name }).count()).toBe(1);
  }

  /** Follows a link of the main navigation (the editor has a "← Journeys" link too). */
  const nav = (name: string) => openFromMainMenu(page, name);

  const stat = (id: string, which: 'entered' | 'waiting' | 'completed') =>
    node(id).locator(`[data-stat="${which}"]`).textContent();

  it('builds the reactivation flow from an empty canvas, publishes it and shows contacts moving', async () => {
    await page.getByRole('link', { name: 'Journeys' }).click();
    await page.getByRole('button', { name: 'New journey' }).first().click();
    await page.getByRole('button', { name: /Start from scratch/ }).click();
    await page.getByLabel('Name', { exact: true }).fill('Reactivation');
    await page.getByRole('button', { name: 'Create and open' }).click();
    await pane().waitFor();
    await expect.poll(() => page.getByText('Start with a trigger.').isVisible()).toBe(true);
    const { width } = (await pane().boundingBox())!;
    const x = width / 2;

    // Trigger: contacts entering the built-in "Inactive" segment (no click for 15 days).
    await drop('trigger.segment_entered', x, 60);
    await expect.poll(() => node('trigger_1').count()).toBe(1);
    await inspector().getByLabel('When a contact enters').selectOption({ label: 'Inactive' });
    await expect
      .poll(() => node('trigger_1').textContent())
      .toContain('When a contact enters Inactive');

    // Move them from Active to Reactivation: dropped free, then connected by hand.
    await drop('action.segment', x, 230);
    await connect('trigger_1', 'out', 'segment_1');
    await chooseList('Add to', 'Reactivation', true);
    await chooseList('Remove from', 'Active', true);
    await expect
      .poll(() => node('segment_1').textContent())
      .toContain('Move from Active to Reactivation');

    // The win-back email, added after the selected step from the palette (the keyboard way).
    await page.locator('[data-kind="action.send_email"]').click();
    await inspector().getByLabel('Email template').selectOption({ label: 'Win-back offer' });
    await expect.poll(() => node('send_email_1').textContent()).toContain("Send 'Win-back offer'");
    // Its topic is one of the workspace's topics, never typed: a typo would mail people who never
    // opted in. Left to the template here.
    const topic = inspector().getByLabel('Subscription topic (optional)');
    expect(await topic.evaluate((el) => el.tagName)).toBe('SELECT');
    await expect
      .poll(() => topic.locator('option').allTextContents())
      .toEqual(['Same topic as the template', 'Offers']);
    expect(await topic.inputValue()).toBe('');

    // Wait up to 7 days for a click.
    await page.locator('[data-kind="wait.event"]').click();
    await inspector().getByLabel('Wait until the contact does').fill('email.clicked');
    await inspector().getByLabel('Give up after', { exact: true }).fill('7');
    await inspector().getByLabel('Give up after unit').selectOption('d');
    await expect
      .poll(() => node('wait_event_1').textContent())
      .toContain(
        'Wait up to 1 week for the contact to click an email, counting only clicks by a person',
      );
    // A click picked: the recipient's, not their mail gateway's scanner clicking on delivery.
    expect(
      await inspector().getByLabel('Only count clicks by a person (not link scanners)').isChecked(),
    ).toBe(true);

    // Clicked: back to Active. Timed out: Dormant. Each branch gets the free port in order.
    await page.locator('[data-kind="action.segment"]').click();
    await chooseList('Add to', 'Active');
    await chooseList('Remove from', 'Reactivation');
    await select('wait_event_1');
    await page.locator('[data-kind="action.segment"]').click();
    await chooseList('Add to', 'Dormant', true);
    await chooseList('Remove from', 'Reactivation');
    await select('segment_2');
    await page.locator('[data-kind="logic.exit"]').click();

    // One path still ends nowhere: the canvas says so and Publish waits.
    const problems = page.locator('.problems-toggle');
    await expect.poll(() => problems.textContent()).toBe('1 problem');
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    expect(await node('segment_3').locator('.node-card.invalid').count()).toBe(1);
    await node('segment_3').hover();
    await expect
      .poll(() => node('segment_3').locator('.node-problems').textContent())
      .toMatch(/Nothing follows/);
    await screenshot(page, 'journey-canvas-with-problem');
    await problems.click();
    await page.locator('.problems-panel li button').first().click();
    await expect.poll(() => node('segment_3').locator('.node-card.selected').count()).toBe(1);

    // Fix it: end that path too.
    await page.locator('[data-kind="logic.exit"]').click();
    await expect.poll(() => problems.textContent()).toBe('✓ No problems');
    await expect.poll(() => page.getByText('All changes saved').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Tidy up' }).click();
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await screenshot(page, 'journey-canvas-ready');

    // Publish: the dialog says what goes live.
    await page.getByRole('button', { name: 'Publish' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish the first version' });
    await dialog.waitFor();
    await screenshot(page, 'journey-publish-dialog');
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByText('Version 1 is live.').isVisible()).toBe(true);

    // Two contacts whose last click was 20 days ago: both fall into Inactive and enter.
    const longAgo = new Date(Date.now() - 20 * DAY).toISOString();
    for (const who of ['ada', 'bob']) {
      await ingest('/v1/identify', {
        userId: who,
        traits: { email: `${who}@example.com`, first_name: who },
      });
      await ingest('/v1/track', { userId: who, event: 'email.clicked', timestamp: longAgo });
    }
    await page.getByRole('link', { name: 'Watch contacts move through it' }).click();
    await pane().waitFor();
    await expect.poll(() => stat('trigger_1', 'entered'), { timeout: 30_000 }).toBe('2');
    await expect.poll(() => stat('segment_1', 'entered'), { timeout: 30_000 }).toBe('2');
    await expect.poll(() => stat('wait_event_1', 'waiting'), { timeout: 30_000 }).toBe('2');
    expect(await stat('send_email_1', 'completed')).toBe('2');
    await screenshot(page, 'journey-live-waiting');

    // Ada clicks the win-back email: she leaves the wait by the "clicked an email" path.
    await ingest('/v1/track', { userId: 'ada', event: 'email.clicked' });
    await expect.poll(() => stat('wait_event_1', 'waiting'), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => stat('segment_2', 'entered'), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => stat('exit_1', 'entered'), { timeout: 30_000 }).toBe('1');

    // Who is still waiting for a click? Bob.
    await select('wait_event_1');
    const live = page.getByRole('complementary', { name: 'Live details' });
    await expect
      .poll(() => live.getByRole('link', { name: 'bob@example.com' }).isVisible())
      .toBe(true);
    await screenshot(page, 'journey-live-after-click');

    // Enrolling by hand: Cy never clicked anything and is not inactive yet.
    await ingest('/v1/identify', { userId: 'cy', traits: { email: 'cy@example.com' } });
    await page.getByRole('button', { name: 'Enrol contacts' }).click();
    const enrol = page.getByRole('dialog', { name: 'Enrol into Reactivation' });
    await enrol.getByLabel('Contact to enrol').fill('cy@');
    await enrol.getByRole('option', { name: 'cy@example.com' }).click();
    await enrol.getByRole('button', { name: 'Enrol', exact: true }).click();
    await expect
      .poll(() => enrol.getByText('cy@example.com entered the journey.').isVisible())
      .toBe(true);
    await screenshot(page, 'journey-enrol');
    await enrol.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => stat('wait_event_1', 'waiting'), { timeout: 30_000 }).toBe('2');

    // The journey list shows it live with one contact in flight.
    await page.getByRole('link', { name: 'Journeys' }).click();
    const row = page.getByRole('row', { name: /Reactivation/ });
    await expect.poll(() => row.textContent()).toContain('Live');
    await expect.poll(() => row.locator('td.number').first().textContent()).toBe('2');
    await screenshot(page, 'journey-list');

    // Version 1 read-only, compared with the draft.
    await row.getByRole('link', { name: 'Reactivation' }).click();
    await page.getByRole('link', { name: 'Versions' }).click();
    const details = page.getByRole('complementary', { name: 'Version details' });
    await expect.poll(() => details.textContent()).toContain('Nothing changed.');
    expect(await page.locator('.react-flow__node').count()).toBe(8);
    await screenshot(page, 'journey-versions');

    // Version 2: a shorter wait. The dialog lists the change and who is in flight.
    await page.getByRole('link', { name: 'Edit draft' }).click();
    await select('wait_event_1');
    await inspector().getByLabel('Give up after', { exact: true }).fill('5');
    await expect.poll(() => node('wait_event_1').textContent()).toContain('Wait up to 5 days');
    await page.getByRole('button', { name: 'Publish' }).click();
    const second = page.getByRole('dialog', { name: 'Publish version 2' });
    await expect.poll(() => second.locator('.diff-summary').textContent()).toContain('time limit');
    await expect
      .poll(() => second.textContent())
      .toContain('Let the 2 entries in progress finish on version 1');
    await screenshot(page, 'journey-publish-version-2');
    await second.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByText('Version 2 is live.').isVisible()).toBe(true);
  });

  it('takes a contact out of the journey from their profile', async () => {
    await nav('Contacts');
    await page.getByRole('link', { name: 'cy@example.com' }).click();
    const journeys = page.locator('section', {
      has: page.getByRole('heading', { name: 'Journeys', exact: true }),
    });
    // Where Cy is, by what the step does rather than by its id.
    await expect
      .poll(() => journeys.locator('[data-run-state]').textContent())
      .toBe(
        'Version 1 · In progress, at “Wait up to 1 week for the contact to click an email, counting only clicks by a person”',
      );
    // The win-back email shows on the timeline by its subject, in words; the steps by theirs.
    await expect
      .poll(() => page.locator('.timeline').textContent())
      .toContain('Was sent “We miss you, friend”');
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toContain("Went through “Send 'Win-back offer'” in Reactivation");
    expect(timeline).toContain(
      'Waiting at “Wait up to 1 week for the contact to click an email, counting only clicks by a person” in Reactivation',
    );
    expect(timeline).not.toContain('wait_event_1');
    expect(timeline).not.toMatch(/→ out|send_email_1/);
    await journeys.getByRole('button', { name: 'Take out…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Take cy@example.com out of Reactivation?' });
    await expect
      .poll(() => dialog.textContent())
      .toContain('no further email of this journey goes out to them');
    await screenshot(page, 'contact-take-out-confirm');
    await dialog.getByRole('button', { name: 'Take out of the journey' }).click();
    await expect
      .poll(() => journeys.locator('[data-run-state]').textContent(), { timeout: 15_000 })
      .toBe(
        'Version 1 · Taken out, at “Wait up to 1 week for the contact to click an email, counting only clicks by a person”',
      );
    expect(await journeys.getByRole('button', { name: 'Take out…' }).count()).toBe(0);

    // The live view no longer counts Cy among those waiting for a click: Bob is left.
    await journeys.getByRole('link', { name: 'Reactivation' }).click();
    await expect.poll(() => stat('wait_event_1', 'waiting'), { timeout: 30_000 }).toBe('1');
  });

  it('duplicates the journey into a new draft, and deletes that draft', async () => {
    await nav('Journeys');
    await page.getByRole('button', { name: 'Duplicate Reactivation' }).click();
    await expect
      .poll(() => page.getByLabel('Journey name').inputValue())
      .toBe('Copy of Reactivation');
    expect(await page.locator('.react-flow__node').count()).toBe(8);

    await nav('Journeys');
    const copy = page.getByRole('row', { name: /Copy of Reactivation/ });
    await expect.poll(() => copy.textContent()).toContain('Not published');
    // The published original can be duplicated, not deleted.
    expect(await page.getByRole('button', { name: 'Delete Reactivation' }).count()).toBe(0);
    await screenshot(page, 'journey-list-duplicated');
    await copy.getByRole('button', { name: 'Delete Copy of Reactivation' }).click();
    await page
      .getByRole('dialog', { name: 'Delete the draft Copy of Reactivation?' })
      .getByRole('button', { name: 'Delete draft' })
      .click();
    await expect.poll(() => copy.count()).toBe(0);
    expect(await page.getByRole('row', { name: /Reactivation/ }).count()).toBe(1);
  });

  it('stops the journey for good: Bob, still in flight, leaves it', async () => {
    await nav('Journeys');
    await page
      .getByRole('row', { name: /Reactivation/ })
      .getByRole('link', { name: 'Live view' })
      .click();
    // Paused first (a paused journey can be stopped too); the page keeps showing the journey.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.locator('.badge.status-paused').textContent()).toBe('Paused');
    expect(await page.getByText('Live view of version 2').count()).toBe(1);
    await page.getByRole('button', { name: 'Stop journey…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop Reactivation for good?' });
    await expect.poll(() => dialog.textContent()).toContain('The entry in progress ends at once');
    await screenshot(page, 'journey-stop-confirm');
    await dialog.getByRole('button', { name: 'Stop journey' }).click();
    await expect.poll(() => page.locator('.badge.status-stopped').textContent()).toBe('Stopped');
    await expect.poll(() => stat('wait_event_1', 'waiting'), { timeout: 30_000 }).toBe('0');
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Enrol contacts' }).isDisabled()).toBe(true);
    // Its draft cannot be published again: the button says to duplicate it instead.
    await page.getByRole('link', { name: '← Edit draft' }).click();
    const publish = page.getByRole('button', { name: 'Publish' });
    await expect.poll(() => publish.isDisabled()).toBe(true);
    expect(await publish.getAttribute('title')).toContain('duplicate it');
  });

  it('follows every order of a customer in a post-purchase journey built from scratch', async () => {
    // Cara ordered before: the workspace knows order.completed and that it carries an orderId.
    await ingest('/v1/identify', { userId: 'cara', traits: { email: 'cara@example.com' } });
    await ingest('/v1/track', {
      userId: 'cara',
      event: 'order.completed',
      properties: { orderId: 'A1', total: 40 },
    });
    const orderProperties = async () => {
      const known = (await api('/api/properties', undefined, { method: 'GET' })) as {
        events: { name: string; properties: { name: string }[] }[];
      };
      return known.events.find((e) => e.name === 'order.completed')?.properties.map((p) => p.name);
    };
    await expect.poll(orderProperties, { timeout: 15_000 }).toContain('orderId');
    await page.reload();
    await nav('Journeys');
    await page.getByRole('button', { name: 'New journey' }).first().click();
    await page.getByRole('button', { name: /Start from scratch/ }).click();
    await page.getByLabel('Name', { exact: true }).fill('Thanks for your order');
    await page.getByRole('button', { name: 'Create and open' }).click();
    await pane().waitFor();
    // The lists step says list, like its picker's "+ New list…".
    expect(await page.locator('[data-kind="action.segment"]').textContent()).toContain(
      'Change lists',
    );
    const { width } = (await pane().boundingBox())!;
    await drop('trigger.event', width / 2, 60);
    await inspector().getByLabel('When this event happens').fill('order.completed');
    await expect
      .poll(() => node('trigger_1').textContent())
      .toContain('When a contact places an order');

    // A journey built from scratch lets each contact in once, ever: the panel says what that
    // does to Cara's next order and offers one journey per order.
    const notice = inspector().locator('.entry-once');
    await expect
      .poll(() => notice.textContent())
      .toContain('the next time they place an order, nothing starts');
    await screenshot(page, 'journey-trigger-once-ever');
    await notice.getByRole('button', { name: 'One journey per orderId' }).click();
    await expect
      .poll(() => node('trigger_1').textContent())
      .toContain('When a contact places an order (once per orderId)');
    expect(await notice.count()).toBe(0);
    await page.locator('[data-kind="logic.exit"]').click();
    // Journey settings say what "once" now means.
    await pane().click({ position: { x: 20, y: 400 } });
    await expect
      .poll(() => inspector().getByLabel('Who can enter').locator('option').first().textContent())
      .toBe('Each contact once per orderId');

    await expect.poll(() => page.getByText('All changes saved').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Publish' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish the first version' });
    await dialog.waitFor();
    expect(await dialog.getByText('Check before publishing').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByText('Version 1 is live.').isVisible()).toBe(true);

    // Two more orders: each starts its own run.
    for (const orderId of ['A2', 'A3']) {
      await ingest('/v1/track', {
        userId: 'cara',
        event: 'order.completed',
        properties: { orderId },
      });
    }
    await page.getByRole('link', { name: 'Watch contacts move through it' }).click();
    await pane().waitFor();
    await expect.poll(() => stat('trigger_1', 'entered'), { timeout: 30_000 }).toBe('2');
  });

  it('lays the canvas out at 1920×1080 too', async () => {
    const wide = await browser.newPage();
    await wide.setViewportSize({ width: 1920, height: 1080 });
    await wide.goto(`${app.url}/journeys`);
    await wide.getByRole('link', { name: 'Reactivation' }).click();
    await wide.locator('.react-flow__node').first().waitFor();
    // Palette, canvas and inspector side by side, nothing cut off.
    const palette = (await wide.locator('.palette').boundingBox())!;
    const inspectorBox = (await wide
      .getByRole('complementary', { name: 'Inspector' })
      .boundingBox())!;
    expect(palette.x + palette.width).toBeLessThan(inspectorBox.x);
    expect(inspectorBox.x + inspectorBox.width).toBeLessThanOrEqual(1920);
    await screenshot(wide, 'journey-canvas-1920');
    await wide.close();
  });
});
