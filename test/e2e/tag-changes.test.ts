import { expect, it } from 'vitest';
import { openFromMainMenu, screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// The tags page with a worker: a misspelt tag merged into the right one and another deleted,
// each change run by the worker's workflow while the page follows it, and a change that stopped
// shown with its reason.

const session = useBrowserSession();
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
const nav = (name: string) => openFromMainMenu(session.page, name);

it('merges a misspelt tag into the right one and deletes another, from the tags page', async () => {
  const { page } = session;
  const people: [string, string[]][] = [
    ['ann', ['gold']],
    ['ben', ['goldd']],
    ['cat', ['goldd', 'gold', 'trial-2025']],
  ];
  for (const [who, tags] of people) {
    await session.api('/api/contacts', { email: `tags.${who}@example.com`, tags });
  }
  await session.api('/api/segments', {
    kind: 'dynamic',
    name: 'Gold club',
    rule: { kind: 'tag', op: 'has', tag: 'gold' },
  });
  await nav('Tags');
  const row = (tag: string) =>
    page.locator('tr', { has: page.getByRole('rowheader', { name: tag, exact: true }) });
  await poll(() => row('goldd').getByRole('cell').allTextContents()).toEqual([
    '2 contacts',
    'Nothing',
    'Rename Delete',
  ]);
  expect(await row('gold').getByRole('cell').nth(1).textContent()).toBe('segment Gold club');
  await screenshot(page, 'tags-page');

  // A tag the segment reads cannot go: the dialog says who uses it instead.
  await page.getByRole('button', { name: 'Delete gold', exact: true }).click();
  const inUse = page.getByRole('dialog', { name: '“gold” is in use' });
  await poll(() => inUse.isVisible()).toBe(true);
  expect(await inUse.getByRole('link', { name: 'segment Gold club' }).count()).toBe(1);
  await inUse.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'Rename goldd' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename “goldd”' });
  // A tag the score gives and takes away cannot take a merge: said before, not refused after.
  await rename.getByLabel('New name').fill('hot-lead');
  await poll(() => rename.locator('.field-hint').textContent()).toBe(
    '“hot-lead” is given and taken away by the score, from 50 points: “goldd” cannot be merged into it. Choose another name.',
  );
  expect(await rename.getByRole('button', { name: 'Rename' }).isDisabled()).toBe(true);
  await rename.getByLabel('New name').fill('gold');
  await poll(() => rename.locator('.field-hint').textContent()).toBe(
    '“gold” exists (2 contacts): the two become one, and a contact who has both keeps one. It is used by segment Gold club: contacts who get it may enter those segments or take those branches.',
  );
  await screenshot(page, 'tags-rename');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await poll(() => page.getByRole('status').textContent()).toBe(
    'Renamed “goldd” to “gold” on 2 contacts.',
  );
  await poll(() => row('goldd').count()).toBe(0);
  expect(await row('gold').getByRole('cell').first().textContent()).toBe('3 contacts');

  await page.getByRole('button', { name: 'Delete trial-2025' }).click();
  const remove = page.getByRole('dialog', { name: 'Delete the tag “trial-2025”?' });
  await remove.getByRole('button', { name: 'Delete tag' }).click();
  await poll(() => page.getByRole('status').textContent()).toBe(
    'Deleted “trial-2025” from 1 contact.',
  );
  expect(await row('trial-2025').count()).toBe(0);

  // From a tag's count to the contacts who have it.
  await row('gold').getByRole('link', { name: '3 contacts' }).click();
  await poll(() =>
    page
      .getByRole('row', { name: /tags\./ })
      .getByRole('link')
      .allTextContents(),
  ).toEqual(['tags.cat@example.com', 'tags.ben@example.com', 'tags.ann@example.com']);
  expect(await page.getByLabel('With tag').inputValue()).toBe('gold');
});

it('shows a change that stopped half-way, with the reason', async () => {
  const { page, app } = session;
  await app.sql`
    insert into tag_changes (workspace_id, tag, to_tag, cause, status, changed, error, finished_at)
    values (${app.workspaceId}, 'beta', null, 'manual', 'failed', 1000,
      '“beta” is still used by segment “Beta testers”.', now())`;
  await nav('Journeys');
  await nav('Tags');
  await poll(() => page.getByRole('list', { name: 'Tag changes' }).textContent()).toBe(
    'Deleting “beta” stopped after 1,000 contacts: “beta” is still used by segment “Beta testers”.',
  );
});
