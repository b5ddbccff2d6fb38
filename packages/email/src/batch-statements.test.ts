import { describe, expect, it } from 'vitest';
import { batchStatements } from './batch-statements';

describe('batchStatements', () => {
  it('writes the first item at once and the items that arrive meanwhile together, in order', async () => {
    const batches: number[][] = [];
    const run = batchStatements(async (items: number[]) => {
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((n) => n * 10);
    }, 3);
    const results = await Promise.all([1, 2, 3, 4, 5].map(run));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('fails the items of a failed write only, and keeps writing', async () => {
    const run = batchStatements(async (items: number[]) => {
      await Promise.resolve();
      if (items.includes(1)) throw new Error('boom');
      return items;
    });
    const first = run(1);
    const second = run(2);
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe(2);
  });
});
