import { describe, expect, it } from 'vitest';
import {
  fromLocal,
  isValidTimeZone,
  nextAllowedTime,
  nextDateOccurrence,
  nextSendUnderCap,
  nextUntil,
  toLocal,
} from './time';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const WEEKDAYS_ONLY = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

describe('nextUntil', () => {
  it.each([
    // [why, time, weekdays, zone, from, expected]
    [
      'later the same day',
      '09:00',
      [],
      'Europe/Paris',
      '2025-06-02T06:00:00Z',
      '2025-06-02T07:00:00Z',
    ],
    [
      'exactly now waits for tomorrow',
      '09:00',
      [],
      'Europe/Paris',
      '2025-06-02T07:00:00Z',
      '2025-06-03T07:00:00Z',
    ],
    [
      'across spring forward (CET → CEST)',
      '09:00',
      [],
      'Europe/Paris',
      '2025-03-29T12:00:00Z',
      '2025-03-30T07:00:00Z',
    ],
    [
      'a time skipped by spring forward moves on by the jump',
      '02:30',
      [],
      'Europe/Paris',
      '2025-03-29T12:00:00Z',
      '2025-03-30T01:30:00Z',
    ],
    [
      'a time repeated by fall back takes the first one',
      '02:30',
      [],
      'Europe/Paris',
      '2025-10-25T12:00:00Z',
      '2025-10-26T00:30:00Z',
    ],
    [
      'across fall back (CEST → CET)',
      '09:00',
      [],
      'Europe/Paris',
      '2025-10-25T12:00:00Z',
      '2025-10-26T08:00:00Z',
    ],
    [
      'Monday only, from a Friday, across DST',
      '09:00',
      ['mon'],
      'Europe/Paris',
      '2025-03-28T10:00:00Z',
      '2025-03-31T07:00:00Z',
    ],
    [
      'weekdays skip the weekend across US DST',
      '08:00',
      WEEKDAYS_ONLY,
      'America/New_York',
      '2025-03-08T20:00:00Z',
      '2025-03-10T12:00:00Z',
    ],
    [
      'a half-hour zone',
      '09:00',
      [],
      'Asia/Kolkata',
      '2025-01-01T00:00:00Z',
      '2025-01-01T03:30:00Z',
    ],
    [
      'weekend days from a Wednesday',
      '10:00',
      ['sat', 'sun'],
      'UTC',
      '2025-01-01T00:00:00Z',
      '2025-01-04T10:00:00Z',
    ],
    [
      'southern hemisphere gap',
      '02:30',
      [],
      'Australia/Sydney',
      '2025-10-04T00:00:00Z',
      '2025-10-04T16:30:00Z',
    ],
    [
      'same weekday next week when today has passed',
      '08:00',
      ['wed'],
      'UTC',
      '2025-01-01T09:00:00Z',
      '2025-01-08T08:00:00Z',
    ],
    ['midnight', '00:00', [], 'Europe/London', '2025-07-01T12:00:00Z', '2025-07-01T23:00:00Z'],
  ] as const)('%s', (_why, time, weekdays, zone, from, expected) => {
    expect(new Date(nextUntil(time, weekdays, zone, at(from))).toISOString()).toBe(
      new Date(at(expected)).toISOString(),
    );
  });

  it('rejects a malformed time', () => {
    expect(() => nextUntil('9am', [], 'UTC', 0)).toThrow('HH:MM');
  });
});

