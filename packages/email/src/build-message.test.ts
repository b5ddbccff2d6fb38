import { describe, expect, it } from 'vitest';
import { buildMessage, type BuildMessageInput } from './build-message';
import { compileTemplate } from './compile-template';
import { marketingTemplate, TEST_SECRET } from './test-fixtures';
import { createTracking } from './tracking';

const tracking = createTracking({
  publicUrl: 'https://mail.example.com',
  secret: TEST_SECRET,
  unsubscribeMailbox: 'unsubscribe@mail.example.com',
});

async function build(overrides: Partial<BuildMessageInput> = {}) {
  return buildMessage({
    template: await compileTemplate(marketingTemplate()),
    contact: {
      id: 'c1',
      email: 'ana@example.test',
      name: 'Ana Lima',
      first_name: 'Ana',
      segments: [],
    },
    event: { product: 'Tea', product_id: 7, url: 'https://shop.test/orders/7' },
    workspace: { id: 'w1', name: 'Acme' },
    messageId: 'm1',
    idempotencyKey: 'run:j1:c1:send:1',
    tracking,
    ...overrides,
  });
}

const hrefs = (html: string) => [...html.matchAll(/<a\b[^>]*?\shref="([^"]*)"/g)].map((m) => m[1]!);

describe('buildMessage', () => {
  it('refuses to build a message whose subject renders empty for this contact, but not a test', async () => {
    const template = await compileTemplate(
      marketingTemplate({ subject: '{{ contact.nickname }} ' }),
    );
    await expect(build({ template })).rejects.toMatchObject({
      name: 'TemplateError',
      issues: [
        {
          field: 'subject',
          message: expect.stringContaining('The subject is empty for this contact') as unknown,
        },
      ],
    });
    await expect(build({ template, test: true })).resolves.toMatchObject({ subject: '' });
  });

  it('signs each link as a browser requests it, so the click redirect can send it back', async () => {
    const template = marketingTemplate({
      body: {
        kind: 'html',
        source: `<p><a href="https://shop.fr/soldes-d’été">Sale</a>
<a href="https://магазин.рф/каталог">Shop</a>
<a href="https://shop.test/c/{{ contact.coupon }}">Your coupon</a></p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`,
      },
    });
    const message = await build({
      template: await compileTemplate(template),
      contact: { id: 'c1', email: 'ana@example.test', coupon: 'SUMMER 50/50' },
    });
    const destinations = (urls: string[]) =>
      urls
        .filter((url) => url.startsWith('https://mail.example.com/t/c/'))
        .map((url) => tracking.verifyClick(url.slice('https://mail.example.com/t/c/'.length))?.url);
    const expected = [
      'https://shop.fr/soldes-d%E2%80%99%C3%A9t%C3%A9',
      'https://xn--80aairftm.xn--p1ai/%D0%BA%D0%B0%D1%82%D0%B0%D0%BB%D0%BE%D0%B3',
      'https://shop.test/c/SUMMER%2050/50',
    ];
    expect(destinations(hrefs(message.html))).toEqual(expected);
    const textLinks = [...message.text.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
    expect(destinations(textLinks)).toEqual(expected);
    expect(message.text).not.toContain('50/50]');
  });

  it('addresses the contact from the template sender with a deterministic Message-ID', async () => {
    const message = await build();
    expect(message.from).toEqual({ name: 'Acme', address: 'news@acme.test' });
    expect(message.to).toEqual({ name: 'Ana Lima', address: 'ana@example.test' });
    expect(message.subject).toBe('Hi Ana');
    expect(message.internetMessageId).toMatch(/^<[0-9a-f]{40}@acme\.test>$/);
    expect((await build()).internetMessageId).toBe(message.internetMessageId);
    expect((await build({ idempotencyKey: 'other' })).internetMessageId).not.toBe(
      message.internetMessageId,
    );
  });

  it('rewrites every outside link of marketing email into a verifiable click redirect', async () => {
    const message = await build();
    const links = hrefs(message.html);
    const clicks = links.filter((href) => href.startsWith('https://mail.example.com/t/c/'));
    expect(
      clicks.map((href) =>
        tracking.verifyClick(href.slice('https://mail.example.com/t/c/'.length)),
      ),
    ).toEqual([
      { messageId: 'm1', url: 'https://shop.test/p?id=7&ref=mail' },
      { messageId: 'm1', url: 'https://shop.test/orders/7' },
    ]);
    expect(links.filter((href) => !clicks.includes(href))).toEqual([
      tracking.preferencesUrl({ workspaceId: 'w1', contactId: 'c1' }),
      tracking.unsubscribeUrl({
        workspaceId: 'w1',
        contactId: 'c1',
        messageId: 'm1',
        topic: 'newsletter',
      }),
    ]);
    expect(message.text).toMatch(/See it \[https:\/\/mail\.example\.com\/t\/c\/[\w.-]+\]/);
    expect(message.text).not.toContain('https://shop.test');
  });

  it('adds the open pixel, the preheader and the one-click unsubscribe headers', async () => {
    const message = await build();
    const pixel = /<img src="https:\/\/mail\.example\.com\/t\/o\/([\w.-]+)"/.exec(message.html);
    expect(tracking.verifyOpen(pixel![1]!)).toEqual({ messageId: 'm1' });
    expect(message.html).toMatch(/<body[^>]*><div style="display:none[^"]*">Thanks for your Tea/);
    const unsubscribe =
      /^<https:\/\/mail\.example\.com\/u\/([\w.-]+)>, <mailto:unsubscribe@mail\.example\.com\?subject=unsubscribe%20([\w.-]+)>$/.exec(
        message.headers['List-Unsubscribe']!,
      );
    expect(tracking.verifyUnsubscribe(unsubscribe![1]!)).toEqual({
      workspaceId: 'w1',
      contactId: 'c1',
      messageId: 'm1',
      topic: 'newsletter',
    });
    expect(unsubscribe![2]).toBe(unsubscribe![1]);
    expect(message.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(message.headers['X-Relance-Message']).toBe('m1');
  });

  it('signs the unsubscribe and preference links of a test for no contact, keeping the Liquid', async () => {
    const template = await compileTemplate(
      marketingTemplate({
        body: {
          kind: 'html',
          source: '<p>{{ contact.id }}</p><a href="{{ unsubscribe_url }}">x</a>',
        },
      }),
    );
    const message = await build({ template, test: true });
    expect(message.html).toContain('<p>c1</p>');
    const header = /^<https:\/\/mail\.example\.com\/u\/([\w.-]+)>/.exec(
      message.headers['List-Unsubscribe']!,
    );
    expect(tracking.verifyUnsubscribe(header![1]!)).toMatchObject({ contactId: 'test' });
    const link = /href="https:\/\/mail\.example\.com\/u\/([\w.-]+)"/.exec(message.html);
    expect(tracking.verifyUnsubscribe(link![1]!)).toMatchObject({ contactId: 'test' });
  });

  it('gives a confirmation email its signed {{ confirm_url }}', async () => {
    const template = await compileTemplate(
      marketingTemplate({
        kind: 'transactional',
        topic: null,
        body: { kind: 'html', source: '<a href="{{ confirm_url }}">Confirm</a>' },
      }),
    );
    const confirmation = { workspaceId: 'w1', contactId: 'c1', formId: 'f1', topics: ['news'] };
    const message = await build({ template, confirmation });
    const token = /href="https:\/\/mail\.example\.com\/s\/([\w.-]+)"/.exec(message.html)![1]!;
    expect(tracking.verifyConfirm(token)).toEqual(confirmation);
  });

  it('leaves transactional email untracked and without list headers', async () => {
    const template = await compileTemplate(
      marketingTemplate({ kind: 'transactional', topic: null }),
    );
    const message = await build({ template });
    expect(hrefs(message.html)).toContain('https://shop.test/orders/7');
    expect(message.html).not.toContain('/t/o/');
    expect(message.headers).toEqual({ 'X-Relance-Message': 'm1' });
  });
});
