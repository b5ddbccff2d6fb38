import { describe, expect, it } from 'vitest';
import { batchStatements } from './batch-statements';

describe('batchStatements', () => {
  it('writes the first item at once and the items that arrive meanwhile together, in order', async () => {
    const batches: number[][] = [];
    const run = batchStatements(
      async (items: number[]) => {
        batches.push(items);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return items.map((n) => n * 10);
      },
      { maxBatch: 3 },
    );
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

  it('while busy, waits a moment for more items before the next statement', async () => {
    const batches: number[][] = [];
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const run = batchStatements(
      async (items: number[]) => {
        batches.push(items);
        await sleep(5);
        return items;
      },
      { lingerMs: 100 },
    );
    await Promise.all([run(1), run(2), run(3)]);
    // The last statement carried two items: the next one waits for the item arriving 20 ms later.
    const fourth = run(4);
    await sleep(20);
    await Promise.all([fourth, run(5)]);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });
});
