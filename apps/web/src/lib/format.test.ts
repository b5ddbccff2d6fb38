import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from './format';

const now = new Date('2025-11-20T12:00:00Z');

describe('formatDate', () => {
  it.each([
    ['2025-11-03T13:05:00Z', 'Europe/Paris', '3 Nov'],
    // Late on the 3rd in UTC is already the 4th in Tokyo: the workspace's calendar decides.
    ['2025-11-03T23:30:00Z', 'Asia/Tokyo', '4 Nov'],
    ['2025-11-03T23:30:00Z', 'UTC', '3 Nov'],
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
