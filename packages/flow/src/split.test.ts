import { describe, expect, it } from 'vitest';
import { hashString, pickBranch } from './split';

const seeds = Array.from({ length: 20_000 }, (_, i) => `run:journey_1:contact_${i}:split`);

describe('hashString', () => {
  // Pinned: a different hash would move contacts of running A/B tests to other branches.
  it.each([
    ['', 2872998923],
    ['a', 444641715],
    ['run:j:c:n', 371006655],
  ])('hashes %j to %i on every machine', (text, expected) => {
    expect(hashString(text)).toBe(expected);
  });

  it('spreads similar seeds', () => {
    const buckets = new Set(seeds.slice(0, 1000).map((s) => hashString(s) % 100));
    expect(buckets.size).toBeGreaterThan(95);
  });
});

describe('pickBranch', () => {
  it('is deterministic for a seed', () => {
    const branches = [
      { id: 'a', percent: 50 },
      { id: 'b', percent: 50 },
    ];
    expect(seeds.slice(0, 100).map((s) => pickBranch(branches, s))).toEqual(
      seeds.slice(0, 100).map((s) => pickBranch(branches, s)),
    );
  });

  it.each([[[50, 50]], [[45, 45, 10]], [[90, 10]], [[34, 33, 33]], [[1, 99]]])(
    'follows the percentages %j within 1.5 points',
    (percents) => {
      const branches = percents.map((percent, i) => ({ id: `b${i}`, percent }));
      const counts = new Map<string, number>();
      for (const seed of seeds) {
        const id = pickBranch(branches, seed);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      branches.forEach((b) => {
        const share = ((counts.get(b.id) ?? 0) / seeds.length) * 100;
        expect(Math.abs(share - b.percent)).toBeLessThan(1.5);
      });
    },
  );

  it('never picks a 0% branch', () => {
    const branches = [
      { id: 'never', percent: 0 },
      { id: 'always', percent: 100 },
    ];
    expect(new Set(seeds.map((s) => pickBranch(branches, s)))).toEqual(new Set(['always']));
  });

  it('rejects an empty split', () => {
    expect(() => pickBranch([], 'x')).toThrow('at least one branch');
  });
});
