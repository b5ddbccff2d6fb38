import { compile, type FormatCallback } from 'html-to-text';

type Node = { type?: string; name?: string; attribs?: Record<string, string>; children?: Node[] };

// Content that makes a table cell part of a layout rather than a data value.
const LAYOUT_CONTENT = new Set([
  'table',
  'div',
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'blockquote',
]);

const hasLayoutContent = (node: Node): boolean =>
  (node.children ?? []).some(
    (child) => child.type === 'tag' && (LAYOUT_CONTENT.has(child.name!) || hasLayoutContent(child)),
  );

function rowsOf(table: Node): Node[] {
  return (table.children ?? []).flatMap((child) =>
    child.name === 'tr'
      ? [child]
      : ['thead', 'tbody', 'tfoot'].includes(child.name ?? '')
        ? rowsOf(child)
        : [],
  );
}

const cellsOf = (row: Node): Node[] =>
  (row.children ?? []).filter((child) => child.name === 'td' || child.name === 'th');

// Email HTML lays out with tables: only a table whose rows hold several cells of plain content
// (mj-table, an order summary) is data, written row by row with its columns lined up.
const isDataTable = (table: Node): boolean => {
  const rows = rowsOf(table);
  return (
    rows.some((row) => cellsOf(row).length > 1) &&
    rows.every((row) => cellsOf(row).every((cell) => !hasLayoutContent(cell)))
  );
};

const emailTable: FormatCallback = (elem, walk, builder, formatOptions) => {
  const format = isDataTable(elem) ? 'dataTable' : 'block';
  builder.options.formatters[format]!(elem, walk, builder, formatOptions);
};

// An image reads as its alt text; inside a link that makes it the link's label.
const imageAlt: FormatCallback = (elem, _walk, builder) => {
  const alt = ((elem as Node).attribs?.alt ?? '').trim();
  if (alt) builder.addInline(alt);
};

// Hidden in every client (the MJML preview, a hand-written preheader): never in the text part.
const HIDDEN = ['display:none', 'display: none', 'display :none', 'display : none'].flatMap(
  (rule) => [`[style*="${rule}"]`, `[style*="${rule.toUpperCase()}"]`],
);

/**
 * Converts email HTML to the text part: links as `text [url]`, images as their alt text, data
 * tables row by row, hidden elements dropped.
 */
export const htmlToText: (html: string) => string = compile({
  wordwrap: 78,
  formatters: { emailTable, imageAlt },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['[', ']'] } },
    { selector: 'img', format: 'imageAlt' },
    // Headings keep their case: upper-casing would also upper-case personalised names.
    ...(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const).map((selector) => ({
      selector,
      options: { uppercase: false },
    })),
    {
      selector: 'table',
      format: 'emailTable',
      options: { uppercaseHeaderCells: false, colSpacing: 3, maxColumnWidth: 40 },
    },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
    { selector: '[hidden]', format: 'skip' },
    ...HIDDEN.map((selector) => ({ selector, format: 'skip' })),
  ],
});
