import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openFromMainMenu, screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// The audience screens as a marketer uses them: a signup form built in the app and filled in on
// its hosted page, the suppression list, topics, and editing a contact (saving the scoring rules,
// which the worker follows up: settings-rechecks.test.ts).

// Every wait is on a server round trip that a loaded machine can slow well past a second.
const poll = <T>(read: () => Promise<T> | T, options: { timeout?: number } = {}) =>
  expect.poll(read, { timeout: 15_000, ...options });

describe('audience pages', () => {
  const session = useBrowserSession({ worker: false });
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ browser, page } = session);
    // What an integration would have done before the marketer arrives.
    await session.api('/api/segments', { kind: 'static', name: 'Newsletter subscribers' });
    await session.api(
      '/api/properties/contact/lifetime_value',
      { type: 'number' },
      { method: 'PUT' },
    );
    await session.api('/api/properties/contact/company', { type: 'string' }, { method: 'PUT' });
  });

  const nav = (name: string) => openFromMainMenu(page, name);

  it('creates an email topic', async () => {
    await nav('Email topics');
    await poll(() => page.getByText('No topics yet.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'New topic' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Newsletter');
    await page.getByRole('button', { name: 'Create topic' }).click();
    await poll(() => page.getByRole('row', { name: /Newsletter/ }).count()).toBe(1);
    await screenshot(page, 'topics-list');
  });

  it('builds a signup form, opens its hosted page, signs up, and the contact joins the list', async () => {
    await nav('Signup forms');
    await page.getByRole('link', { name: 'New form' }).first().click();

    // Saving without a name: the API's reason shows under the name field.
    await page.getByRole('button', { name: 'Create form' }).click();
    const nameField = page.locator('.field', { has: page.getByLabel('Form name') });
    await poll(() => nameField.locator('.field-problems').textContent()).toContain('name');

    await page.getByLabel('Form name').fill('Newsletter signup');
    await page.getByRole('button', { name: '+ Choice' }).click();
    const interest = page.getByRole('group', { name: /Field 3/ });
    // A known property says what kind of value it holds, in words.
    await interest.getByLabel('Contact property').fill('company');
    await poll(() => interest.textContent()).toContain("Saved to the contact's company (text).");
    await interest.getByLabel('Contact property').fill('interest');
    await interest.getByLabel('Label').fill('Interest');
    await page.getByLabel('Options').fill('Tea\nCoffee');
    await page
      .getByLabel('Add the contact to the list')
      .selectOption({ label: 'Newsletter subscribers' });
    await page.getByRole('checkbox', { name: 'Newsletter', exact: true }).check();
    await page.getByRole('button', { name: 'Create form' }).click();
    await poll(() => page.getByRole('heading', { name: 'Newsletter signup' }).isVisible()).toBe(
      true,
    );
    expect(await page.getByLabel('Embed on your site').inputValue()).toContain('name="interest"');
    await screenshot(page, 'signup-form-editor');

    const [hosted] = await Promise.all([
      browser.waitForEvent('page'),
      page.getByRole('link', { name: /Open the hosted page/ }).click(),
    ]);
    await hosted.waitForLoadState();
    await hosted.getByLabel('Email').fill('ada@example.com');
    await hosted.getByLabel('First name').fill('Ada');
    await hosted.getByLabel('Interest').selectOption({ label: 'Coffee' });
    await screenshot(hosted, 'signup-form-hosted');
    await hosted.getByRole('button', { name: 'Subscribe' }).click();
    await poll(() => hosted.textContent('body')).toContain('Thanks for signing up!');
    await hosted.close();

    await page.reload();
    await poll(() => page.locator('.submissions').textContent(), { timeout: 20_000 }).toContain(
      'ada@example.com',
    );
    await nav('Signup forms');
    await poll(() => page.getByTestId('form-submissions').textContent()).toBe('1');
    await screenshot(page, 'signup-forms-list');
    await nav('Segments');
    const row = page.getByRole('row', { name: /Newsletter subscribers/ });
    await poll(() => row.locator('td.number').textContent()).toBe('1');
    // The contact goes by the name the form collected, in the list and on the profile.
    await nav('Contacts');
    const ada = page.getByRole('row', { name: /ada@example\.com/ });
    await poll(() => ada.locator('th').textContent()).toBe('ada@example.comAda');
    await ada.getByRole('link', { name: 'ada@example.com' }).click();
    await poll(() => page.locator('.page-header').textContent()).toContain('Ada');
    // Her timeline says, in words, how she got on the list.
    await poll(() => page.locator('.timeline').textContent()).toContain(
      'Entered Newsletter subscribers by a signup form',
    );
    // The list's page shows the entry among its recent changes.
    await page.getByRole('link', { name: 'Newsletter subscribers' }).first().click();
    const entry = page
      .getByTestId('segment-changes')
      .getByRole('row', { name: /ada@example\.com/ });
    await poll(() => entry.textContent()).toContain('Enteredby a signup form');
    await screenshot(page, 'segment-recent-changes');
  });

  it('shows the refusal to delete a topic the form uses, inside the confirmation', async () => {
    await nav('Email topics');
    await page.getByRole('button', { name: 'Delete Newsletter' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete topic' }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toContain(
      'the signup form “Newsletter signup”',
    );
    await screenshot(page, 'topics-delete-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('row', { name: /Newsletter/ }).count()).toBe(1);
  });

  it('adds a suppression by hand, finds it, and removes it after the warning', async () => {
    await nav('Suppressions');
    await poll(() => page.getByText(/No suppressed addresses/).isVisible()).toBe(true);
    await page.getByLabel('Email address').fill('blocked@example.com');
    await page.getByLabel('Note (optional)').fill('Asked by phone');
    await page.getByRole('button', { name: 'Suppress', exact: true }).click();
    await poll(() => page.getByRole('row', { name: /blocked@example\.com/ }).count()).toBe(1);
    await page.getByLabel('Search suppressed addresses').fill('nobody');
    await poll(() => page.getByText(/No suppressed address matches/).isVisible()).toBe(true);
    await page.getByLabel('Search suppressed addresses').fill('blocked');
    await page.getByLabel('Filter by reason').selectOption('manual');
    await poll(() => page.getByRole('row', { name: /blocked@example\.com/ }).count()).toBe(1);
    await screenshot(page, 'suppressions-list');

    await page
      .getByRole('button', { name: /Remove the suppression of blocked@example\.com/ })
      .click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('will receive marketing email again');
    await screenshot(page, 'suppressions-remove-confirm');
    await dialog.getByRole('button', { name: 'Remove suppression' }).click();
    await poll(() => page.getByText(/No suppressed address matches/).isVisible()).toBe(true);
  });

  it('adds a tag and edits typed properties on a contact profile, which stay after reload', async () => {
    // What an integration stored: a list, a group of values and an empty text.
    await session.api('/api/contacts', {
      email: 'ada@example.com',
      properties: { interests: ['tea', 'coffee'], address: { city: 'Lyon' }, nickname: '' },
    });
    await nav('Contacts');
    await page.getByRole('link', { name: 'ada@example.com' }).click();
    // Shown in words: the list comma-separated, the group as pairs, the empty text as a dash.
    await poll(() => page.locator('dd[data-property="interests"]').textContent()).toBe(
      'tea, coffee',
    );
    expect(await page.locator('dd[data-property="address"]').textContent()).toBe('city: Lyon');
    expect(await page.locator('dd[data-property="nickname"]').textContent()).toBe('—');
    await page.getByLabel('New tag').fill('vip');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await poll(() => page.getByRole('button', { name: 'Remove tag vip' }).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Edit properties' }).click();
    await page.getByLabel('first_name', { exact: true }).fill('Ada L.');
    // A list is edited as chips, without brackets or quotes.
    const interests = page.getByLabel('interests', { exact: true });
    await interests.fill('cake');
    await interests.press('Enter');
    await poll(() => page.getByRole('button', { name: 'Remove cake' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Remove tea' }).click();
    await page.getByRole('button', { name: '+ Add a property' }).click();
    await page.getByLabel('New property').fill('lifetime_value');
    const value = page.getByLabel('Value (Number)');
    expect(await value.getAttribute('type')).toBe('number');
    await value.fill('120.5');
    await screenshot(page, 'contact-profile-editing');
    await page.getByRole('button', { name: 'Save properties' }).click();
    await poll(() => page.getByRole('button', { name: 'Edit properties' }).isVisible()).toBe(true);

    await page.reload();
    await poll(() => page.locator('dd[data-property="first_name"]').textContent()).toBe('Ada L.');
    expect(await page.locator('dd[data-property="lifetime_value"]').textContent()).toBe('120.5');
    expect(await page.locator('dd[data-property="interests"]').textContent()).toBe('coffee, cake');
    expect(await page.getByRole('button', { name: 'Remove tag vip' }).isVisible()).toBe(true);
    // A tag leads to everyone who has it.
    expect(
      await page
        .getByRole('list', { name: 'Tags' })
        .getByRole('link', { name: 'vip' })
        .getAttribute('href'),
    ).toBe('/contacts?tag=vip');
    await screenshot(page, 'contact-profile-edited');

    // Dates read on the workspace's calendar and clock, as the reports count days, not on the
    // browser's: far east of it, the day and hour differ from UTC's.
    const zone = 'Pacific/Kiritimati';
    await session.app
      .sql`update workspaces set timezone = ${zone} where id = ${session.app.workspaceId}`;
    try {
      const [ada] = await session.app.sql<{ createdAt: Date; enteredAt: Date }[]>`
        select c.created_at, m.entered_at from contacts c
        join segment_members m on m.contact_id = c.id
        join segments s on s.id = m.segment_id and s.name = 'Newsletter subscribers'
        where c.email = 'ada@example.com'`;
      const inZone = (at: Date, time: boolean) =>
        at.toLocaleString('en-GB', {
          day: 'numeric',
          month: 'short',
          ...(time ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
          timeZone: zone,
        });
      await page.reload();
      await poll(() => page.locator('dd[data-added]').textContent()).toBe(
        inZone(ada!.createdAt, true),
      );
      const segmentsCard = page.locator('section', {
        has: page.getByRole('heading', { name: 'Segments' }),
      });
      expect(
        await segmentsCard
          .getByRole('listitem')
          .filter({ hasText: 'Newsletter subscribers' })
          .textContent(),
      ).toContain(`since ${inZone(ada!.enteredAt, false)}`);
      await segmentsCard.getByRole('link', { name: 'Newsletter subscribers' }).click();
      const adaRow = page.getByRole('row', { name: /ada@example\.com/ });
      await poll(() => adaRow.locator('[data-member-since]').textContent()).toBe(
        inZone(ada!.enteredAt, false),
      );
      await page.goBack();
    } finally {
      await session.app
        .sql`update workspaces set timezone = 'UTC' where id = ${session.app.workspaceId}`;
      await page.reload();
    }

    // Removing the tag takes it off the profile for good too.
    await page.getByRole('button', { name: 'Remove tag vip' }).click();
    await poll(() => page.getByRole('button', { name: 'Remove tag vip' }).count()).toBe(0);
    await page.reload();
    await poll(() => page.locator('dd[data-property="first_name"]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Remove tag vip' }).count()).toBe(0);

    // Her lifecycle stage and own time zone; clearing the zone gives her the workspace's again.
    const profile = page.locator('section', {
      has: page.getByRole('heading', { name: 'Profile' }),
    });
    await page.getByRole('button', { name: 'Edit stage and time zone' }).click();
    // The API's refusal shows under the field it is about, not in a notice naming its path.
    await page.getByLabel('Lifecycle stage').fill('x'.repeat(101));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const stageField = page.locator('.field', { has: page.getByLabel('Lifecycle stage') });
    await poll(() => stageField.locator('.field-problems').count()).toBe(1);
    expect(await page.getByLabel('Lifecycle stage').getAttribute('aria-invalid')).toBe('true');
    expect(
      await page.getByRole('form', { name: 'Edit stage and time zone' }).getByRole('alert').count(),
    ).toBe(0);
    await page.getByLabel('Lifecycle stage').fill('customer');
    await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Paris');
    await screenshot(page, 'contact-stage-zone-editing');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await poll(() => profile.locator('dl').textContent()).toContain('customer');
    await page.reload();
    await poll(() => profile.locator('dl').textContent()).toMatch(
      /Time zoneEurope\/Paris(?!.*workspace)/,
    );
    await page.getByRole('button', { name: 'Edit stage and time zone' }).click();
    await page.getByLabel('Time zone', { exact: true }).selectOption('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await poll(() => profile.locator('dl').textContent()).toContain("(the workspace's)");
  });

  it('lays the audience pages out at 1920×1080', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    for (const [name, file] of [
      ['Signup forms', 'signup-forms-list-1920'],
      ['Suppressions', 'suppressions-list-1920'],
      ['Scoring', 'scoring-1920'],
      ['Email topics', 'topics-list-1920'],
    ] as const) {
      await nav(name);
      await poll(() => page.locator('main h1').textContent()).toBeTruthy();
      await poll(() => page.locator('.loading').count()).toBe(0);
      await screenshot(page, file);
    }
    await nav('Signup forms');
    await page.getByRole('link', { name: 'Newsletter signup' }).click();
    await poll(() => page.locator('.submissions').textContent()).toContain('ada@example.com');
    await screenshot(page, 'signup-form-editor-1920');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('merges a duplicate into a contact from its profile', async () => {
    const duplicate = (await session.api('/api/contacts', {
      email: 'ada.lovelace@work.example',
      properties: { company: 'Analytical Engines' },
    })) as { contact: { id: string } };
    await nav('Contacts');
    await page.getByRole('link', { name: 'ada@example.com' }).click();
    const picker = page.getByLabel('The duplicate contact');
    await picker.fill('ada.lovelace');
    await page.getByRole('option', { name: 'ada.lovelace@work.example' }).click();
    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', {
      name: 'Merge ada.lovelace@work.example into ada@example.com?',
    });
    await poll(() => dialog.textContent()).toContain('This cannot be undone.');
    await screenshot(page, 'contact-merge-confirm');
    await dialog.getByRole('button', { name: 'Merge contacts' }).click();

    await poll(() => page.locator('dd[data-property="company"]').textContent()).toBe(
      'Analytical Engines',
    );
    await poll(() => page.locator('.timeline').textContent()).toContain(
      'Merged ada.lovelace@work.example into this contact',
    );
    expect(await page.locator('.timeline').textContent()).not.toContain('mergedId');
    expect(await page.locator('.timeline').textContent()).toContain(
      'The duplicate left Prospects when it was merged into this contact',
    );
    expect(await page.getByText('One contact was merged into this one already').count()).toBe(1);
    await screenshot(page, 'contact-merged');
    // The duplicate is gone from the list, and its address leads to the survivor.
    await nav('Contacts');
    await poll(() => page.getByRole('link', { name: 'ada@example.com' }).count()).toBe(1);
    // The list shows what it had cached while it asks again.
    await poll(() => page.getByRole('link', { name: 'ada.lovelace@work.example' }).count()).toBe(0);
    await page.goto(new URL(`/contacts/${duplicate.contact.id}`, page.url()).href);
    await poll(() => page.getByRole('heading', { name: 'ada@example.com' }).isVisible()).toBe(true);
  });

  it('adds a contact to a static segment by hand and takes them out again', async () => {
    await session.api('/api/contacts', { email: 'bob.builder@example.com' });
    await nav('Segments');
    await page.getByRole('link', { name: 'Newsletter subscribers' }).click();
    const members = page.locator('table', {
      has: page.getByRole('columnheader', { name: 'Member since' }),
    });
    await poll(() => members.getByRole('link', { name: 'ada@example.com' }).count()).toBe(1);

    // The results follow the typing: wait for the ones of the whole query.
    await page.getByLabel('Contact to add').fill('bob.builder');
    await poll(() => page.getByRole('option').count()).toBe(1);
    await page.getByRole('option', { name: 'bob.builder@example.com' }).click();
    await page.getByRole('button', { name: 'Add to segment' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe(
      'bob.builder@example.com was added.',
    );
    await poll(() => members.getByRole('link', { name: 'bob.builder@example.com' }).count()).toBe(
      1,
    );
    await poll(() => page.locator('.big-count').textContent()).toBe('2 contacts');
    await screenshot(page, 'segment-static-add-member');

    // Adding them again changes nothing, and says so.
    await page.getByLabel('Contact to add').fill('bob.builder');
    await poll(() => page.getByRole('option').count()).toBe(1);
    await page.getByRole('option', { name: 'bob.builder@example.com' }).click();
    await page.getByRole('button', { name: 'Add to segment' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe(
      'bob.builder@example.com was already in this segment.',
    );

    await page
      .getByRole('button', { name: 'Remove bob.builder@example.com from the segment' })
      .click();
    await poll(() => members.getByRole('link', { name: 'bob.builder@example.com' }).count()).toBe(
      0,
    );
    await poll(() => page.locator('.big-count').textContent()).toBe('1 contact');
    const changes = page.locator('section', {
      has: page.getByRole('heading', { name: 'Recent entries and exits' }),
    });
    await poll(() =>
      changes.getByRole('row', { name: /bob\.builder@example\.com Left by hand/ }).count(),
    ).toBe(1);
    expect(
      await changes.getByRole('row', { name: /bob\.builder@example\.com Entered by hand/ }).count(),
    ).toBe(1);

    // From the contact's side: join the list again from the profile, then leave it.
    await nav('Contacts');
    await page.getByRole('link', { name: 'bob.builder@example.com' }).click();
    const segmentsCard = page.locator('section', {
      has: page.getByRole('heading', { name: 'Segments', exact: true }),
    });
    const listLink = segmentsCard.getByRole('link', { name: 'Newsletter subscribers' });
    await poll(() => segmentsCard.getByRole('link', { name: 'Prospects' }).count()).toBe(1);
    expect(await listLink.count()).toBe(0);
    await segmentsCard
      .getByLabel('Static segment')
      .selectOption({ label: 'Newsletter subscribers' });
    await segmentsCard.getByRole('button', { name: 'Add', exact: true }).click();
    await poll(() => listLink.count()).toBe(1);
    await poll(() => page.locator('.timeline').textContent()).toContain(
      'Entered Newsletter subscribers by hand',
    );
    await screenshot(page, 'contact-static-segment');
    await segmentsCard.getByRole('button', { name: 'Remove from Newsletter subscribers' }).click();
    await poll(() => listLink.count()).toBe(0);
    await poll(() => page.locator('.timeline').textContent()).toContain(
      'Left Newsletter subscribers by hand',
    );
  });

  it('tags several contacts at once from the list, and puts some of them in a static segment', async () => {
    for (const who of ['ann', 'ben', 'cat']) {
      await session.api('/api/contacts', { email: `webinar.${who}@example.com`, tags: ['lead'] });
    }
    await nav('Contacts');
    await page.getByLabel('Search contacts').fill('webinar.');
    const rows = page.getByRole('row', { name: /webinar\./ });
    const bar = page.getByRole('form', { name: 'Act on the selected contacts' });
    expect(await bar.count()).toBe(0);
    // At once: the boxes wait for the search to apply, so only its three are ticked.
    await page.getByLabel('Select every contact shown').check();
    await poll(() => bar.locator('strong').textContent()).toBe('3 contacts selected');
    expect(await page.getByRole('row').count()).toBe(4);
    expect(await rows.count()).toBe(3);
    await bar.getByLabel('Tag').fill('webinar-2026');
    await bar.getByRole('button', { name: 'Apply' }).click();
    await poll(() => bar.getByRole('status').textContent()).toBe(
      'Tagged 3 contacts “webinar-2026”.',
    );
    // The list shows the new tags without a reload.
    await poll(() => page.getByRole('row', { name: /webinar-2026/ }).count()).toBe(3);
    await screenshot(page, 'contacts-bulk-tag');

    // Take one out of the selection: the header box is half ticked.
    await page.getByLabel('Select webinar.cat@example.com').uncheck();
    await poll(() => bar.locator('strong').textContent()).toBe('2 contacts selected');
    expect(
      await page
        .getByLabel('Select every contact shown')
        .evaluate((box) => (box as { indeterminate: boolean }).indeterminate),
    ).toBe(true);
    await bar.getByLabel('Action').selectOption({ label: 'Add to a static segment' });
    await bar.getByLabel('Static segment').selectOption({ label: 'Newsletter subscribers' });
    await bar.getByRole('button', { name: 'Apply' }).click();
    await poll(() => bar.getByRole('status').textContent()).toBe(
      'Added 2 contacts to Newsletter subscribers.',
    );
    await bar.getByRole('button', { name: 'Apply' }).click();
    await poll(() => bar.getByRole('status').textContent()).toBe(
      'Nothing changed: 2 contacts were already in Newsletter subscribers.',
    );
    await bar.getByLabel('Action').selectOption({ label: 'Remove a tag' });
    // The tag field suggests the workspace's tags, the one added a moment ago among them.
    const suggested = () =>
      bar
        .getByLabel('Tag')
        .evaluate((input) =>
          Array.from(
            (input as { list: { options: ArrayLike<{ value: string }> } | null }).list?.options ??
              [],
            (o) => o.value,
          ),
        );
    await poll(suggested).toEqual(expect.arrayContaining(['lead', 'webinar-2026', 'vip']));
    await bar.getByLabel('Tag').fill('lead');
    await bar.getByRole('button', { name: 'Apply' }).click();
    await poll(() => bar.getByRole('status').textContent()).toBe('Removed “lead” from 2 contacts.');
    await poll(() => page.getByRole('row', { name: /lead/ }).count()).toBe(1);

    // A new search starts with nothing selected.
    await page.getByLabel('Search contacts').fill('webinar.ann');
    await poll(() => page.getByRole('row').count()).toBe(2);
    expect(await bar.count()).toBe(0);

    // A tag in the list shows everyone with it, also from the tag picker and the address.
    await page.getByLabel('Search contacts').fill('');
    await page.getByRole('button', { name: 'webinar-2026' }).first().click();
    expect(await page.getByLabel('With tag').inputValue()).toBe('webinar-2026');
    await poll(() => page.getByRole('row').count()).toBe(4);
    expect(await rows.count()).toBe(3);
    expect(new URL(page.url()).searchParams.get('tag')).toBe('webinar-2026');
    // What the list shows downloads as a spreadsheet-ready file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('contacts.csv');
    const lines = (await readFile(await download.path(), 'utf8')).split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFFemail,external_id,added,score,lifecycle_stage,timezone,tags/);
    expect(
      lines
        .slice(1, -1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(['webinar.ann@example.com', 'webinar.ben@example.com', 'webinar.cat@example.com']);
    await page.getByLabel('With tag').selectOption({ label: 'Tagged lead' });
    await poll(() =>
      page
        .getByRole('row', { name: /webinar\./ })
        .getByRole('link')
        .allTextContents(),
    ).toEqual(['webinar.cat@example.com']);

    await nav('Segments');
    await page.getByRole('link', { name: 'Newsletter subscribers' }).click();
    const members = page.locator('table', {
      has: page.getByRole('columnheader', { name: 'Member since' }),
    });
    // Members are listed by id: sort them to compare.
    const names = async () =>
      (await members.getByRole('link', { name: /^webinar\./ }).allTextContents()).sort();
    await poll(names).toEqual(['webinar.ann@example.com', 'webinar.ben@example.com']);
  });

  it('changes a contact’s email preferences on their request', async () => {
    await nav('Contacts');
    await page.getByRole('link', { name: 'bob.builder@example.com' }).click();
    const card = page.locator('section', {
      has: page.getByRole('heading', { name: 'Email preferences' }),
    });
    // Newsletter is an opt-out topic: Bob receives it until he says no.
    await poll(() => card.locator('[data-topic="newsletter"]').textContent()).toBe(
      'Newsletter: receives',
    );
    await card.getByRole('button', { name: 'Change preferences' }).click();
    const form = card.getByRole('form', { name: 'Change email preferences' });
    await form.getByRole('checkbox', { name: 'Newsletter' }).uncheck();
    await form.getByLabel('How often').selectOption({ label: 'A monthly digest' });
    await screenshot(page, 'contact-preferences-editing');
    await form.getByRole('button', { name: 'Save preferences' }).click();
    await poll(() => card.locator('[data-topic="newsletter"]').textContent()).toBe(
      'Newsletter: does not receive',
    );
    expect(await card.textContent()).toContain('How often: A monthly digest');
    await poll(() => page.locator('.timeline').textContent()).toContain(
      'Unsubscribed from Newsletter, changed by a teammate',
    );
    expect(await page.locator('.timeline').textContent()).toContain(
      'Chose to receive a monthly digest, changed by a teammate',
    );

    await card.getByRole('button', { name: 'Change preferences' }).click();
    await form.getByRole('checkbox', { name: 'Unsubscribe from all marketing email' }).check();
    await form.getByRole('button', { name: 'Save preferences' }).click();
    await poll(() => card.textContent()).toContain('Unsubscribed from all marketing email.');
    await nav('Suppressions');
    await poll(() => page.getByRole('row', { name: /bob\.builder@example\.com/ }).count()).toBe(1);

    // Blocked by hand as well: the profile says that nothing reaches the address, and why.
    await session.api('/api/suppressions', { email: 'bob.builder@example.com', reason: 'manual' });
    await nav('Contacts');
    await page.getByRole('link', { name: 'bob.builder@example.com' }).click();
    await poll(() => card.locator('.notice.error').textContent()).toBe(
      'No email goes to this address: it was blocked by hand. See Suppressions.',
    );
  });

  it('deletes a contact who asked to be forgotten, after saying what goes and what stays', async () => {
    const created = (await session.api('/api/contacts', {
      email: 'forget.me@example.com',
      properties: { first_name: 'Grace', last_name: 'Forgotten' },
    })) as { contact: { id: string } };
    await nav('Contacts');
    await page.getByRole('link', { name: 'forget.me@example.com' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', {
      name: 'Delete Grace Forgotten (forget.me@example.com)?',
    });
    await poll(() => dialog.textContent()).toContain(
      'Everything Relance knows about this person is deleted for good',
    );
    expect(await dialog.textContent()).toContain('If the address is on the suppression list');
    await screenshot(page, 'contact-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete contact' }).click();

    await poll(() => page.getByRole('heading', { name: 'Contacts' }).isVisible()).toBe(true);
    await poll(() => page.getByRole('link', { name: 'ada@example.com' }).count()).toBe(1);
    await poll(() => page.getByRole('link', { name: 'forget.me@example.com' }).count()).toBe(0);
    await page.goto(new URL(`/contacts/${created.contact.id}`, page.url()).href);
    await poll(() => page.getByRole('alert').textContent()).toContain('The contact was not found');
  });

  it('deletes a segment, after naming the segment that still uses it', async () => {
    const list = (await session.api('/api/segments', {
      kind: 'static',
      name: 'Old webinar list',
    })) as {
      id: string;
    };
    await session.api('/api/segments', {
      kind: 'dynamic',
      name: 'Webinar follow-up',
      rule: { kind: 'segment', op: 'in', segmentId: list.id },
    });
    await nav('Segments');
    await page.getByRole('link', { name: 'Old webinar list' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    // The dialog says what uses it before anyone clicks Delete, and offers no Delete.
    const dialog = page.getByRole('dialog', { name: 'Delete the segment Old webinar list?' });
    await poll(() => dialog.textContent()).toContain(
      'Segment Webinar follow-up reads it in its rule: change the rule so that it no longer does.',
    );
    expect(await dialog.getByRole('link', { name: 'Webinar follow-up' }).count()).toBe(1);
    expect(await dialog.getByRole('button', { name: 'Delete segment' }).count()).toBe(0);
    await screenshot(page, 'segment-delete-refused');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Delete the segment that reads it first; then the list goes too.
    for (const name of ['Webinar follow-up', 'Old webinar list']) {
      await nav('Segments');
      await page.getByRole('link', { name }).click();
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await page
        .getByRole('dialog', { name: `Delete the segment ${name}?` })
        .getByRole('button', { name: 'Delete segment' })
        .click();
      await poll(() => page.getByRole('heading', { name: 'Segments' }).isVisible()).toBe(true);
      await poll(() => page.getByRole('link', { name }).count()).toBe(0);
    }
  });

  // Adds 60 contacts: last, so that the other tests' contacts stay on the list's first page.
  it('enrols the selected contacts in a live journey, once each', async () => {
    const journey = (await session.api('/api/journeys', {
      name: 'Welcome series',
      settings: {},
      nodes: [
        { id: 'trigger', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
        {
          id: 'tag',
          kind: 'action.tag',
          position: { x: 0, y: 160 },
          config: { add: ['welcomed'] },
        },
        { id: 'exit', kind: 'logic.exit', position: { x: 0, y: 320 }, config: {} },
      ],
      edges: [
        { from: 'trigger', port: 'out', to: 'tag' },
        { from: 'tag', port: 'out', to: 'exit' },
      ],
    })) as { id: string };
    await session.api(`/api/journeys/${journey.id}/publish`, {});
    for (const who of ['ann', 'ben']) {
      await session.api('/api/contacts', { email: `welcome.${who}@example.com` });
    }
    await nav('Contacts');
    await page.getByLabel('Search contacts').fill('welcome.');
    await poll(() => page.getByRole('row', { name: /welcome\./ }).count()).toBe(2);
    await page.getByLabel('Select every contact shown').check();
    const bar = page.getByRole('form', { name: 'Act on the selected contacts' });
    await bar.getByLabel('Action').selectOption({ label: 'Enrol in a journey' });
    await bar.getByLabel('Journey', { exact: true }).selectOption({ label: 'Welcome series' });
    // Emails may go out at once: the number is confirmed first.
    await bar.getByRole('button', { name: 'Enrol 2 contacts…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Enrol 2 contacts in Welcome series?' });
    await poll(() => confirm.textContent()).toContain('emails start going out');
    await screenshot(page, 'contacts-bulk-enrol-confirm');
    await confirm.getByRole('button', { name: 'Enrol 2 contacts' }).click();
    await poll(() => bar.getByRole('status').textContent()).toBe(
      'Enrolled 2 contacts in “Welcome series”.',
    );
    await screenshot(page, 'contacts-bulk-enrol');
    // Again: they are going through it already, so nobody enters twice.
    await bar.getByRole('button', { name: 'Enrol 2 contacts…' }).click();
    await confirm.getByRole('button', { name: 'Enrol 2 contacts' }).click();
    await poll(() => bar.getByRole('status').textContent()).toBe(
      'Nobody was enrolled: 2 contacts were already going through “Welcome series”.',
    );
  });

  it('deletes several contacts at once, after saying what goes', async () => {
    for (const who of ['ann', 'ben', 'cat']) {
      await session.api('/api/contacts', { email: `mistake.${who}@example.com` });
    }
    await nav('Contacts');
    await page.getByLabel('Search contacts').fill('mistake.');
    await poll(() => page.getByRole('row', { name: /mistake\./ }).count()).toBe(3);
    await page.getByLabel('Select every contact shown').check();
    const bar = page.getByRole('form', { name: 'Act on the selected contacts' });
    await bar.getByLabel('Action').selectOption({ label: 'Delete for good…' });
    await bar.getByRole('button', { name: 'Delete 3 contacts…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 3 contacts for good?' });
    await poll(() => dialog.isVisible()).toBe(true);
    await screenshot(page, 'contacts-bulk-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete 3 contacts' }).click();
    await poll(() => page.getByRole('status', { name: 'Deletion' }).textContent()).toBe(
      'Deleted 3 contacts.',
    );
    await poll(() => page.getByText('No contact matches “mistake.”.').count()).toBe(1);
    expect(await bar.count()).toBe(0);
    const left = await fetch(`${session.app.url}/api/contacts?q=mistake.`, {
      headers: { authorization: `Bearer ${session.app.adminToken}` },
    });
    expect(((await left.json()) as { contacts: unknown[] }).contacts).toEqual([]);
  });

  it('corrects the type of a property its first value misled, and declares one before its data', async () => {
    await session.ingest('/v1/identify', {
      userId: 'postcode-1',
      traits: { email: 'postcode@example.com', postcode: 75011 },
    });
    await session.ingest('/v1/track', {
      userId: 'postcode-1',
      event: 'Order Completed',
      properties: { amount: 42, coupon: 'WELCOME' },
    });
    await nav('Properties & events');
    const contact = page.getByRole('table', { name: 'Contact properties' });
    const row = (name: string) =>
      contact.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) });
    await poll(() => row('postcode').getByRole('cell').first().textContent()).toBe(
      'NumberFrom the first value seen',
    );
    await page.getByRole('button', { name: 'Edit postcode', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Contact property postcode' });
    await dialog.getByLabel('Type').selectOption({ label: 'Text' });
    await dialog.getByLabel('Description').fill('Where they live, leading zeros kept');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await poll(() => row('postcode').getByRole('cell').first().textContent()).toBe(
      'TextSet by your team',
    );
    expect(await row('postcode').getByRole('cell').nth(1).textContent()).toBe(
      'Where they live, leading zeros kept',
    );

    // An event's properties, named with a space as Segment's spec names events.
    const order = page.getByRole('region', { name: 'Event Order Completed' });
    await order.getByRole('button', { name: 'Edit coupon of Order Completed' }).click();
    const coupon = page.getByRole('dialog', { name: 'coupon of Order Completed' });
    await coupon.getByLabel('Description').fill('The code typed at checkout');
    await coupon.getByRole('button', { name: 'Save' }).click();
    await poll(() => order.getByRole('cell', { name: 'The code typed at checkout' }).count()).toBe(
      1,
    );

    // Declared ahead of its first value; a name the data could not carry is refused at its field.
    await page.getByRole('button', { name: 'New contact property' }).click();
    const create = page.getByRole('dialog', { name: 'New contact property' });
    await create.getByLabel('Name').fill('renewal date');
    await create.getByLabel('Type').selectOption({ label: 'Date' });
    await create.getByRole('button', { name: 'Add property' }).click();
    await poll(() => create.locator('.field-problems').textContent()).toBe(
      'Property names use letters, digits, _ and - (dots for nested fields)',
    );
    await create.getByLabel('Name').fill('renewal_date');
    await create.getByRole('button', { name: 'Add property' }).click();
    await poll(() => row('renewal_date').getByRole('cell').first().textContent()).toBe(
      'DateSet by your team',
    );
    await screenshot(page, 'properties-page');

    await page.getByLabel('Find a property or event').fill('coupon');
    await poll(() => page.getByText('No contact property contains “coupon”.').count()).toBe(1);
    expect(await order.getByRole('rowheader').allTextContents()).toEqual(['coupon']);

    // From an event to its latest occurrences.
    await order.getByRole('link', { name: 'The latest Order Completed events' }).click();
    await poll(() => page.getByLabel('Event').inputValue()).toBe('Order Completed');
    await poll(() => page.getByRole('row', { name: /postcode@example.com/ }).count()).toBe(1);

    // The segment builder's property picker says what each property holds.
    await nav('Segments');
    await page.getByRole('link', { name: 'New segment' }).click();
    const leaf = page.locator('.condition-leaf').first();
    await leaf.getByLabel('What to check').selectOption('property');
    const labels = () =>
      leaf
        .getByLabel('Property')
        .evaluate((input) =>
          Object.fromEntries(
            Array.from(
              (input as { list: { options: ArrayLike<{ value: string; label: string }> } | null })
                .list?.options ?? [],
              (o) => [o.value, o.label],
            ),
          ),
        );
    await poll(labels).toMatchObject({
      postcode: 'Where they live, leading zeros kept',
      renewal_date: 'Date',
    });
    // The rule was started, never saved: leaving it asks first.
    await nav('Segments');
    await page
      .getByRole('dialog', { name: 'Leave without saving?' })
      .getByRole('button', { name: 'Leave without saving' })
      .click();
    await poll(() => new URL(page.url()).pathname).toBe('/segments');
  });

  it('shows the latest events of every name or of one, and those that arrive while it is open', async () => {
    const now = Date.now();
    await session.ingest('/v1/batch', {
      batch: [
        {
          type: 'track',
          userId: 'feed-1',
          event: 'Checkout Started',
          properties: { cart: 3 },
          timestamp: new Date(now - 60_000).toISOString(),
        },
        {
          type: 'track',
          userId: 'feed-1',
          event: 'Order Completed',
          properties: { amount: 99, coupon: 'FEED', items: [{ sku: 'A1' }] },
          timestamp: new Date(now).toISOString(),
        },
      ],
    });
    await nav('Activity');
    const rows = page.getByRole('row', { name: /feed-1/ });
    await poll(() => rows.count()).toBe(2);
    expect(await rows.getByRole('rowheader').allTextContents()).toEqual([
      'Order Completed',
      'Checkout Started',
    ]);
    // A line's properties in short, all of them on demand.
    const order = rows.first();
    await order.getByText('amount: 99 · coupon: "FEED" · items: {…}').click();
    await poll(() => order.locator('pre').textContent()).toContain('"sku": "A1"');
    await screenshot(page, 'activity-feed');

    await page.getByLabel('Event').selectOption('Checkout Started');
    await poll(() => rows.getByRole('rowheader').allTextContents()).toEqual(['Checkout Started']);
    expect(new URL(page.url()).searchParams.get('event')).toBe('Checkout Started');
    await session.ingest('/v1/track', {
      userId: 'feed-1',
      event: 'Checkout Started',
      properties: { cart: 4 },
    });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await poll(() => rows.count()).toBe(2);
    expect(await rows.first().getByText('cart: 4').count()).toBe(1);

    await rows.first().getByRole('link', { name: 'feed-1' }).click();
    await poll(() => new URL(page.url()).pathname).toMatch(/^\/contacts\/[0-9a-f-]{36}$/);
  });

  it('lists contacts by highest score first, the order kept in the address', async () => {
    for (const [who, points] of [
      ['cold', 2],
      ['hot', 90],
      ['warm', 30],
    ] as const) {
      const created = (await session.api('/api/contacts', {
        email: `lead.${who}@example.com`,
      })) as { contact: { id: string } };
      await session.api(
        `/api/contacts/${created.contact.id}`,
        { scoreDelta: points },
        { method: 'PATCH' },
      );
    }
    await nav('Contacts');
    await page.getByLabel('Search contacts').fill('lead.');
    const emails = () =>
      page
        .getByRole('row', { name: /lead\./ })
        .getByRole('link')
        .allTextContents();
    await poll(emails).toEqual([
      'lead.warm@example.com',
      'lead.hot@example.com',
      'lead.cold@example.com',
    ]);
    await page.getByLabel('Order').selectOption({ label: 'Highest score first' });
    await poll(emails).toEqual([
      'lead.hot@example.com',
      'lead.warm@example.com',
      'lead.cold@example.com',
    ]);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('score');
  });

  it('deletes more contacts than one request takes, saying how far it got', async () => {
    await session.ingest('/v1/batch', {
      batch: Array.from({ length: 201 }, (_, i) => ({
        type: 'identify',
        userId: `purge-${i}`,
        traits: { email: `purge.${i}@example.com` },
      })),
    });
    await nav('Contacts');
    await page.getByLabel('Search contacts').fill('purge.');
    await poll(() => page.getByRole('row', { name: /purge\./ }).count()).toBe(50);
    await page.getByLabel('Select every contact shown').check();
    const bar = page.getByRole('form', { name: 'Act on the selected contacts' });
    await bar.getByRole('button', { name: /Select every contact that matches/ }).click();
    await poll(() => bar.locator('strong').textContent()).toBe('201 contacts selected');
    // The second request (the 201st contact) waits until the progress has been read.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let requests = 0;
    await page.route('**/api/contacts/delete', async (route) => {
      requests += 1;
      if (requests === 2) await held;
      await route.continue();
    });
    try {
      await bar.getByLabel('Action').selectOption({ label: 'Delete for good…' });
      await bar.getByRole('button', { name: 'Delete 201 contacts…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete 201 contacts for good?' });
      await dialog.getByRole('button', { name: 'Delete 201 contacts' }).click();
      await poll(() => dialog.getByRole('status').textContent()).toBe('200 of 201 done…');
      release();
      await poll(() => page.getByRole('status', { name: 'Deletion' }).textContent()).toBe(
        'Deleted 201 contacts.',
      );
      expect(requests).toBe(2);
    } finally {
      release();
      await page.unroute('**/api/contacts/delete');
    }
  });

  it('selects every contact of a segment, past the first page, and tags them all', async () => {
    await session.api('/api/segments', {
      kind: 'dynamic',
      name: 'November webinar',
      rule: { kind: 'property', property: 'webinar', op: 'eq', value: 'nov' },
    });
    await session.ingest('/v1/batch', {
      batch: Array.from({ length: 60 }, (_, i) => ({
        type: 'identify',
        userId: `attendee-${i}`,
        traits: { email: `attendee.${i}@example.com`, webinar: 'nov' },
      })),
    });
    // From the segment's page to its contacts in the list.
    await page.reload();
    await nav('Segments');
    await page.getByRole('link', { name: 'November webinar' }).click();
    await page.getByRole('link', { name: 'Tag or list them…' }).click();
    await poll(() => page.getByLabel('In segment').inputValue()).not.toBe('');
    expect(await page.getByLabel('In segment').locator('option:checked').textContent()).toBe(
      'In November webinar',
    );
    const rows = page.getByRole('row', { name: /attendee\./ });
    await poll(() => rows.count()).toBe(50);
    expect(await page.getByRole('row').count()).toBe(51);

    await page.getByLabel('Select every contact shown').check();
    const bar = page.getByRole('form', { name: 'Act on the selected contacts' });
    await poll(() => bar.locator('strong').textContent()).toBe('50 contacts selected');
    await bar.getByRole('button', { name: /Select every contact that matches/ }).click();
    await poll(() => bar.locator('strong').textContent()).toBe('60 contacts selected');
    expect(await bar.getByRole('button', { name: /Select every contact/ }).count()).toBe(0);
    await bar.getByLabel('Tag').fill('attended-nov');
    await bar.getByRole('button', { name: 'Apply' }).click();
    await poll(() => bar.getByRole('status').textContent()).toBe(
      'Tagged 60 contacts “attended-nov”.',
    );
    await screenshot(page, 'contacts-bulk-segment');
    await page.getByRole('button', { name: 'Show more' }).click();
    await poll(() => page.getByRole('row', { name: /attended-nov/ }).count()).toBe(60);

    // Another list starts with nothing selected.
    await page.getByLabel('In segment').selectOption({ label: 'All contacts' });
    await poll(() => bar.count()).toBe(0);
    expect(await page.getByLabel('Select every contact shown').isChecked()).toBe(false);
  });

  it('imports a spend column as a number and a signup column as a date, so a segment can compare them', async () => {
    const dir = await mkdtemp(`${tmpdir()}/relance-csv-`);
    await writeFile(
      `${dir}/customers.csv`,
      'Email,Total spent,Customer since,Lifetime value,Country\n' +
        'vip.one@example.com,650,2022-03-10,900,FR\n' +
        'vip.two@example.com,120.50,2024-11-01,80,BE\n',
    );
    try {
      await nav('Contacts');
      await page.getByRole('link', { name: 'Import CSV' }).first().click();
      await page.setInputFiles('#csv-file', `${dir}/customers.csv`);
      // New columns take the type their values show; a registered property keeps its own.
      const type = (header: string) => page.getByLabel(`Type of “${header}”`);
      await poll(() => type('Total spent').inputValue()).toBe('number');
      expect(await type('Customer since').inputValue()).toBe('date');
      expect(await type('Country').inputValue()).toBe('string');
      expect(await type('Lifetime value').locator('option:checked').textContent()).toBe(
        'As registered (Number)',
      );
      await screenshot(page, 'contacts-import-types');
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await poll(() => page.getByTestId('import-created').textContent()).toBe('2');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // Straight to the segment builder: "spent more than 500" is a number comparison.
    await nav('Segments');
    await page.getByRole('link', { name: 'New segment' }).click();
    const leaf = page.locator('.condition-leaf').first();
    await leaf.getByLabel('What to check').selectOption('property');
    await leaf.getByLabel('Property').fill('total_spent');
    await poll(() => leaf.locator('.leaf-type').textContent()).toBe('Number');
    await leaf.getByLabel('Comparison').selectOption({ label: 'is more than' });
    await leaf.getByLabel('Value', { exact: true }).fill('500');
    await poll(() => page.getByTestId('preview-count').textContent()).toBe('1');

    // A date property: the builder says what it changed, until another comparison is picked.
    await leaf.getByLabel('Property').fill('customer_since');
    const note = leaf.getByRole('status');
    await poll(() => note.textContent()).toContain(
      '“is more than” does not apply to a date: changed to “is before”.',
    );
    await leaf.getByLabel('Comparison').selectOption({ label: 'is more than … ago' });
    await poll(() => note.count()).toBe(0);
    await nav('Segments');
    await page
      .getByRole('dialog', { name: 'Leave without saving?' })
      .getByRole('button', { name: 'Leave without saving' })
      .click();
  });
});
