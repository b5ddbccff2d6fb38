/** One MJML element start tag found in the source. */
export type MjmlElement = {
  name: string;
  line: number;
  parent: string | null;
  attributes: { name: string; value: string }[];
};

/**
 * An HTML comment with the MJML element it sits in: `element` indexes `elements` (-1 at the top
 * level), `raw` tells whether it is inside raw content (mj-text, mj-button, ...), where mjml
 * passes it through as text.
 */
export type MjmlComment = {
  start: number;
  end: number;
  line: number;
  parent: string | null;
  element: number;
  raw: boolean;
};

export type MjmlScan = {
  problems: { line: number; message: string }[];
  elements: MjmlElement[];
  comments: MjmlComment[];
};

// Elements whose content is raw HTML or text (mjml's "ending tags"): mjml does not parse inside.
const RAW_CONTENT = new Set([
  'mj-text',
  'mj-button',
  'mj-table',
  'mj-raw',
  'mj-navbar-link',
  'mj-accordion-title',
  'mj-accordion-text',
  'mj-social-element',
  'mj-carousel-image',
  'mj-style',
  'mj-title',
  'mj-preview',
  'mj-breakpoint',
]);

const TAG = /<(\/?)(mjml|mj-[a-z0-9-]+)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/y;
const ATTRIBUTE = /([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/**
 * Walks the element structure of MJML source. mjml itself silently auto-closes unbalanced tags,
 * so this is where "never closed" and "closed twice" mistakes are found, with their lines.
 */
export function scanMjml(source: string): MjmlScan {
  const lineOf = lineLocator(source);
  const problems: MjmlScan['problems'] = [];
  const elements: MjmlElement[] = [];
  const comments: MjmlComment[] = [];
  const stack: { name: string; line: number; element: number }[] = [];
  const parent = () => stack.at(-1)?.name ?? null;

  let at = source.indexOf('<');
  while (at !== -1) {
    if (source.startsWith('<!--', at)) {
      const end = source.indexOf('-->', at + 4);
      if (end === -1) {
        // Everything after it is comment to a parser: further findings would only be noise.
        return {
          problems: [
            ...problems,
            { line: lineOf(at), message: 'This comment is never closed: add -->' },
          ],
          elements,
          comments,
        };
      }
      const element = stack.at(-1)?.element ?? -1;
      comments.push({
        start: at,
        end: end + 3,
        line: lineOf(at),
        parent: parent(),
        element,
        raw: false,
      });
      at = source.indexOf('<', end + 3);
      continue;
    }
    TAG.lastIndex = at;
    const tag = TAG.exec(source);
    if (!tag) {
      at = source.indexOf('<', at + 1);
      continue;
    }
    const [whole, slash, name, attributeText, selfClosing] = tag as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    const line = lineOf(at);
    let next = at + whole.length;
    if (slash) {
      closeElement(stack, name, line, problems);
    } else {
      elements.push({ name, line, parent: parent(), attributes: parseAttributes(attributeText) });
      if (!selfClosing && RAW_CONTENT.has(name)) {
        const close = new RegExp(`</${name}\\s*>`, 'g');
        close.lastIndex = next;
        const found = close.exec(source);
        if (!found) {
          return {
            problems: [...problems, { line, message: `<${name}> is never closed: add </${name}>` }],
            elements,
            comments,
          };
        }
        comments.push(...rawComments(source, next, found.index, name, elements.length - 1, lineOf));
        next = found.index + found[0].length;
      } else if (!selfClosing) {
        stack.push({ name, line, element: elements.length - 1 });
      }
    }
    at = source.indexOf('<', next);
  }
  for (const open of stack.reverse()) {
    problems.push({
      line: open.line,
      message: `<${open.name}> is never closed: add </${open.name}>`,
    });
  }
  return { problems, elements, comments };
}

function rawComments(
  source: string,
  from: number,
  to: number,
  parent: string,
  element: number,
  lineOf: (offset: number) => number,
): MjmlComment[] {
  const found: MjmlComment[] = [];
  for (
    let at = source.indexOf('<!--', from);
    at !== -1 && at < to;
    at = source.indexOf('<!--', at + 4)
  ) {
    const end = source.indexOf('-->', at + 4);
    if (end === -1 || end + 3 > to) break;
    found.push({ start: at, end: end + 3, line: lineOf(at), parent, element, raw: true });
  }
  return found;
}

function closeElement(
  stack: { name: string; line: number }[],
  name: string,
  line: number,
  problems: MjmlScan['problems'],
): void {
  const index = stack.findLastIndex((open) => open.name === name);
  if (index === -1) {
    problems.push({ line, message: `</${name}> has no matching <${name}>` });
    return;
  }
  for (const open of stack.splice(index).slice(1).reverse()) {
    problems.push({
      line: open.line,
      message: `<${open.name}> is never closed: add </${open.name}> before </${name}> on line ${line}`,
    });
  }
}

function parseAttributes(text: string): MjmlElement['attributes'] {
  const attributes: MjmlElement['attributes'] = [];
  for (const match of text.matchAll(ATTRIBUTE)) {
    attributes.push({ name: match[1]!, value: match[2] ?? match[3] ?? match[4] ?? '' });
  }
  return attributes;
}

/** Returns a function mapping a string offset to its 1-based line number. */
export function lineLocator(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
