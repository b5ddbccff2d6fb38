import { expect, it } from 'vitest';
import { openFromMainMenu, screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// Saving a setting that rules read, with a worker: the scoring rules (a refusal shown beside its
// field, then the fix saved at once while the worker re-scores the base and the page follows it
// to the end) and the workspace's time zone.

const session = useBrowserSession();
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
const nav = (name: string) => openFromMainMenu(session.page, name);

it('edits a scoring rule: the API’s refusal shows beside the field, the fix persists after reload', async () => {
  const { page } = session;
  await nav('Scoring');
  // The workspace starts with default rules; the marketer changes the one for email clicks.
  const click = page.getByRole('group', { name: 'Email click' });
  await click.getByLabel('Points').fill('0');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const points = click.locator('.field', { has: page.getByLabel('Points') });
  await poll(() => points.locator('.field-problems').textContent()).toContain(
    '0 points does nothing',
  );
  await screenshot(page, 'scoring-error');

  await click.getByLabel('Points').fill('5');
  await click.getByLabel('Email click: counted since').selectOption('window');
  await click.getByLabel('Counted', { exact: true }).fill('14');
  await page.getByRole('button', { name: '+ Add a tag' }).click();
  await page.locator('.score-tag').last().getByLabel('Tag', { exact: true }).fill('champion');
  await page.locator('.score-tag').last().getByLabel('While the score is at least').fill('80');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // Saved at once; the worker re-scores the base and the page follows it to the end.
  await poll(() =>
    page
      .getByRole('status')
      .filter({ hasText: /^Saved$/ })
      .isVisible(),
  ).toBe(true);
  await poll(() =>
    page
      .getByText(
        /^After the last save of the rules \(just now\): [\d,]+ scores? and [\d,]+ segment memberships? changed\.$/,
      )
      .isVisible(),
  ).toBe(true);

  await page.reload();
  const saved = page.getByRole('group', { name: 'Email click' });
  await poll(() => saved.getByLabel('Points').inputValue()).toBe('5');
  expect(await saved.getByLabel('Counted', { exact: true }).inputValue()).toBe('14');
  expect(await saved.getByLabel('Email click: window unit').inputValue()).toBe('d');
  expect(await page.getByRole('group', { name: 'champion' }).count()).toBe(1);
  await screenshot(page, 'scoring');
});

it('changes the workspace’s time zone; the worker re-checks the base and the page follows it', async () => {
  const { page, app } = session;
  await nav('Settings');
  const card = page.getByRole('region', { name: 'Workspace' });
  await card.getByLabel('Time zone', { exact: true }).selectOption('Europe/Paris');
  await card.getByRole('button', { name: 'Save', exact: true }).click();
  await poll(() =>
    card
      .getByRole('status')
      .filter({ hasText: /^Saved\.$/ })
      .count(),
  ).toBe(1);
  await poll(() =>
    card
      .getByText(
        /^After the last change of time zone \(just now\): [\d,]+ scores? and [\d,]+ segment memberships? changed\.$/,
      )
      .count(),
  ).toBe(1);
  await screenshot(page, 'settings-timezone-rechecked');
  const [workspace] = await app.sql<{ timezone: string }[]>`
    select timezone from workspaces where id = ${app.workspaceId}`;
  expect(workspace!.timezone).toBe('Europe/Paris');
});
