import { describe, expect, it } from 'vitest';
import { describeDuration, Duration, formatDuration, parseDuration } from './duration';
import { parseOffset } from './nodes/trigger-date';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['90s', 90 * S],
    ['15m', 15 * M],
    ['2h', 2 * H],
    ['3d', 3 * D],
    ['1w', 7 * D],
    ['1mo', 30 * D],
    ['2y', 730 * D],
    ['P2Y', 730 * D],
    ['1.5h', 90 * M],
    [' 3d ', 3 * D],
    ['P3D', 3 * D],
    ['PT2H', 2 * H],
    ['PT90M', 90 * M],
    ['P1W', 7 * D],
    ['P1M', 30 * D],
    ['P1Y', 365 * D],
    ['P1DT12H', 36 * H],
    ['PT0.5S', 500],
  ])('%j → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '3', 'd', '3 days', 'P', 'PT', 'P1DT', '-1d', '3yr', 'P1H'])(
    '%j is malformed',
    (text) => {
      expect(parseDuration(text)).toBeNull();
    },
  );
});

describe('formatDuration', () => {
  it.each([
    [90 * S, '1 minute 30 seconds'],
    [15 * M, '15 minutes'],
    [2 * H, '2 hours'],
    [3 * D, '3 days'],
    [7 * D, '1 week'],
    [14 * D, '2 weeks'],
    [10 * D, '10 days'],
    [26 * H, '1 day 2 hours'],
    [0, '0 seconds'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('describeDuration', () => {
  it.each([
    ['2y', '2 years'],
    ['1y', '1 year'],
    ['P2Y', '2 years'],
    ['1.5y', '1.5 years'],
    // "VIP: subscribed more than 24 months ago" reads as typed, not "720 days".
    ['24mo', '24 months'],
    ['P1M', '1 month'],
    ['365d', '365 days'],
    ['1w', '1 week'],
    ['P1DT12H', '1 day 12 hours'],
  ])('%j → %s', (text, words) => {
    expect(describeDuration(text)).toBe(words);
  });

  it('is null for what is no duration', () => {
    expect(describeDuration('soon')).toBeNull();
  });
});

describe('Duration schema', () => {
  it.each(['3d', 'P3D', '90s', '2y'])('accepts %j', (text) => {
    expect(Duration.safeParse(text).success).toBe(true);
  });

  it.each(['0d', 'soon', ''])('rejects %j', (text) => {
    expect(Duration.safeParse(text).success).toBe(false);
  });
});

describe('parseOffset (trigger.date)', () => {
  it.each([
    ['-3d', -3 * D],
    ['+1w', 7 * D],
    ['2h', 2 * H],
    ['0d', 0],
    ['0', 0],
    ['-P1D', -D],
    ['soon', null],
  ])('%j → %s', (text, ms) => {
    expect(parseOffset(text)).toBe(ms);
  });
});