describe('toLocal / fromLocal', () => {
  it('reads the wall clock in a zone', () => {
    expect(toLocal(at('2025-03-30T01:30:00Z'), 'Europe/Paris')).toEqual({
      year: 2025,
      month: 3,
      day: 30,
      hour: 3,
      minute: 30,
      second: 0,
      weekday: 'sun',
    });
  });

  it('inverts toLocal away from transitions', () => {
    const local = { year: 2025, month: 12, day: 31, hour: 23, minute: 45 };
    expect(toLocal(fromLocal(local, 'America/Los_Angeles'), 'America/Los_Angeles')).toMatchObject(
      local,
    );
  });

  it('knows valid zones', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('nextAllowedTime (quiet hours)', () => {
  const night = { start: '21:00', end: '08:00' };
  it.each([
    ['inside quiet hours before midnight', night, '2025-06-02T20:00:00Z', '2025-06-03T06:00:00Z'],
    ['inside quiet hours after midnight', night, '2025-06-02T05:00:00Z', '2025-06-02T06:00:00Z'],
    ['outside quiet hours', night, '2025-06-02T10:00:00Z', '2025-06-02T10:00:00Z'],
    ['at the end of quiet hours', night, '2025-06-02T06:00:00Z', '2025-06-02T06:00:00Z'],
    [
      'a lunch break',
      { start: '12:00', end: '14:00' },
      '2025-06-02T10:30:00Z',
      '2025-06-02T12:00:00Z',
    ],
  ])('%s', (_why, quiet, from, expected) => {
    expect(nextAllowedTime(quiet, 'Europe/Paris', at(from))).toBe(at(expected));
  });

  it('sends at once without quiet hours', () => {
    expect(nextAllowedTime(null, 'Europe/Paris', 42)).toBe(42);
  });
});

describe('nextSendUnderCap (frequency cap)', () => {
  const now = at('2025-06-02T12:00:00Z');
  const cap = { count: 2, perMs: 24 * HOUR };
  it.each([
    ['under the cap', [now - 30 * HOUR], now],
    [
      'at the cap: when the oldest counted send leaves the window',
      [now - 10 * HOUR, now - 2 * HOUR],
      now + 14 * HOUR,
    ],
    [
      'over the cap: the send that frees a slot',
      [now - 20 * HOUR, now - 10 * HOUR, now - 1 * HOUR],
      now + 14 * HOUR,
    ],
    ['no sends', [], now],
  ])('%s', (_why, sent, expected) => {
    expect(nextSendUnderCap(sent, cap, now)).toBe(expected);
  });

  it('sends at once without a cap', () => {
    expect(nextSendUnderCap([now, now, now], null, now)).toBe(now);
  });
});

describe('nextDateOccurrence (trigger.date)', () => {
  const yearly = { offsetMs: 0, at: '09:00', repeat: 'yearly' } as const;
  it.each([
    [
      'birthday later this year',
      '1990-05-17',
      yearly,
      'Europe/Paris',
      '2025-01-01T00:00:00Z',
      '2025-05-17T07:00:00Z',
    ],
    [
      'birthday passed: next year',
      '1990-05-17',
      yearly,
      'Europe/Paris',
      '2025-06-01T00:00:00Z',
      '2026-05-17T07:00:00Z',
    ],
    [
      'three days before',
      '1990-05-17',
      { ...yearly, offsetMs: -3 * 24 * HOUR },
      'Europe/Paris',
      '2025-01-01T00:00:00Z',
      '2025-05-14T07:00:00Z',
    ],
    [
      'a week before, across new year',
      '1990-01-02',
      { ...yearly, offsetMs: -7 * 24 * HOUR },
      'UTC',
      '2025-12-01T00:00:00Z',
      '2025-12-26T09:00:00Z',
    ],
    [
      '29 February in a common year',
      '2000-02-29',
      yearly,
      'UTC',
      '2025-01-01T00:00:00Z',
      '2025-02-28T09:00:00Z',
    ],
    [
      '29 February in a leap year',
      '2000-02-29',
      yearly,
      'UTC',
      '2028-01-01T00:00:00Z',
      '2028-02-29T09:00:00Z',
    ],
    [
      'once, ahead',
      '2025-07-01T00:00:00Z',
      { offsetMs: 0, at: '10:00', repeat: 'once' },
      'UTC',
      '2025-01-01T00:00:00Z',
      '2025-07-01T10:00:00Z',
    ],
  ] as const)('%s', (_why, value, trigger, zone, from, expected) => {
    expect(nextDateOccurrence(value, trigger, zone, at(from))).toBe(at(expected));
  });

  it.each([
    ['once, passed', '2025-07-01', { offsetMs: 0, at: '10:00', repeat: 'once' as const }],
    ['not a date', 'soon', yearly],
    ['an impossible date', '2025-13-01', yearly],
  ])('%s gives null', (_why, value, trigger) => {
    expect(nextDateOccurrence(value, trigger, 'UTC', at('2025-08-01T00:00:00Z'))).toBeNull();
  });
});
