import { expect, it } from 'vitest';
import { openFromMainMenu, screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// A topic's key is made from its name and never typed: a name in another script (Новости), or
// one whose key another topic has (Offers & promotions, then Offers - promotions), still makes
// a topic, with a key of its own; the same name twice is refused by name, before anything is
// sent.

const session = useBrowserSession({ worker: false });
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000 });

async function topicKeys() {
  const response = await fetch(`${session.app.url}/api/topics`, {
    headers: { authorization: `Bearer ${session.app.adminToken}` },
  });
  const body = (await response.json()) as { topics: { key: string; name: string }[] };
  return Object.fromEntries(body.topics.map((t) => [t.name, t.key]));
}

it('creates topics whose names give no key or a key in use, and refuses a name in use', async () => {
  const { page } = session;
  await openFromMainMenu(page, 'Email topics');
  const dialog = page.getByRole('dialog');
  const create = async (name: string, key: string) => {
    await page.getByRole('button', { name: 'New topic' }).click();
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await poll(() => dialog.getByText(`Key: ${key}`, { exact: true }).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Create topic' }).click();
    await poll(() => page.getByRole('row', { name: new RegExp(name) }).count()).toBe(1);
  };
  await create('Offers & promotions', 'offers-promotions');
  await create('Offers - promotions', 'offers-promotions-2');
  await create('Новости', 'topic');

  await page.getByRole('button', { name: 'New topic' }).click();
  await dialog.getByLabel('Name', { exact: true }).fill('offers & Promotions ');
  await poll(() => dialog.getByRole('alert').textContent()).toBe(
    'There is already a topic named “Offers & promotions”: give this one another name.',
  );
  expect(await dialog.getByRole('button', { name: 'Create topic' }).isDisabled()).toBe(true);
  await screenshot(page, 'topic-name-in-use');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // From the template editor's topic list, the same.
  await page.goto(`${session.app.url}/templates/new`);
  await page.getByLabel('Topic').selectOption({ label: '+ New topic…' });
  await page.getByLabel('Name of the new topic').fill('Акции');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await poll(async () =>
    page
      .getByLabel('Topic')
      .locator('option:checked')
      .textContent()
      .catch(() => null),
  ).toBe('Акции');

  await openFromMainMenu(page, 'Templates');
  await page
    .getByRole('dialog', { name: 'Leave without saving?' })
    .getByRole('button', { name: 'Leave without saving' })
    .click();

  expect(await topicKeys()).toEqual({
    'Offers & promotions': 'offers-promotions',
    'Offers - promotions': 'offers-promotions-2',
    Новости: 'topic',
    Акции: 'topic-2',
  });
});

it('lists templates with their topic’s name, not its key', async () => {
  const { page } = session;
  await session.api('/api/templates', {
    name: 'Spring sale',
    kind: 'marketing',
    topic: 'offers-promotions-2',
    from: { name: 'Acme', address: 'news@acme.test' },
    replyTo: null,
    subject: 'Spring sale',
    preheader: '',
    body: {
      kind: 'html',
      source: '<p>Sale.</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    },
    text: null,
  });
  await page.goto(`${session.app.url}/templates`);
  const row = page.getByRole('row', { name: /Spring sale/ });
  await poll(() => row.getByRole('cell').nth(2).textContent()).toBe('Offers - promotions');
});
