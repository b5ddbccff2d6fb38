import { describe, expect, it } from 'vitest';
import { rateOf } from './email-results';

describe('rateOf', () => {
  it.each([
    [0, 0, '–'],
    [5, 0, '–'],
    [0, 1204, '0%'],
    [458, 1204, '38%'],
    [2, 3, '67%'],
    [1, 3, '33%'],
    [3, 3, '100%'],
    [1, 400, '0.3%'],
  ])('%i of %i sent is %s', (n, sent, expected) => {
    expect(rateOf(n, sent)).toBe(expected);
  });
});
