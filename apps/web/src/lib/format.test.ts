import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatDate, formatDateTime, formatDateTimeInZone, formatDay, formatTime } from './format';
import { zoneTime } from './workspace';

const now = new Date('2025-11-20T12:00:00Z');

// The browser's zone is not the workspace's: a marketer in Kiritimati (UTC+14), far from every
// zone below, so an answer read on the browser's clock or calendar would differ.
beforeAll(() => {
  vi.stubEnv('TZ', 'Pacific/Kiritimati');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('formatDate', () => {
  it.each([
    ['2025-11-03T13:05:00Z', 'Europe/Paris', '3 Nov'],
    // Late on the 3rd in UTC is already the 4th in Tokyo: the workspace's calendar decides.
    ['2025-11-03T23:30:00Z', 'Asia/Tokyo', '4 Nov'],
    ['2025-11-03T23:30:00Z', 'UTC', '3 Nov'],
    ['2025-11-03T04:30:00Z', 'America/New_York', '2 Nov'],
    ['2024-03-04T10:00:00Z', 'UTC', '4 Mar 2024'],
  ])('%s in %s reads %s', (iso, zone, text) => {
    expect(formatDate(iso, zone, now)).toBe(text);
  });
});

describe('formatDateTime', () => {
  it.each([
    ['2025-11-03T13:05:00Z', 'Europe/Paris', '3 Nov, 14:05'],
    ['2025-11-03T13:05:00Z', 'America/New_York', '3 Nov, 08:05'],
    ['2025-01-01T00:30:00Z', 'UTC', '1 Jan, 00:30'],
    ['2024-12-31T23:30:00Z', 'UTC', '31 Dec 2024, 23:30'],
  ])('%s in %s reads %s', (iso, zone, text) => {
    expect(formatDateTime(iso, zone, now)).toBe(text);
  });
});

describe('formatDateTimeInZone', () => {
  it('names the zone the hour is read in', () => {
    expect(formatDateTimeInZone('2025-11-03T04:30:00Z', 'America/New_York', now)).toBe(
      '2 Nov, 23:30 (America/New_York)',
    );
  });
});

describe('formatTime', () => {
  it.each([
    ['2025-11-03T13:05:09Z', 'Europe/Paris', '14:05:09'],
    ['2025-11-03T04:30:00Z', 'America/New_York', '23:30:00'],
  ])('%s in %s reads %s', (iso, zone, text) => {
    expect(formatTime(iso, zone)).toBe(text);
    expect(formatTime(Date.parse(iso), zone)).toBe(text);
  });
});

describe('formatDay', () => {
  // The reports' days come from the API already on the workspace's calendar: the label is that
  // day whatever the browser's zone (noon UTC would be the next day in Kiritimati).
  it('labels the calendar day the API gave, not the browser’s day of it', () => {
    expect(formatDay('2025-11-03')).toBe('3 Nov');
  });
});

describe('zoneTime', () => {
  it('reads every date and hour in the zone it is given', () => {
    const time = zoneTime('America/New_York');
    expect(time.date('2025-11-03T04:30:00Z')).toBe('2 Nov 2025');
    expect(time.dateTime('2025-11-03T04:30:00Z')).toBe('2 Nov 2025, 23:30');
    expect(time.dateTimeInZone('2025-11-03T04:30:00Z')).toBe(
      '2 Nov 2025, 23:30 (America/New_York)',
    );
    expect(time.time('2025-11-03T04:30:00Z')).toBe('23:30:00');
  });
});
