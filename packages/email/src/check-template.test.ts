import { describe, expect, it } from 'vitest';
import { checkTemplate } from './check-template';
import type { TemplateIssue } from './template-issue';
import { marketingTemplate } from './test-fixtures';

const FOOTER =
  '<mj-section><mj-column><mj-text><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text></mj-column></mj-section>';
const mjml = (sections: string) => `<mjml>\n<mj-body>\n${sections}\n${FOOTER}\n</mj-body>\n</mjml>`;

describe('checkTemplate', () => {
  it('accepts a good template', async () => {
    expect(await checkTemplate(marketingTemplate())).toEqual([]);
  });

  it.each<[string, Parameters<typeof marketingTemplate>[0], TemplateIssue[]]>([
    [
      'an unknown filter in the subject',
      { subject: 'Hi {{ contact.first_name | upcasee }}' },
      [{ field: 'subject', line: 1, column: 4, message: 'Unknown filter "upcasee"' }],
    ],
    [
      'broken Liquid in the preheader',
      { preheader: 'Hi {% if contact.vip %}VIP' },
      [
        {
          field: 'preheader',
          line: 1,
          column: 4,
          message: '{% if contact.vip %} is never closed: add {% endif %}',
        },
      ],
    ],
    [
      'broken Liquid in the text part',
      { text: 'Hello\n{{ contact.first_name' },
      [
        {
          field: 'text',
          line: 2,
          column: 1,
          message: '{{ contact.first_name is never closed: add }}',
        },
      ],
    ],
    [
      'an unknown filter in the body',
      {
        body: {
          kind: 'mjml',
          source: mjml(
            '<mj-section><mj-column>\n<mj-text>{{ x | shout }}</mj-text>\n</mj-column></mj-section>',
          ),
        },
      },
      [{ field: 'body', line: 4, column: 10, message: 'Unknown filter "shout"' }],
    ],
    [
      'an MJML element never closed',
      {
        body: {
          kind: 'mjml',
          source: mjml('<mj-section>\n<mj-column>\n<mj-text>Hi</mj-text>\n</mj-section>'),
        },
      },
      [
        {
          field: 'body',
          line: 4,
          message: '<mj-column> is never closed: add </mj-column> before </mj-section> on line 6',
        },
      ],
    ],
    [
      'an unknown MJML element',
      {
        body: {
          kind: 'mjml',
          source: mjml(
            '<mj-section>\n<mj-column>\n<mj-txt>Hi</mj-txt>\n</mj-column>\n</mj-section>',
          ),
        },
      },
      [{ field: 'body', line: 5, message: 'Unknown element <mj-txt>' }],
    ],
    [
      'an invalid MJML attribute value, on the line after multi-line Liquid',
      {
        body: {
          kind: 'mjml',
          source: mjml(
            '{% if\n contact.vip %}<mj-section><mj-column>\n<mj-text color="nope">Hi</mj-text>\n</mj-column></mj-section>{% endif %}',
          ),
        },
      },
      [{ field: 'body', line: 5, message: '<mj-text> color="nope" is not a valid color' }],
    ],
    [
      'a body that is not MJML',
      { body: { kind: 'mjml', source: '<p>Hello {{ unsubscribe_url }}</p>' } },
      [{ field: 'body', line: 1, message: 'An MJML body is <mjml><mj-body>…</mj-body></mjml>' }],
    ],
    [
      'MJML saved as HTML',
      { body: { kind: 'html', source: '<mjml><mj-body>{{ unsubscribe_url }}</mj-body></mjml>' } },
      [{ field: 'body', line: 1, message: 'This body is MJML: choose the MJML format' }],
    ],
    [
      'a marketing email without an unsubscribe link',
      { body: { kind: 'html', source: '<p>Buy now</p>' } },
      [
        {
          field: 'body',
          message: expect.stringContaining('needs a visible unsubscribe link') as string,
        },
      ],
    ],
    [
      'a template that fails when rendered',
      { subject: '{% for i in (1..1000000000) %}{% endfor %}' },
      [
        {
          field: 'subject',
          line: 1,
          column: 1,
          message: expect.stringContaining(
            'would run 1,000,000,000 times, more than the 1,000 times a loop may run',
          ) as string,
        },
      ],
    ],
    [
      'an include, which would read files',
      { text: '{% include "/etc/passwd" %}' },
      [
        {
          field: 'text',
          line: 1,
          column: 1,
          message: expect.stringContaining('not available') as string,
        },
      ],
    ],
  ])('reports %s with its field and line', async (_label, override, issues) => {
    expect(await checkTemplate(marketingTemplate(override))).toEqual(issues);
  });

  it.each([
    [
      'an if before a section closed inside it',
      '{% if contact.vip %}\n<mj-section><mj-column>\n{% endif %}\n<mj-text>Hi</mj-text></mj-column></mj-section>',
      5,
      '{% endif %} is not in the same MJML element as {% if contact.vip %} on line 3: a condition or loop must wrap whole elements',
    ],
    [
      'an if opened inside text and closed outside it',
      '<mj-section><mj-column>\n<mj-text>{% if contact.vip %}VIP</mj-text>\n{% else %}\n<mj-text>Hi</mj-text>{% endif %}</mj-column></mj-section>',
      5,
      '{% else %} is not in the same MJML element as {% if contact.vip %} on line 4',
    ],
  ])('reports %s', async (_label, sections, line, message) => {
    const issues = await checkTemplate(
      marketingTemplate({ body: { kind: 'mjml', source: mjml(sections) } }),
    );
    // The first misplaced part is reported (and any later ones of the same block).
    expect(issues[0]).toEqual({
      field: 'body',
      line,
      message: expect.stringContaining(message) as string,
    });
  });

  it.each([
    [
      'a condition around whole sections',
      '{% if contact.vip %}<mj-section><mj-column><mj-text>VIP</mj-text></mj-column></mj-section>{% else %}<mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section>{% endif %}',
    ],
    [
      'a loop of sections',
      '{% for item in event.items %}<mj-section><mj-column><mj-text>{{ item.name }}</mj-text></mj-column></mj-section>{% endfor %}',
    ],
    [
      'a condition inside text',
      '<mj-section><mj-column><mj-text>{% if contact.vip %}<b>VIP</b>{% else %}Hi{% endif %}</mj-text></mj-column></mj-section>',
    ],
    [
      'stray tags inside a Liquid comment',
      '{% comment %}{% endif %}{% endcomment %}<mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section>',
    ],
  ])('accepts %s', async (_label, sections) => {
    expect(
      await checkTemplate(marketingTemplate({ body: { kind: 'mjml', source: mjml(sections) } })),
    ).toEqual([]);
  });

  it('does not flag MJML attribute values that come from Liquid', async () => {
    const source = mjml(
      '<mj-section><mj-column><mj-text color="{{ workspace.brand_color }}">Hi</mj-text></mj-column></mj-section>',
    );
    expect(await checkTemplate(marketingTemplate({ body: { kind: 'mjml', source } }))).toEqual([]);
  });

  it('lets transactional email go without an unsubscribe link', async () => {
    const template = marketingTemplate({
      kind: 'transactional',
      topic: null,
      body: { kind: 'html', source: '<p>Your receipt</p>' },
    });
    expect(await checkTemplate(template)).toEqual([]);
  });
});
