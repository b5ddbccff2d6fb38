import type { MjmlScan } from './mjml-structure';
import type { ProtectedSource } from './placeholders';

const OPENERS = new Set(['if', 'unless', 'for', 'case', 'capture', 'tablerow', 'comment']);
const MIDDLES = new Set(['else', 'elsif', 'when']);

/**
 * Finds Liquid blocks (`{% if %}…{% endif %}`, loops, …) whose parts sit in different MJML
 * elements, such as an `{% if %}` before `<mj-section>` and its `{% endif %}` inside it: for some
 * contacts that leaves an element opened and never closed. Blocks must wrap whole elements.
 */
export function liquidBlocksAcrossElements(
  protect: ProtectedSource,
  scan: MjmlScan,
): { line: number; message: string }[] {
  const pattern = new RegExp(`${protect.prefix}t(\\d+)z`);
  const problems: { line: number; message: string }[] = [];
  const open: { name: string; text: string; line: number; element: number }[] = [];
  for (const comment of scan.comments) {
    const index = pattern.exec(protect.text.slice(comment.start, comment.end))?.[1];
    if (index === undefined) continue;
    const text = protect.tokens[Number(index)]!;
    const name = /^\{%-?\s*(\w+)/.exec(text)?.[1] ?? '';
    const top = open.at(-1);
    // Nothing inside a {% comment %} counts.
    if (top?.name === 'comment' && name !== 'endcomment') continue;
    if (OPENERS.has(name)) {
      open.push({ name, text: shorten(text), line: comment.line, element: comment.element });
      continue;
    }
    const closes = name === `end${top?.name}`;
    if (!top || !(closes || MIDDLES.has(name))) continue;
    if (top.element !== comment.element) {
      problems.push({
        line: comment.line,
        message: `${shorten(text)} is not in the same MJML element as ${top.text} on line ${top.line}: a condition or loop must wrap whole elements`,
      });
    }
    if (closes) open.pop();
  }
  return problems;
}

function shorten(tag: string): string {
  const text = tag.replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}…%}` : text;
}
