import { describe, expect, it } from 'vitest';
import { lineLocator, scanMjml } from './mjml-structure';

describe('scanMjml', () => {
  it.each([
    [
      'an element never closed',
      '<mjml>\n<mj-body>\n<mj-section>\n<mj-column>\n</mj-section>\n</mj-body>\n</mjml>',
      [
        {
          line: 4,
          message: '<mj-column> is never closed: add </mj-column> before </mj-section> on line 5',
        },
      ],
    ],
    [
      'a closing tag without opening',
      '<mjml>\n<mj-body>\n</mj-column>\n</mj-body>\n</mjml>',
      [{ line: 3, message: '</mj-column> has no matching <mj-column>' }],
    ],
    [
      'raw content never closed',
      '<mjml>\n<mj-body>\n<mj-section><mj-column>\n<mj-text>Hello\n</mj-column></mj-section></mj-body></mjml>',
      [{ line: 4, message: '<mj-text> is never closed: add </mj-text>' }],
    ],
    [
      'the document never closed',
      '<mjml>\n<mj-body>\n',
      [
        { line: 2, message: '<mj-body> is never closed: add </mj-body>' },
        { line: 1, message: '<mjml> is never closed: add </mjml>' },
      ],
    ],
    [
      'a comment never closed',
      '<mjml>\n<!-- oops\n</mjml>',
      [{ line: 2, message: 'This comment is never closed: add -->' }],
    ],
  ])('reports %s', (_label, source, problems) => {
    expect(scanMjml(source).problems).toEqual(problems);
  });

  it('accepts balanced MJML with self-closing elements and HTML inside raw content', () => {
    const scan = scanMjml(
      '<mjml><mj-body><mj-section><mj-column><mj-image src="a.png" />' +
        '<mj-text><p>Hi <b>there</b> <mj-column></p></mj-text></mj-column></mj-section></mj-body></mjml>',
    );
    expect(scan.problems).toEqual([]);
    expect(scan.elements.map((element) => [element.name, element.parent])).toEqual([
      ['mjml', null],
      ['mj-body', 'mjml'],
      ['mj-section', 'mj-body'],
      ['mj-column', 'mj-section'],
      ['mj-image', 'mj-column'],
      ['mj-text', 'mj-column'],
    ]);
  });

  it('reads attributes, including ones that contain ">" or comments', () => {
    const scan = scanMjml(`<mj-button href="a>b<!--x-->" css-class='c' full-width></mj-button>`);
    expect(scan.elements[0]?.attributes).toEqual([
      { name: 'href', value: 'a>b<!--x-->' },
      { name: 'css-class', value: 'c' },
      { name: 'full-width', value: '' },
    ]);
    expect(scan.comments).toEqual([]);
  });

  it('records each comment with the element it sits in, including inside raw content', () => {
    const source =
      '<mj-body><!--a--><mj-column><!--b-->\n<mj-text>x<!--c--></mj-text></mj-column></mj-body>';
    expect(
      scanMjml(source).comments.map(({ parent, element, raw, line }) => [
        parent,
        element,
        raw,
        line,
      ]),
    ).toEqual([
      ['mj-body', 0, false, 1],
      ['mj-column', 1, false, 1],
      ['mj-text', 2, true, 2],
    ]);
  });
});

describe('lineLocator', () => {
  it('maps offsets to 1-based lines', () => {
    const lineOf = lineLocator('ab\ncd\n\nef');
    expect([0, 2, 3, 6, 7, 8].map(lineOf)).toEqual([1, 1, 2, 3, 4, 4]);
  });
});
