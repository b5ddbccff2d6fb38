// Zod-free so that workflow code (Temporal's sandbox) can parse and format durations.

const MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
// Calendar units in ISO 8601 durations are fixed lengths: a month is 30 days, a year 365.
const MONTH_MS = 30 * MS.d;
const YEAR_MS = 365 * MS.d;

const SHORT = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w|mo|y)$/;
const ISO =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Parses `90s`, `15m`, `2h`, `3d`, `1w`, `1mo`, `2y` or ISO 8601 (`P3D`, `PT2H`, `P2Y`) into
 * milliseconds; null when malformed. A month is 30 days and a year 365, whichever way written.
 */
export function parseDuration(text: string): number | null {
  const value = text.trim();
  const short = SHORT.exec(value);
  if (short) {
    const amount = Number(short[1]);
    const unit = short[2] as keyof typeof MS | 'mo' | 'y';
    const size = unit === 'mo' ? MONTH_MS : unit === 'y' ? YEAR_MS : MS[unit];
    return Math.round(amount * size);
  }
  const iso = ISO.exec(value);
  if (!iso || value === 'P' || value.endsWith('T')) return null;
  const [, y, mo, w, d, h, m, s] = iso.map((part) => (part === undefined ? 0 : Number(part)));
  return Math.round(
    y! * YEAR_MS + mo! * MONTH_MS + w! * MS.w + d! * MS.d + h! * MS.h + m! * MS.m + s! * MS.s,
  );
}

/**
 * Formats milliseconds the way a marketer reads them: "3 days", "1 week", "2 hours 30 minutes".
 * Months and years are not read back from a length (30 days stay "30 days"): `describeDuration`
 * says them when they were written.
 */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0 seconds';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['week', MS.w],
    ['day', MS.d],
    ['hour', MS.h],
    ['minute', MS.m],
    ['second', MS.s],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      // Weeks only read well when nothing smaller follows in days.
      if (unit === 'week' && rest % MS.w >= MS.d) continue;
      parts.push(plural(n, unit));
      rest -= n * size;
    }
  }
  return parts.slice(0, 2).join(' ') || `${ms} ms`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

const WHOLE = /^(\d+(?:\.\d+)?)\s*(mo|y)$/;
const ISO_CALENDAR = /^P(?:(\d+)Y|(\d+)M)$/;

/**
 * A duration as written, in words: months and years stay as the marketer wrote them ("24mo" is
 * "24 months", "P2Y" "2 years") rather than their days ("720 days"); anything else as
 * `formatDuration` reads its length. Null when malformed.
 */
export function describeDuration(text: string): string | null {
  const value = text.trim();
  const whole = WHOLE.exec(value);
  if (whole && Number(whole[1]) > 0) {
    return plural(Number(whole[1]), whole[2] === 'y' ? 'year' : 'month');
  }
  const iso = ISO_CALENDAR.exec(value);
  if (iso && Number(iso[1] ?? iso[2]) > 0) {
    return plural(Number(iso[1] ?? iso[2]), iso[1] === undefined ? 'month' : 'year');
  }
  const ms = parseDuration(value);
  return ms === null ? null : formatDuration(ms);
}
