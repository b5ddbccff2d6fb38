import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { openFromMainMenu, screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// Importing a customer export whose dates are written day first and one of whose amounts is
// written for people: the page asks how the dates are written, and the report says which
// values were left out while every customer is imported.

const session = useBrowserSession();
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

it('asks how the file’s dates are written and imports a row whose amount cannot be read, without it', async () => {
  const { page } = session;
  const dir = await mkdtemp(`${tmpdir()}/relance-csv-`);
  await writeFile(
    `${dir}/export.csv`,
    'Email;Joined;Total\n' +
      'dates.one@example.com;04/03/2019;120.5\n' +
      'dates.two@example.com;31/12/2019;"1 234,56 €"\n' +
      'dates.three@example.com;15/06/2020;n/a\n',
  );
  try {
    await openFromMainMenu(page, 'Contacts');
    await page.getByRole('link', { name: 'Import CSV' }).first().click();
    await page.setInputFiles('#csv-file', `${dir}/export.csv`);
    await poll(() => page.getByLabel('Type of “Joined”').inputValue()).toBe('date');
    // Mixed values make the amount text at first: the marketer imports it as a number.
    expect(await page.getByLabel('Type of “Total”').inputValue()).toBe('string');
    await page.getByLabel('Type of “Total”').selectOption('number');
    // 31/12/2019 can only be day first: the page proposes that order.
    const order = page.getByLabel('How are the dates in this file written?');
    expect(await order.inputValue()).toBe('dmy');
    // Choosing no order says what becomes of the dates.
    await order.selectOption('');
    await poll(() => order.locator('xpath=..').locator('.notice').textContent()).toContain(
      'A date such as 04/03/2019 is 4 March to some and 3 April to others',
    );
    await order.selectOption({ label: 'Day first: 31/12/2019' });
    await poll(() => order.locator('xpath=..').locator('.field-hint').textContent()).toBe(
      '04/03/2019 is read as 4 March 2019, in every date column.',
    );
    await screenshot(page, 'contacts-import-date-order');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await poll(() => page.getByTestId('import-created').textContent()).toBe('3');
    expect(await page.getByTestId('import-skipped').textContent()).toContain(
      '2 contacts were imported without some of their values',
    );
    const rows = await page.locator('.data-table tbody tr').allTextContents();
    expect(rows).toEqual([
      '3TotalValue left out: "1 234,56 €" is not a plain number: write the amount without its currency, with a dot for decimals and no thousands separators, such as 1234.56',
      '4TotalValue left out: "n/a" is not a number: leave the cell empty when there is no value',
    ]);
    await screenshot(page, 'contacts-import-values-left-out');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const found = (await fetch(`${session.app.url}/api/contacts?q=dates.two%40example.com`, {
    headers: { authorization: `Bearer ${session.app.adminToken}` },
  }).then((r) => r.json())) as { contacts: { properties: Record<string, unknown> }[] };
  expect(found.contacts[0]!.properties).toEqual({ joined: '2019-12-31' });
});
