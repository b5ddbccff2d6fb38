import { describe, expect, it } from 'vitest';
import { createTemplateCache } from './template-cache';
import { marketingTemplate } from './test-fixtures';

describe('createTemplateCache', () => {
  it('compiles a template once, however many sends ask at once', async () => {
    const cache = createTemplateCache();
    const [a, b] = await Promise.all([
      cache.get(marketingTemplate()),
      cache.get(marketingTemplate()),
    ]);
    expect(a).toBe(b);
    expect(cache.size).toBe(1);
  });

  it('compiles again when the content changes, not when only the name does', async () => {
    const cache = createTemplateCache();
    const first = await cache.get(marketingTemplate());
    expect(await cache.get(marketingTemplate({ name: 'Renamed' }))).toBe(first);
    expect(await cache.get(marketingTemplate({ subject: 'Other' }))).not.toBe(first);
  });

  it('evicts the least recently used template beyond its size', async () => {
    const cache = createTemplateCache({ maxEntries: 2 });
    const one = await cache.get(marketingTemplate({ subject: '1' }));
    await cache.get(marketingTemplate({ subject: '2' }));
    await cache.get(marketingTemplate({ subject: '1' }));
    await cache.get(marketingTemplate({ subject: '3' }));
    expect(cache.size).toBe(2);
    expect(await cache.get(marketingTemplate({ subject: '1' }))).toBe(one);
  });

  it('does not keep a template that failed to compile', async () => {
    const cache = createTemplateCache();
    await expect(cache.get(marketingTemplate({ subject: '{{ x | nope }}' }))).rejects.toThrow(
      'Unknown filter',
    );
    expect(cache.size).toBe(0);
  });
});
