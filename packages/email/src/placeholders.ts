import { type Liquid, Tokenizer, TypeGuards } from 'liquidjs';

/**
 * Liquid source with every `{{ output }}` and `{% tag %}` swapped for an opaque placeholder, so
 * that MJML (or html-to-text) can process the markup once and the Liquid can be put back after.
 * Outputs become `<prefix>o<i>z` (letters and digits survive attributes and text); tags become
 * `<!--<prefix>t<i>z-->` (mjml keeps comments in place between elements).
 */
export type ProtectedSource = {
  text: string;
  prefix: string;
  tokens: string[];
  kinds: ('o' | 't')[];
};

/**
 * Protects `source`. With `keepLines`, each placeholder carries the newlines of the token it
 * replaces so that line numbers reported on the protected text are the source's line numbers.
 * Returns null when the Liquid cannot even be tokenised.
 */
export function protectLiquid(
  engine: Liquid,
  source: string,
  keepLines: boolean,
): ProtectedSource | null {
  let prefix = 'rlq';
  for (let n = 1; source.includes(prefix); n++) prefix = `rlq${n}q`;
  let tokens;
  try {
    tokens = new Tokenizer(source, engine.options.operators).readTopLevelTokens(engine.options);
  } catch {
    return null;
  }
  const parts: string[] = [];
  const texts: string[] = [];
  const kinds: ('o' | 't')[] = [];
  for (const token of tokens) {
    const text = source.slice(token.begin, token.end);
    // By token type, not by text: the content of {% raw %} is text even when it reads {{ x }}.
    const kind = TypeGuards.isOutputToken(token) ? 'o' : TypeGuards.isTagToken(token) ? 't' : null;
    if (kind === null) {
      parts.push(text);
      continue;
    }
    const newlines = keepLines ? '\n'.repeat(text.split('\n').length - 1) : '';
    const id = `${prefix}${kind}${texts.length}z`;
    parts.push(kind === 'o' ? `${id}${newlines}` : `<!--${id}${newlines}-->`);
    texts.push(text);
    kinds.push(kind);
  }
  return { text: parts.join(''), prefix, tokens: texts, kinds };
}

function placeholderPattern(prefix: string): RegExp {
  return new RegExp(`<!--${prefix}t(\\d+)z\\s*-->|${prefix}([ot])(\\d+)z`, 'g');
}

/** True when `text` mentions any placeholder of `protectedSource`. */
export function hasPlaceholder(text: string, protectedSource: ProtectedSource): boolean {
  return text.includes(protectedSource.prefix);
}

/** Rewrites tag placeholders from comments to bare text (for tools that drop comments). */
export function tagPlaceholdersAsText(text: string, protectedSource: ProtectedSource): string {
  const { prefix } = protectedSource;
  return text.replace(new RegExp(`<!--(${prefix}t\\d+z)\\s*-->`, 'g'), '$1');
}

/**
 * Puts the original Liquid back. Returns null unless every placeholder survived exactly once and
 * in source order: only then is the processed text the same Liquid program as the source.
 */
export function restoreLiquid(text: string, protectedSource: ProtectedSource): string | null {
  const { tokens, kinds } = protectedSource;
  let expected = 0;
  let intact = true;
  const restored = text.replace(
    placeholderPattern(protectedSource.prefix),
    (_match, commentIndex: string | undefined, kind: string | undefined, index: string) => {
      const position = Number(commentIndex ?? index);
      const foundKind = commentIndex === undefined ? kind : 't';
      if (position !== expected || kinds[position] !== foundKind) intact = false;
      expected++;
      return tokens[position] ?? '';
    },
  );
  return intact && expected === tokens.length ? restored : null;
}
