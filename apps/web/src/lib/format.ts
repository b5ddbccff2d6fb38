const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 minutes ago", "yesterday"; "just now" under a minute. */
export function formatRelative(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.round(diff / ms), unit);
  }
  return 'just now';
}

/** A share as a percentage with one decimal under 10%: "3.4%", "52%". */
export function formatShare(share: number): string {
  const percent = share * 100;
  if (percent === 0) return '0%';
  return `${percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

/** "1 contact", "1,250 contacts". */
export function countOf(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}

/** "3 Nov" for a calendar day, `YYYY-MM-DD`. */
export function formatDay(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

/** "€1,240.50"; whole units from 1,000 up ("€12,480"). */
export function formatMoney(value: number, currency: string): string {
  return new Intl.NumberFormat('en', {
    style: 'currency',
    currency,
    maximumFractionDigits: Math.abs(value) >= 1000 ? 0 : 2,
    minimumFractionDigits: Math.abs(value) >= 1000 ? 0 : 2,
  }).format(value);
}

/** Whether `at` falls in the same calendar year as `now` in `timeZone`. */
function sameYear(at: Date, now: Date, timeZone: string): boolean {
  const year = new Intl.DateTimeFormat('en-GB', { year: 'numeric', timeZone });
  return year.format(at) === year.format(now);
}

/**
 * "3 Nov" for an instant, on the calendar of `timeZone` (the workspace's, as the reports count
 * days); "3 Nov 2024" outside the current year.
 */
export function formatDate(iso: string, timeZone: string, now = new Date()): string {
  const at = new Date(iso);
  return at.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(sameYear(at, now, timeZone) ? {} : { year: 'numeric' }),
    timeZone,
  });
}

/** "3 Nov, 14:05" for an instant, on the clock of `timeZone`; with the year outside this one. */
export function formatDateTime(iso: string, timeZone: string, now = new Date()): string {
  const at = new Date(iso);
  return at.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(sameYear(at, now, timeZone) ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
}

/** "14:05:33" for an instant (an ISO string or epoch milliseconds), on the clock of `timeZone`. */
export function formatTime(at: string | number, timeZone: string): string {
  return new Date(at).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
}

/**
 * "3 Nov, 14:05 (America/New_York)": the date and hour with the zone they are read in, for a
 * hover title or a sentence where nothing beside it names the zone.
 */
export function formatDateTimeInZone(iso: string, timeZone: string, now = new Date()): string {
  return `${formatDateTime(iso, timeZone, now)} (${timeZone})`;
}
