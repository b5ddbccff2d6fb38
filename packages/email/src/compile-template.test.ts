import { describe, expect, it } from 'vitest';
import { compileTemplate, insertPreheader, type RenderContext } from './compile-template';
import { htmlLiquid } from './liquid';
import { compileMjml } from './mjml';
import { TemplateError } from './template-issue';
import { marketingTemplate } from './test-fixtures';

const ANA: RenderContext = {
  contact: { first_name: 'Ana', segments: ['vip'] },
  event: { product: 'Green tea', product_id: 42, url: 'https://shop.test/orders/9?a=1&b=2' },
  workspace: { name: 'Acme' },
  links: { unsubscribe: 'https://mail.test/u/tok', preferences: 'https://mail.test/p/tok' },
};

// Liquid first, then MJML, for every message: the definition the precompiled path must match.
async function referenceHtml(source: string, context: RenderContext): Promise<string> {
  const scope = {
    ...context,
    event: context.event ?? {},
    unsubscribe_url: context.links?.unsubscribe ?? '',
    preferences_url: context.links?.preferences ?? '',
  };
  return (await compileMjml(htmlLiquid.parseAndRenderSync(source, scope) as string)).html;
}

// Comments (including Outlook conditionals) and whitespace between tags do not show.
function visible(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/>\s+</g, '><')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('compileTemplate', () => {
  it('renders subject, preheader, HTML and text with Liquid over contact, event and workspace', async () => {
    const compiled = await compileTemplate(marketingTemplate());
    const rendered = await compiled.render(ANA);
    expect(rendered.subject).toBe('Hi Ana');
    expect(rendered.preheader).toBe('Thanks for your Green tea');
    expect(rendered.html).toContain('Hello Ana</h1>');
    expect(rendered.html).toContain('You bought Green tea from Acme.');
    expect(rendered.html).toContain('href="https://shop.test/p?id=42&amp;ref=mail"');
    expect(rendered.html).toContain('href="https://shop.test/orders/9?a=1&amp;b=2"');
    expect(rendered.html).toContain('VIP: 20% off');
    expect(rendered.text).toContain('Hello Ana');
    expect(rendered.text).toContain('See it [https://shop.test/p?id=42&ref=mail]');
    expect(rendered.text).toContain('Unsubscribe [https://mail.test/u/tok]');
    expect(rendered.text).not.toMatch(/\n\n\n/);
  });

  it('uses safe defaults when the contact lacks a field and picks the content variant', async () => {
    const compiled = await compileTemplate(marketingTemplate());
    const rendered = await compiled.render({ contact: { segments: [] }, workspace: {} });
    expect(rendered.subject).toBe('Hi there');
    expect(rendered.html).toContain('Hello there</h1>');
    expect(rendered.html).not.toContain('VIP');
    expect(rendered.text).not.toContain('VIP');
  });

  it('escapes contact data in HTML but not in the subject or text', async () => {
    const compiled = await compileTemplate(marketingTemplate());
    const rendered = await compiled.render({ ...ANA, contact: { first_name: '<b>Ana & Bo</b>' } });
    expect(rendered.html).toContain('Hello &lt;b&gt;Ana &amp; Bo&lt;/b&gt;</h1>');
    expect(rendered.subject).toBe('Hi <b>Ana & Bo</b>');
    expect(rendered.text).toContain('Hello <b>Ana & Bo</b>');
  });

  it('precompiles MJML once when Liquid only wraps stacked elements', async () => {
    const template = marketingTemplate();
    const compiled = await compileTemplate(template);
    expect(compiled.strategy).toBe('precompiled');
    const noVip = { ...ANA, contact: { first_name: 'Bo', segments: [] } };
    for (const context of [ANA, noVip]) {
      const rendered = await compiled.render(context);
      const withoutPreheader = rendered.html.replace(/<div style="display:none[^]*?<\/div>/, '');
      expect(visible(withoutPreheader)).toBe(
        visible(await referenceHtml(template.body.source, context)),
      );
    }
  });

  it.each([
    [
      'Liquid between columns (it changes their widths)',
      '<mj-section><mj-column><mj-text>A</mj-text></mj-column>{% if contact.vip %}<mj-column><mj-text>B</mj-text></mj-column>{% endif %}</mj-section>',
    ],
    [
      'Liquid in a layout attribute',
      '<mj-section><mj-column width="{{ contact.width }}"><mj-text>A</mj-text></mj-column></mj-section>',
    ],
  ])(
    'falls back to MJML per message for %s, with the same result as Liquid first',
    async (_label, sections) => {
      const source = `<mjml><mj-body>${sections}<mj-section><mj-column><mj-text><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text></mj-column></mj-section></mj-body></mjml>`;
      const template = marketingTemplate({ body: { kind: 'mjml', source }, preheader: '' });
      const compiled = await compileTemplate(template);
      expect(compiled.strategy).toBe('per-message');
      const context = { contact: { vip: true, width: '200px' }, workspace: {} };
      expect((await compiled.render(context)).html).toBe(await referenceHtml(source, context));
    },
  );

  it('renders plain HTML bodies without MJML and inserts the hidden preheader', async () => {
    const template = marketingTemplate({
      body: {
        kind: 'html',
        source:
          '<html><body><p>Hi {{ contact.first_name }}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a></body></html>',
      },
    });
    const compiled = await compileTemplate(template);
    expect(compiled.strategy).toBe('precompiled');
    const rendered = await compiled.render(ANA);
    expect(rendered.html).toMatch(
      /^<html><body><div style="display:none[^"]*">Thanks for your Green tea(&#847;&zwnj;&nbsp;)+<\/div><p>Hi Ana<\/p>/,
    );
    expect(rendered.text).toBe('Hi Ana\n\nUnsubscribe [https://mail.test/u/tok]\n');
  });

  it.each([
    [
      'an HTML body',
      { kind: 'html', source: '<p>Your order:</p>{{ event.items_html | raw }}<p>Thanks</p>' },
    ],
    [
      'MJML neutral to Liquid',
      {
        kind: 'mjml',
        source:
          '<mjml><mj-body><mj-section><mj-column><mj-text>Your order: {{ event.items_html | raw }}</mj-text></mj-column></mj-section></mj-body></mjml>',
      },
    ],
  ] as const)(
    'writes HTML output with | raw as text in the text part (%s)',
    async (_label, body) => {
      const compiled = await compileTemplate(marketingTemplate({ body }));
      const rendered = await compiled.render({
        ...ANA,
        event: { items_html: '<ul><li><strong>Shoes</strong> x1</li><li>Hat x2</li></ul>' },
      });
      expect(rendered.html).toContain('<li><strong>Shoes</strong> x1</li>');
      expect(rendered.text).not.toMatch(/<\/?(ul|li|strong)>/);
      expect(rendered.text).toMatch(/\* Shoes x1\n +\* Hat x2/);
    },
  );

  it('uses the explicit text part when there is one', async () => {
    const compiled = await compileTemplate(
      marketingTemplate({ text: 'Hello {{ contact.first_name }} & co' }),
    );
    expect((await compiled.render(ANA)).text).toBe('Hello Ana & co\n');
  });

  it('throws a TemplateError naming the field when Liquid does not parse', async () => {
    const failure = await compileTemplate(
      marketingTemplate({ subject: 'Hi {{ x | nope }}' }),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TemplateError);
    expect((failure as TemplateError).issues).toEqual([
      { field: 'subject', line: 1, column: 4, message: 'Unknown filter "nope"' },
    ]);
  });

  it('turns a render-time Liquid failure into a TemplateError', async () => {
    const compiled = await compileTemplate(
      marketingTemplate({ subject: '{% for i in (1..contact.n) %}{% endfor %}' }),
    );
    const failure = await compiled
      .render({ contact: { n: 1e9 }, workspace: {} })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TemplateError);
    expect((failure as TemplateError).issues[0]).toMatchObject({
      field: 'subject',
      message: expect.stringContaining(
        'would run 1,000,000,000 times (contact.n is 1000000000)',
      ) as string,
    });
  });
});

describe('insertPreheader', () => {
  it.each([
    [
      '<html><body class="x"><p>a</p></body></html>',
      /^<html><body class="x"><div style="display:none/,
    ],
    ['<p>fragment</p>', /^<div style="display:none/],
  ])('puts the hidden preheader first in %s', (html, expected) => {
    expect(insertPreheader(html, 'Sale & more')).toMatch(expected);
    expect(insertPreheader(html, 'Sale & more')).toContain('>Sale &amp; more&#847;');
  });

  it('leaves the HTML alone without a preheader', () => {
    expect(insertPreheader('<p>a</p>', '')).toBe('<p>a</p>');
  });
});
