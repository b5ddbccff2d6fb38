import { describe, expect, it } from 'vitest';
import { htmlLiquid } from './liquid';
import { protectLiquid, restoreLiquid, tagPlaceholdersAsText } from './placeholders';

const SOURCE = 'Hi {{ name }}!\n{% if vip %}\nVIP {{ level | upcase }}\n{% endif %}';

describe('protectLiquid / restoreLiquid', () => {
  it('swaps outputs for text and tags for comments, and restores them', () => {
    const protect = protectLiquid(htmlLiquid, SOURCE, false)!;
    expect(protect.text).toBe('Hi rlqo0z!\n<!--rlqt1z-->\nVIP rlqo2z\n<!--rlqt3z-->');
    expect(restoreLiquid(protect.text, protect)).toBe(SOURCE);
  });

  it('keeps the line count of multi-line tokens when asked', () => {
    const source = '{{\n name\n}}\n{% if\n x %}{% endif %}';
    const protect = protectLiquid(htmlLiquid, source, true)!;
    expect(protect.text.split('\n')).toHaveLength(source.split('\n').length);
  });

  it('picks a prefix the source does not contain', () => {
    const protect = protectLiquid(htmlLiquid, 'rlq {{ a }}', false)!;
    expect(protect.prefix).not.toBe('rlq');
    expect(restoreLiquid(protect.text, protect)).toBe('rlq {{ a }}');
  });

  it('leaves {% raw %} content as text', () => {
    const source = '{% raw %}{{ literal }}{% endraw %}';
    const protect = protectLiquid(htmlLiquid, source, false)!;
    expect(protect.tokens).toEqual(['{% raw %}', '{% endraw %}']);
    expect(restoreLiquid(protect.text, protect)).toBe(source);
  });

  it.each([
    ['a dropped placeholder', (text: string) => text.replace('rlqo2z', '')],
    ['a duplicated placeholder', (text: string) => text + 'rlqo0z'],
    [
      'swapped placeholders',
      (text: string) =>
        text.replace('rlqo0z', 'X').replace('rlqo2z', 'rlqo0z').replace('X', 'rlqo2z'),
    ],
    ['a tag turned into an output', (text: string) => text.replace('<!--rlqt1z-->', 'rlqo1z')],
  ])('refuses to restore after %s', (_label, damage) => {
    const protect = protectLiquid(htmlLiquid, SOURCE, false)!;
    expect(restoreLiquid(damage(protect.text), protect)).toBeNull();
  });

  it('restores tag placeholders written as bare text', () => {
    const protect = protectLiquid(htmlLiquid, SOURCE, false)!;
    expect(restoreLiquid(tagPlaceholdersAsText(protect.text, protect), protect)).toBe(SOURCE);
  });

  it('returns null when the Liquid cannot be tokenised', () => {
    expect(protectLiquid(htmlLiquid, 'Hi {{ name', false)).toBeNull();
  });
});
