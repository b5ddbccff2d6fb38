import { describe, expect, it } from 'vitest';
import { calendarDateOf, nextDateOccurrence } from './time';

describe('the date a date property denotes (shared with segments and the date index)', () => {
  it.each([
    ['a date', '1990-05-17', 'America/New_York', '1990-05-17'],
    ['midnight UTC is the date written', '1990-05-17T00:00:00Z', 'America/New_York', '1990-05-17'],
    ['toISOString', '1990-05-17T00:00:00.000Z', 'Pacific/Pago_Pago', '1990-05-17'],
    ['midnight at +00:00', '1990-05-17T00:00+00:00', 'Asia/Tokyo', '1990-05-17'],
    ['another instant, west', '1990-05-17T03:00:00Z', 'America/New_York', '1990-05-16'],
    ['another instant, east', '1990-05-17T23:30:00+09:00', 'Europe/Paris', '1990-05-17'],
    ['an offset midnight is an instant', '1990-05-17T00:00:00+02:00', 'UTC', '1990-05-16'],
    ['a wall-clock time', '1990-05-17T22:00', 'Asia/Tokyo', '1990-05-17'],
  ])('%s', (_why, value, zone, expected) => {
    const date = calendarDateOf(value, zone)!;
    const text = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
    expect(text).toBe(expected);
  });

  it('fires a birthday written as midnight UTC on its day west of UTC', () => {
    const at = nextDateOccurrence(
      '1990-05-17T00:00:00Z',
      { offsetMs: 0, at: '09:00', repeat: 'yearly' },
      'America/New_York',
      Date.UTC(2026, 0, 1),
    );
    expect(new Date(at!).toISOString()).toBe('2026-05-17T13:00:00.000Z');
  });

  it('fires an instant on its date in the contact zone, as segments read it', () => {
    const at = nextDateOccurrence(
      '1990-05-17T03:00:00Z',
      { offsetMs: 0, at: '09:00', repeat: 'yearly' },
      'America/New_York',
      Date.UTC(2026, 0, 1),
    );
    expect(new Date(at!).toISOString()).toBe('2026-05-16T13:00:00.000Z');
  });
});
