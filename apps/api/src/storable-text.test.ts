import { describe, expect, it } from 'vitest';
import { findUnstorableText, whyUnstorable } from './storable-text';

describe('whyUnstorable', () => {
  it.each([
    ['plain text', 'Ada Lovelace', null],
    ['a whole emoji (a surrogate pair)', 'hi 👋', null],
    ['an escaped-looking text', 'a\\u0000b', null],
    ['a null character', 'a\u0000b', 'null character (\\u0000)'],
    ['a high surrogate alone', 'x\ud800', 'unpaired surrogate \\ud800'],
    ['a low surrogate alone', '\udc00x', 'unpaired surrogate \\udc00'],
    ['two high surrogates', '\ud83d\ud83d\udc4b', 'unpaired surrogate \\ud83d'],
  ])('%s', (_name, text, reason) => {
    const why = whyUnstorable(text);
    if (reason === null) expect(why).toBeNull();
    else expect(why).toContain(reason);
  });
});

describe('findUnstorableText', () => {
  it('names the path of each string and key at fault, in document order', () => {
    const found = findUnstorableText({
      ok: 'fine 👋',
      note: 'a\u0000b',
      items: [{ title: 'ok' }, { title: 'x\ud800' }],
      'na\u0000me 👋': 1,
      when: new Date(0),
    });
    expect(found.map((f) => f.path)).toEqual([['note'], ['items', 1, 'title'], ['na\\u0000me 👋']]);
    expect(found[2]!.message).toMatch(/^This name contains a null character/);
  });

  it('stops at ten and survives deep nesting', () => {
    expect(findUnstorableText(Array.from({ length: 50 }, () => '\u0000'))).toHaveLength(10);
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toHaveLength(1);
  });
});
