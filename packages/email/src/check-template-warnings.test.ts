import { describe, expect, it } from 'vitest';
import { checkTemplate, inspectTemplate } from './check-template';
import { marketingTemplate } from './test-fixtures';

const html = (source: string) => ({ body: { kind: 'html' as const, source } });
const LINK = '<a href="{{ unsubscribe_url }}">Unsubscribe</a>';
const NOT_SHOWN = expect.stringContaining('A marketing email needs a visible unsubscribe link');

describe('the unsubscribe link must be seen', () => {
  it.each([
    ['in an HTML comment', `<p>Hi</p><!-- ${LINK} -->`],
    ['under {% if false %}', `<p>Hi</p>{% if false %}${LINK}{% endif %}`],
    ['only assigned', '<p>Hi</p>{% assign u = unsubscribe_url %}'],
    ['not in a link', '<p>Hi, copy {{ unsubscribe_url }} to leave</p>'],
  ])('refuses a link %s', async (_label, source) => {
    expect(await checkTemplate(marketingTemplate(html(source)))).toEqual([
      { field: 'body', message: NOT_SHOWN },
    ]);
  });

  it.each([
    ['a plain link', `<p>Hi</p>${LINK}`],
    [
      'a captured link',
      `{% capture u %}{{ unsubscribe_url }}{% endcapture %}<a href="{{ u }}">x</a>`,
    ],
    [
      'a footer per language',
      `{% if contact.locale == "fr" %}<a href="{{ unsubscribe_url }}">Désinscription</a>{% else %}${LINK}{% endif %}`,
    ],
  ])('accepts %s', async (_label, source) => {
    expect(await inspectTemplate(marketingTemplate(html(source)))).toEqual({
      issues: [],
      warnings: [],
    });
  });

  it('warns, without refusing, about a footer only some contacts get', async () => {
    const source = `<p>Hi</p>{% if contact.locale == "fr" %}${LINK}{% endif %}`;
    expect(await inspectTemplate(marketingTemplate(html(source)))).toEqual({
      issues: [],
      warnings: [{ field: 'body', message: expect.stringContaining('inside a condition') }],
    });
  });

  it('needs the link in a text part written by hand', async () => {
    const template = marketingTemplate({ ...html(`<p>Hi</p>${LINK}`), text: 'Hello, no link' });
    expect(await checkTemplate(template)).toEqual([
      { field: 'text', message: expect.stringContaining('The text part') },
    ]);
    const commented = marketingTemplate({
      ...html(`<p>Hi</p>${LINK}`),
      text: 'Hello {% comment %}{{ unsubscribe_url }}{% endcomment %}',
    });
    expect(await checkTemplate(commented)).toEqual([
      { field: 'text', message: expect.stringContaining('The text part') },
    ]);
    const good = marketingTemplate({
      ...html(`<p>Hi</p>${LINK}`),
      text: 'Hello\n\nUnsubscribe: {{ unsubscribe_url }}',
    });
    expect(await checkTemplate(good)).toEqual([]);
  });
});

describe('a subject that renders empty', () => {
  it('is a warning when it has no text of its own and no default', async () => {
    for (const subject of ['{{ event.product_name }}', '{{ contact.first_name }}']) {
      const inspection = await inspectTemplate(marketingTemplate({ subject }));
      expect(inspection).toEqual({
        issues: [],
        warnings: [{ field: 'subject', message: expect.stringContaining('The subject is empty') }],
      });
    }
    const fine = await inspectTemplate(marketingTemplate({ subject: 'Your {{ event.product }}' }));
    expect(fine.warnings).toEqual([]);
  });
});

describe('variables nobody has', () => {
  const known = { contact: ['first_name', 'last_name', 'locale'], event: ['product', 'url'] };

  it('warns about a misspelled variable, naming the closest known one', async () => {
    const template = marketingTemplate({
      subject: 'Hi {{ contat.first_name }}',
      ...html(`<p>{{ contact.firstname }} {{ event.prodcut }} {{ contact.zzz }}</p>${LINK}`),
    });
    const { issues, warnings } = await inspectTemplate(template, known);
    expect(issues).toEqual([]);
    expect(warnings).toEqual([
      {
        field: 'subject',
        message:
          '{{ contat }} is not a variable any contact has, so it is empty for everyone: did you mean contact?',
      },
      {
        field: 'body',
        message:
          '{{ contact.firstname }} is not a variable any contact has, so it is empty for everyone: did you mean contact.first_name?',
      },
      {
        field: 'body',
        message: '{{ contact.zzz }} is not a variable any contact has, so it is empty for everyone',
      },
      {
        field: 'body',
        message:
          '{{ event.prodcut }} is not a property of any event received yet, so it is empty in every email: did you mean event.product?',
      },
    ]);
  });

  it('knows built-ins, loop variables and assigned names', async () => {
    const source = `{% assign n = contact.tags.size %}{% for t in contact.tags %}{{ t }}{{ forloop.index }}{% endfor %}{{ n }} {{ contact.email }} {{ contact.segments }} {{ event.name }} {{ workspace.name }} {{ contact.first_name }} ${LINK} <a href="{{ preferences_url }}">p</a>`;
    const { warnings } = await inspectTemplate(marketingTemplate(html(source)), known);
    expect(warnings).toEqual([]);
  });

  it('checks no property name while the workspace has seen none', async () => {
    const template = marketingTemplate(html(`<p>{{ contact.firstname }}</p>${LINK}`));
    expect((await inspectTemplate(template, { contact: [], event: [] })).warnings).toEqual([]);
  });
});

describe('a loop as long as the data says', () => {
  it('is a warning, a loop over a fixed range is not', async () => {
    const loop = `{% for i in (1..contact.n) %}*{% endfor %}{% for i in (1..3) %}-{% endfor %}${LINK}`;
    expect(await inspectTemplate(marketingTemplate(html(loop)))).toEqual({
      issues: [],
      warnings: [
        {
          field: 'body',
          message: expect.stringContaining('{% for i in (1..contact.n) %} runs as many times'),
        },
      ],
    });
  });
});
