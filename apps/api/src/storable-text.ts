import type { z } from 'zod';

// PostgreSQL stores neither a NUL character (in text or jsonb) nor half of a UTF-16 surrogate
// pair (jsonb refuses the escape; text silently gets U+FFFD). JSON carries both, so input is
// checked here and refused with the field named, rather than failing a whole statement.

// eslint-disable-next-line no-control-regex -- finding NUL is the point
const SUSPECT = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Enough to find the fields at fault; a body full of them needs no longer answer. */
const MAX_FOUND = 10;

// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const escape = (text: string) =>
  text.replace(UNSTORABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Why PostgreSQL cannot store this text, in plain words; null when it can. */
export function whyUnstorable(text: string): string | null {
  if (!SUSPECT.test(text)) return null;
  if (text.includes('\u0000'))
    return 'Contains a null character (\\u0000), which cannot be stored: remove it';
  const half = LONE_SURROGATE.exec(text);
  if (half) {
    return `Contains half of a character (the unpaired surrogate ${escape(half[0])}), which cannot be stored: send the whole character or remove it`;
  }
  return null;
}

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

type Path = { parent: Path; key: string | number } | null;
const pathOf = (path: Path): (string | number)[] => {
  const keys: (string | number)[] = [];
  for (let p = path; p; p = p.parent) keys.push(p.key);
  return keys.reverse();
};

/**
 * The strings and object keys of a JSON value that PostgreSQL cannot store (the first ten, in
 * document order), each with its path; a key at fault is in the path with its bad characters
 * escaped.
 */
export function findUnstorableText(
  value: unknown,
): { path: (string | number)[]; message: string }[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  // Depth-first with an explicit stack and shared path links: a deeply nested body costs
  // neither the call stack nor a copy of its path per level.
  const stack: { value: unknown; path: Path; key?: string }[] = [{ value, path: null }];
  while (stack.length > 0 && found.length < MAX_FOUND) {
    const { value: v, path, key } = stack.pop()!;
    if (key !== undefined) {
      const why = whyUnstorable(key);
      if (why) {
        found.push({
          path: pathOf({ parent: path, key: escape(key) }),
          message: `This name ${why.charAt(0).toLowerCase()}${why.slice(1)}`,
        });
        continue;
      }
    }
    const here: Path = key === undefined ? path : { parent: path, key };
    if (typeof v === 'string') {
      const why = whyUnstorable(v);
      if (why) found.push({ path: pathOf(here), message: why });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], path: { parent: here, key: i } });
    } else if (typeof v === 'object' && v !== null && isPlainObject(v)) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, item] = entries[i]!;
        stack.push({ value: item, path: here, key: k });
      }
    }
  }
  return found;
}

/** A zod check (for `.superRefine`) that refuses text PostgreSQL cannot store, naming its path. */
export function storableText(value: unknown, ctx: z.RefinementCtx) {
  for (const { path, message } of findUnstorableText(value))
    ctx.addIssue({ code: 'custom', path, message });
}

/**
 * The text with what PostgreSQL cannot store replaced by U+FFFD (�), for text that must be kept
 * rather than refused (what a mail provider reports: it would retry a refusal for ever).
 */
export const replaceUnstorable = (text: string): string => text.replace(UNSTORABLE, '\ufffd');
