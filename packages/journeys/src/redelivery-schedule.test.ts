import { describe, expect, it } from 'vitest';
import { isStuck, REDELIVERY_SCHEDULE, redeliveryDelayMs } from './redelivery-schedule';

describe('redeliveryDelayMs', () => {
  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [4, 40_000],
    [5, 80_000],
    [6, 160_000],
    [7, 320_000],
    [8, 640_000],
    [9, 900_000],
    [10, 900_000],
    [1_000, 900_000],
  ])('after %i failed attempts waits %i ms', (attempts, delay) => {
    expect(redeliveryDelayMs(attempts)).toBe(delay);
  });

  it('follows a schedule of its own', () => {
    const schedule = { firstDelayMs: 100, maxDelayMs: 350, stuckAfterAttempts: 3 };
    expect([1, 2, 3, 4].map((n) => redeliveryDelayMs(n, schedule))).toEqual([100, 200, 350, 350]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %s attempts', (attempts) => {
    expect(() => redeliveryDelayMs(attempts)).toThrow(RangeError);
  });
});

describe('isStuck', () => {
  it('reports a delivery once it failed the schedule’s number of times', () => {
    const limit = REDELIVERY_SCHEDULE.stuckAfterAttempts;
    expect(isStuck(limit - 1)).toBe(false);
    expect(isStuck(limit)).toBe(true);
    expect(isStuck(limit + 5)).toBe(true);
  });
});
