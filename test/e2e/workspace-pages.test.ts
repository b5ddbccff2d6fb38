import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileSegments, recordPendingDispatches } from '@relance/db';
import { screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';
import { holdTableLock, statementsWaitingForALock } from '../support/held-statements';
import type { LiveApp } from '../support/live-app';

// The rest of what a marketer does around journeys: import contacts, build a segment and watch
// its count, write an email and preview it as a contact, and start a journey from a template.

const CSV = `Email,First name,Plan,Tags
ada@example.com,Ada,pro,"vip,beta"
grace@example.com,Grace,free,
linus@example.com,Linus,free,beta
not-an-email,Broken,free,
`;

describe('workspace pages', () => {
  const session = useBrowserSession({ worker: false });
  let app: LiveApp;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    ({ app, page } = session);
    dir = await mkdtemp(`${tmpdir()}/relance-csv-`);
    await writeFile(`${dir}/contacts.csv`, CSV);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();

  it('imports contacts from a CSV file with a column mapping and a report', async () => {
    await nav('Contacts');
    await expect.poll(() => page.getByText('No contacts yet.').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Import CSV' }).first().click();
    await page.setInputFiles('#csv-file', `${dir}/contacts.csv`);
    const plan = page.getByLabel('Import “Plan” as');
    await expect.poll(() => plan.inputValue()).toBe('property');
    expect(await page.getByLabel('Import “Email” as').inputValue()).toBe('$email');
    await page.getByLabel('Type of “Plan”').selectOption('string');
    await screenshot(page, 'contacts-import-mapping');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('import-created').textContent()).toBe('3');
    expect(await page.getByRole('row', { name: /not-an-email/ }).count()).toBe(1);
    await screenshot(page, 'contacts-import-report');

    await nav('Contacts');
    await page.getByLabel('Search contacts').fill('ada');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'contacts-list');
    await page.getByRole('link', { name: 'ada@example.com' }).click();
    await expect.poll(() => page.getByText('vip', { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => page.locator('.timeline').textContent()).toContain('Entered');
    await screenshot(page, 'contact-profile');
  });

  /** A new segment's form with the rule "plan is pro", once its live count shows the one match. */
  async function newSegmentOfProPlan() {
    await nav('Segments');
    await page.getByRole('link', { name: 'New segment' }).click();
    const leaf = page.locator('.condition-leaf').first();
    await leaf.getByLabel('What to check').selectOption('property');
    await leaf.getByLabel('Property').fill('plan');
    await leaf.getByLabel('Value', { exact: true }).fill('pro');
    const count = page.getByTestId('preview-count');
    await expect.poll(() => count.textContent()).toBe('1');
    return { leaf, count };
  }

  it('builds a segment and sees its live count, share and members while editing', async () => {
    const { leaf, count } = await newSegmentOfProPlan();
    await page.getByLabel('Name', { exact: true }).fill('Pro plan');
    await expect
      .poll(() => page.locator('.sample-list').textContent())
      .toContain('ada@example.com');
    await expect
      .poll(() => page.locator('.preview-card').textContent())
      .toContain('33% of 3 contacts');
    await screenshot(page, 'segment-builder');

    // Widening it to "plan is set" takes the whole base: the builder warns.
    await leaf.getByLabel('Comparison').selectOption('exists');
    await expect.poll(() => count.textContent()).toBe('3');
    await expect.poll(() => page.getByText(/more than half of the base/).isVisible()).toBe(true);
    await screenshot(page, 'segment-builder-warning');
    await leaf.getByLabel('Comparison').selectOption('eq');
    await leaf.getByLabel('Value', { exact: true }).fill('pro');
    await expect.poll(() => count.textContent()).toBe('1');

    await page.getByRole('button', { name: 'Create segment' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Pro plan' }).isVisible()).toBe(true);
    // Opened again, the saved rule's count comes from the kept membership: no preview runs
    // until the rule is edited, and none once it is back to the saved one.
    const previews: string[] = [];
    const onRequest = (request: Request) => {
      if (request.url().endsWith('/api/segments/preview')) previews.push(request.url());
    };
    page.on('request', onRequest);
    await page.reload();
    const card = page.locator('.preview-card');
    await expect.poll(() => card.textContent()).toContain('by the saved rule');
    expect(await count.textContent()).toBe('1');
    await leaf.getByLabel('Value', { exact: true }).fill('free');
    await expect.poll(() => count.textContent()).toBe('2');
    expect(previews).toHaveLength(1);
    await leaf.getByLabel('Value', { exact: true }).fill('pro');
    await expect.poll(() => card.textContent()).toContain('by the saved rule');
    expect(await count.textContent()).toBe('1');
    await page.waitForTimeout(500);
    expect(previews).toHaveLength(1);
    page.off('request', onRequest);
    // Saved, it lists its members and how they got in.
    const members = page.locator('section', {
      has: page.getByRole('heading', { name: 'Members' }),
    });
    await expect.poll(() => members.locator('tbody').textContent()).toContain('ada@example.com');
    await expect
      .poll(() => page.getByTestId('segment-changes').locator('tbody').textContent())
      .toMatch(/ada@example\.com\s*Entered\s*when the rule was saved/);
    // Its size over the last 30 days: nobody until today, when the rule was saved.
    const history = page.locator('.size-history');
    await expect
      .poll(() => history.locator('figcaption').textContent())
      .toMatch(/^1 member, up 1 since \d{1,2} \w{3} \(end of each day, [\w/]+\)\.$/);
    expect(await history.locator('rect').count()).toBe(30);
    await screenshot(page, 'segment-saved');
    // Its members download as a spreadsheet-ready file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Pro-plan.csv');
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^\uFEFFemail,external_id,member_since,score,tags,/);
    expect(csv).toContain('ada@example.com');
    await nav('Segments');
    const row = page.getByRole('row', { name: /Pro plan/ });
    await expect.poll(() => row.locator('td.number').textContent()).toBe('1');
    const check = page.getByRole('status', { name: 'Full check' });
    expect(await check.textContent()).toBe(
      'Every 6 hours Relance checks each segment and score against the whole base; the first check has not run yet.',
    );
    // The check the worker runs every 6 hours (its activity's function; no worker here).
    await reconcileSegments(session.app.sql, {
      now: new Date(),
      workspaceId: session.app.workspaceId,
    });
    await page.reload();
    await expect
      .poll(() => check.textContent())
      .toBe(
        'Last full check against the whole base just now: every segment and score was up to date.',
      );
    await screenshot(page, 'segments-list');
  });

  it('drops a slow preview once an edit replaced it, down to its statement', async () => {
    const { leaf, count } = await newSegmentOfProPlan();
    // Previews stuck behind a lock stand for ones that take seconds over a large base.
    const waiting = () => statementsWaitingForALock(app.sql, 'with m as');
    const lock = await holdTableLock(app.sql, 'contacts');
    try {
      await leaf.getByLabel('Value', { exact: true }).fill('free');
      await expect.poll(waiting).toBe(1);
      await leaf.getByLabel('Comparison').selectOption('exists');
      // The second preview waits alone: the first one's statement was cancelled.
      await expect.poll(waiting, { timeout: 3_000 }).toBe(1);
      await page.waitForTimeout(500);
      expect(await waiting()).toBe(1);
    } finally {
      await lock.release();
    }
    await expect.poll(() => count.textContent()).toBe('3');
    expect(await page.locator('.preview-card .notice.error').count()).toBe(0);
    // Never saved: leaving it asks first.
    await nav('Segments');
    await page
      .getByRole('dialog', { name: 'Leave without saving?' })
      .getByRole('button', { name: 'Leave without saving' })
      .click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/segments');
  });

  it('writes an email, previews it as a contact at desktop and mobile widths and sends a test', async () => {
    await nav('Templates');
    await page.getByRole('link', { name: 'New template' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('Win-back offer');
    await page.getByLabel('Topic').selectOption({ label: '+ New topic…' });
    await page.getByLabel('Name of the new topic').fill('Offers');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByLabel('From name').fill('Acme');
    await page.getByLabel('From address').fill('news@acme.test');
    await page
      .getByLabel('Subject')
      .fill('{{ contact.first_name | default: "Friend" }}, we miss you');
    await page.getByRole('button', { name: 'Create template' }).click();

    // Previewed as the newest contact first, then as Grace, chosen by search.
    const subject = page.getByTestId('preview-subject');
    await expect.poll(() => subject.textContent(), { timeout: 20_000 }).toMatch(/, we miss you$/);
    await page.getByLabel('Preview as contact').fill('grace');
    await page.getByRole('option', { name: 'grace@example.com' }).click();
    await expect.poll(() => subject.textContent()).toBe('Grace, we miss you');
    const frame = page.frameLocator('iframe[title="Email preview"]');
    await expect.poll(() => frame.getByText('Hi Grace,').isVisible()).toBe(true);
    await screenshot(page, 'template-preview-desktop');
    await page.getByText('Mobile', { exact: true }).click();
    await expect
      .poll(async () => (await page.locator('.preview-frame').boundingBox())?.width)
      .toBeLessThan(400);
    await screenshot(page, 'template-preview-mobile');

    // As a contact who would not get it, the preview says why in words.
    await session.api('/api/suppressions', { email: 'linus@example.com', reason: 'manual' });
    await page.getByLabel('Preview as contact').fill('linus');
    await page.getByRole('option', { name: 'linus@example.com' }).click();
    await expect
      .poll(() => page.locator('.preview-pane .notice.warn').textContent())
      .toBe('This contact would not get it: the address is blocked by hand.');

    // An address the API refuses: its reason beside the field, said once, with no field path.
    await page.getByLabel('Send a test to').fill('me@example');
    await page.getByRole('button', { name: 'Send test' }).click();
    const refusal = page.locator('.test-send [role="alert"]');
    await expect.poll(() => refusal.textContent()).toBe('The test was not sent');
    expect(await page.locator('#test-send-to-problems').textContent()).toBe(
      'Enter the address to send the test to',
    );
    expect(await page.getByLabel('Send a test to').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'template-test-send-refused');

    await page.getByLabel('Send a test to').fill('me@example.com');
    await page.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => page.getByText('Sent to me@example.com.').isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Back to templates' }).click();
    await page.getByRole('link', { name: 'Sent emails' }).click();
    await page.getByRole('button', { name: 'me@example.com' }).click();
    const sent = page.frameLocator('iframe[title="Email to me@example.com"]');
    await expect.poll(() => sent.getByText('Hi Linus,').isVisible()).toBe(true);
    expect(
      await page
        .getByRole('row', { name: /me@example\.com/ })
        .locator('.badge')
        .textContent(),
    ).toBe('Sent');
    await screenshot(page, 'outbox');
  });

  it('duplicates a template for the next email of a sequence, and deletes the copy', async () => {
    await nav('Templates');
    await page.getByRole('link', { name: 'Win-back offer', exact: true }).click();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Copy of Win-back offer' }).isVisible())
      .toBe(true);
    expect(await page.getByLabel('Subject').inputValue()).toBe(
      '{{ contact.first_name | default: "Friend" }}, we miss you',
    );

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', {
      name: 'Delete the template Copy of Win-back offer?',
    });
    await expect.poll(() => dialog.textContent()).toContain('Emails already sent stay');
    await dialog.getByRole('button', { name: 'Delete template' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Email templates' }).isVisible())
      .toBe(true);
    await expect
      .poll(() => page.getByRole('link', { name: 'Copy of Win-back offer' }).count())
      .toBe(0);
    expect(await page.getByRole('link', { name: 'Win-back offer', exact: true }).count()).toBe(1);
  });

  it('asks before leaving unsaved work in the template, form, scoring and segment editors', async () => {
    const prompt = page.getByRole('dialog', { name: 'Leave without saving?' });
    const path = () => new URL(page.url()).pathname;
    /** Edited, the page asks before a link leaves it: staying keeps the edit, leaving leaves. */
    async function asksBeforeLeaving(
      what: string,
      edit: () => Promise<void>,
      kept: () => Promise<unknown>,
      expected: unknown,
      leave: () => Promise<void> = () => nav('Contacts'),
      left?: () => Promise<boolean>,
    ) {
      const editor = path();
      await edit();
      await leave();
      await expect.poll(() => prompt.textContent()).toContain(what);
      await prompt.getByRole('button', { name: 'Stay on this page' }).click();
      expect(path()).toBe(editor);
      expect(await kept()).toEqual(expected);
      await leave();
      await prompt.getByRole('button', { name: 'Leave without saving' }).click();
      await expect.poll(left ?? (() => Promise.resolve(path() !== editor))).toBe(true);
    }
    /** Opened and left untouched, the page leaves at once. */
    async function leavesAtOnce() {
      await page.getByRole('heading', { level: 1 }).waitFor();
      await nav('Contacts');
      await expect.poll(path).toBe('/contacts');
      expect(await prompt.isVisible()).toBe(false);
    }

    // A new template, left untouched, is nothing to lose; a saved one edited is.
    await nav('Templates');
    await page.getByRole('link', { name: 'New template' }).first().click();
    await leavesAtOnce();
    await nav('Templates');
    await page.getByRole('link', { name: 'Win-back offer', exact: true }).click();
    await page.getByLabel('Subject').waitFor();
    const subject = page.getByLabel('Subject');
    await asksBeforeLeaving(
      'Your changes to Win-back offer are not saved',
      () => subject.fill('Come back for 20% off'),
      () => subject.inputValue(),
      'Come back for 20% off',
    );
    await screenshot(page, 'leave-without-saving');

    await nav('Signup forms');
    await page.getByRole('link', { name: 'New form' }).first().click();
    await leavesAtOnce();
    await nav('Signup forms');
    await page.getByRole('link', { name: 'New form' }).first().click();
    await asksBeforeLeaving(
      'This new form is not saved yet',
      () => page.getByLabel('Form name').fill('Newsletter'),
      () => page.getByLabel('Form name').inputValue(),
      'Newsletter',
      () => page.getByRole('link', { name: 'Back to forms' }).click(),
    );

    // Signing out asks too.
    await nav('Scoring');
    await leavesAtOnce();
    await nav('Scoring');
    const rules = page.getByRole('button', { name: '+ Add a rule' });
    await asksBeforeLeaving(
      'Your changes to the scoring rules are not saved',
      () => rules.click(),
      () => page.getByRole('group', { name: /Rule/ }).count(),
      1,
      () => page.getByRole('button', { name: 'Sign out' }).click(),
      () => page.getByLabel('Admin token').isVisible(),
    );
    await page.goto(`${app.url}/#token=${app.adminToken}`);

    await nav('Segments');
    await page.getByRole('link', { name: 'Pro plan' }).click();
    await leavesAtOnce();
    await nav('Segments');
    await page.getByRole('link', { name: 'Pro plan' }).click();
    const value = page.locator('.condition-leaf').first().getByLabel('Value', { exact: true });
    await asksBeforeLeaving(
      'Your changes to Pro plan are not saved',
      () => value.fill('free'),
      () => value.inputValue(),
      'free',
      // The edited rule's preview links its newest contacts to their profiles.
      () => page.locator('.sample-list').getByRole('link', { name: 'grace@example.com' }).click(),
    );
    expect(path()).toMatch(/^\/contacts\//);
  });

  it('starts a journey from the reactivation template with the workspace’s lists picked in', async () => {
    await nav('Journeys');
    await page.getByRole('button', { name: 'New journey' }).first().click();
    await screenshot(page, 'journey-templates');
    await page.getByRole('button', { name: /Reactivation after 15 days/ }).click();
    // The built-in Inactive segment and the win-back email are recognised by name.
    await expect
      .poll(() =>
        page.getByLabel('Starts when a contact enters').locator('option:checked').textContent(),
      )
      .toBe('Inactive');
    await expect
      .poll(() => page.getByLabel('Win-back email').locator('option:checked').textContent())
      .toBe('Win-back offer');
    await page.getByRole('button', { name: 'Create and open' }).click();
    await page.locator('.react-flow__node').first().waitFor();
    // The lists that do not exist yet are asked for on their steps.
    await expect.poll(() => page.locator('.problems-toggle').textContent()).toBe('3 problems');
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await screenshot(page, 'journey-from-template');
  });

  it('shows the settings and the system status', async () => {
    await nav('Settings');
    await expect.poll(() => page.getByTestId('write-key').textContent()).toBe(app.writeKey);
    await expect.poll(() => page.getByTestId('dispatch-backlog').textContent()).toBe('Up to date');
    await screenshot(page, 'settings');

    // A signal Temporal did not take (it was down): the page says it waits to be retried.
    await recordPendingDispatches(app.sql, [
      {
        workspaceId: app.workspaceId,
        kind: 'signal',
        workflowId: 'journey-run:example',
        payload: { name: 'notify', args: [{ kind: 'contact' }] },
        error: '14 UNAVAILABLE: No connection established',
        nextAttemptAt: new Date(Date.now() + 3_600_000),
      },
    ]);
    await page.reload();
    await expect
      .poll(() => page.getByTestId('dispatch-backlog').textContent(), { timeout: 15_000 })
      .toMatch(
        /^1 journey start or signal waits for Temporal, the oldest since .+; the worker retries them$/,
      );
    await screenshot(page, 'settings-dispatch-backlog');
  });
});
