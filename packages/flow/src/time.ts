// Wall-clock arithmetic in IANA time zones with nothing but Intl.DateTimeFormat, so that it runs
// unchanged in Temporal's workflow sandbox (no time-zone library, no Node built-ins, no zod).

const DAY_MS = 86_400_000;

/** Days of the week as written in flow documents, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof WEEKDAYS)[number];

// Date#getUTCDay numbers Sunday 0.
const DAY_BY_UTC_INDEX: readonly Day[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A local date and time in some time zone (month 1–12). */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Day;
}

/** Parses `HH:MM` (24-hour) into hours and minutes; null when malformed. */
export function parseTimeOfDay(text: string): { hour: number; minute: number } | null {
  const match = TIME_OF_DAY.exec(text);
  if (!match) return null;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** True when `timeZone` is an IANA zone this runtime knows (`Europe/Paris`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time at instant `ms` in `timeZone`. */
export function toLocal(ms: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const year = parts.year!;
  const month = parts.month!;
  const day = parts.day!;
  return {
    year,
    month,
    day,
    // Some engines print midnight as 24 even with h23.
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
    weekday: weekdayOf(year, month, day),
  };
}

/** The weekday of a calendar date. */
export function weekdayOf(year: number, month: number, day: number): Day {
  return DAY_BY_UTC_INDEX[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
}

// Local time minus UTC at instant `ms`, whole seconds.
function offsetAt(ms: number, timeZone: string): number {
  const local = toLocal(ms, timeZone);
  const asUtc = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local date and time.
 * A time skipped by a daylight-saving jump moves forward by the jump (02:30 → 03:30); a time
 * that happens twice when clocks go back resolves to the first occurrence.
 */
export function fromLocal(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // Offsets in force a day either side bracket any transition near this wall time.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after]
    .filter((ms) => ms + offsetAt(ms, timeZone) === wall)
    .sort((a, b) => a - b);
  return candidates[0] ?? wall - before;
}

/** Adds whole days to a calendar date (month 1–12), crossing months and years. */
export function addDays(
  date: { year: number; month: number; day: number },
  days: number,
): { year: number; month: number; day: number } {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/**
 * The first instant strictly after `fromMs` at which the wall clock in `timeZone` shows `time`
 * (`HH:MM`) on one of `weekdays` (every day when empty). Drives `wait.until`.
 */
export function nextUntil(
  time: string,
  weekdays: readonly Day[],
  timeZone: string,
  fromMs: number,
): number {
  const at = parseTimeOfDay(time);
  if (!at) throw new Error(`Expected a time as HH:MM, got "${time}"`);
  const allowed = new Set<Day>(weekdays.length > 0 ? weekdays : WEEKDAYS);
  const today = toLocal(fromMs, timeZone);
  // Eight days always include the same weekday of next week.
  for (let offset = 0; offset <= 7; offset++) {
    const date = addDays(today, offset);
    if (!allowed.has(weekdayOf(date.year, date.month, date.day))) continue;
    const ms = fromLocal({ ...date, ...at }, timeZone);
    if (ms > fromMs) return ms;
  }
  throw new Error('Unreachable: a week always contains an allowed day');
}

/** Minutes since local midnight. */
function minuteOfDay(local: { hour: number; minute: number }): number {
  return local.hour * 60 + local.minute;
}

/** True when the wall clock at `ms` falls inside quiet hours `{start, end}` (may span midnight). */
export function isQuietTime(
  quietHours: { start: string; end: string },
  timeZone: string,
  ms: number,
): boolean {
  const start = parseTimeOfDay(quietHours.start);
  const end = parseTimeOfDay(quietHours.end);
  if (!start || !end) throw new Error('Quiet hours must be HH:MM');
  const now = minuteOfDay(toLocal(ms, timeZone));
  const from = minuteOfDay(start);
  const to = minuteOfDay(end);
  return from <= to ? now >= from && now < to : now >= from || now < to;
}

/**
 * When a send due at `fromMs` may go out under quiet hours: `fromMs` itself outside them, else
 * the end of the quiet period. Sends are deferred, never dropped.
 */
export function nextAllowedTime(
  quietHours: { start: string; end: string } | null,
  timeZone: string,
  fromMs: number,
): number {
  if (!quietHours || !isQuietTime(quietHours, timeZone, fromMs)) return fromMs;
  return nextUntil(quietHours.end, [], timeZone, fromMs);
}

/**
 * When the next send may go out under a frequency cap of `count` sends per `perMs`, given the
 * instants of earlier sends: `nowMs` when under the cap, else when the oldest counted send
 * leaves the window.
 */
export function nextSendUnderCap(
  sentAtMs: readonly number[],
  cap: { count: number; perMs: number } | null,
  nowMs: number,
): number {
  if (!cap) return nowMs;
  const recent = sentAtMs.filter((t) => t > nowMs - cap.perMs && t <= nowMs).sort((a, b) => a - b);
  if (recent.length < cap.count) return nowMs;
  return recent[recent.length - cap.count]! + cap.perMs;
}

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})/;
// Midnight UTC, as JavaScript's toISOString and many exports write a plain date.
const UTC_MIDNIGHT = /^\d{4}-\d{2}-\d{2}[T ]00:00(:00(\.0{1,6})?)?(Z|[+-]00(:?00)?)$/;

/**
 * Whether a date property's text is midnight UTC written out (`2026-03-01T00:00:00Z`, what a date
 * becomes in JSON), which calendarDateOf reads as the calendar date written, like relance_parse_ts
 * (migration 0074): the web app shows such a value as a day by this same test.
 */
export function isUtcMidnight(value: string): boolean {
  return UTC_MIDNIGHT.test(value);
}
const WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * The calendar date a date property denotes for a contact in `timeZone`, by the rule segments and
 * the date index follow too (relance_parse_ts, migration 0074): a date (`1990-05-17`), a wall-clock
 * time without an offset, or a value at exactly midnight UTC (`1990-05-17T00:00:00Z`) is the date
 * written; any other time with an offset is an instant, on its date in the contact's zone. Null
 * when the value does not start with a date.
 */
export function calendarDateOf(
  value: string,
  timeZone: string,
): { year: number; month: number; day: number } | null {
  const date = DATE_PREFIX.exec(value);
  if (!date) return null;
  const instant = UTC_MIDNIGHT.test(value) ? null : WITH_OFFSET.exec(value);
  if (!instant) return { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) };
  const [year, month, day, hour, minute, second] = instant.slice(1, 7).map((n) => Number(n ?? 0));
  const sign = instant[7] === '-' ? -1 : 1;
  const offsetMinutes = instant[7] ? sign * (Number(instant[8]) * 60 + Number(instant[9] ?? 0)) : 0;
  const ms = Date.UTC(year!, month! - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  if (!Number.isFinite(ms)) return null;
  const local = toLocal(ms, timeZone);
  return { year: local.year, month: local.month, day: local.day };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The next firing of a `trigger.date` for one contact strictly after `fromMs`: the day the date
 * property denotes (calendarDateOf; its yearly anniversary when `repeat` is `yearly`; 29 February
 * falls on the 28th in other years) at local time `at`, shifted by `offsetMs` of wall-clock time. Null when
 * the value is not a date or a `once` trigger has passed.
 */
export function nextDateOccurrence(
  value: string,
  trigger: { offsetMs: number; at: string; repeat: 'yearly' | 'once' },
  timeZone: string,
  fromMs: number,
): number | null {
  const written = DATE_PREFIX.exec(value);
  const at = parseTimeOfDay(trigger.at);
  if (!written || !at) return null;
  // The written date must exist; the date it denotes may then be another (an instant's, locally).
  const [wy, wm, wd] = [Number(written[1]), Number(written[2]), Number(written[3])];
  if (wm < 1 || wm > 12 || wd < 1 || wd > daysInMonth(wy, wm)) return null;
  const date = calendarDateOf(value, timeZone);
  if (!date) return null;
  const { year, month, day } = date;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;

  const occurrence = (y: number): number => {
    const wall =
      Date.UTC(y, month - 1, Math.min(day, daysInMonth(y, month)), at.hour, at.minute) +
      trigger.offsetMs;
    const shifted = new Date(wall);
    return fromLocal(
      {
        year: shifted.getUTCFullYear(),
        month: shifted.getUTCMonth() + 1,
        day: shifted.getUTCDate(),
        hour: shifted.getUTCHours(),
        minute: shifted.getUTCMinutes(),
      },
      timeZone,
    );
  };

  if (trigger.repeat === 'once') {
    const ms = occurrence(year);
    return ms > fromMs ? ms : null;
  }
  // Offsets are bounded by a year, so the anniversary a year either side always brackets it.
  const thisYear = toLocal(fromMs, timeZone).year;
  for (const y of [thisYear - 2, thisYear - 1, thisYear, thisYear + 1, thisYear + 2]) {
    const ms = occurrence(y);
    if (ms > fromMs) return ms;
  }
  return null;
}
