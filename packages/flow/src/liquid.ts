// A light syntax check for Liquid text (emails, webhook bodies, property values). Rendering
// belongs to packages/email; here we only catch what a marketer can fix in the inspector.

const OPENERS = [
  ['{{', '}}'],
  ['{%', '%}'],
] as const;

/** The first problem with the Liquid delimiters in `text`, in plain words; null when fine. */
export function liquidProblem(text: string): string | null {
  let index = 0;
  for (;;) {
    const found = OPENERS.map(([open, close]) => ({ open, close, at: text.indexOf(open, index) }))
      .filter((o) => o.at >= 0)
      .sort((a, b) => a.at - b.at)[0];
    if (!found) return null;
    const end = text.indexOf(found.close, found.at + 2);
    if (end < 0) return `A "${found.open}" is never closed with "${found.close}"`;
    const inner = text.slice(found.at + 2, end);
    if (inner.includes('{{') || inner.includes('{%')) {
      return `A "${found.open}" is opened again before "${found.close}" closes it`;
    }
    if (found.open === '{{' && inner.trim() === '')
      return 'A "{{ }}" is empty: put a variable inside';
    index = end + 2;
  }
}
