// A contact property's value as a form input holds it (text), by the property's registered
// type, and back: what the profile editor sends in PATCH /api/contacts/:id.

import { isUtcMidnight } from '@relance/flow';
import { formatDate, formatDateTime, formatDateTimeInZone } from '../lib/format';

export type PropertyType = 'string' | 'number' | 'boolean' | 'date' | 'array' | 'object';

export type ParsedValue =
  | { ok: true; value: string | number | boolean | unknown[] | Record<string, unknown> }
  | { ok: false; message: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * How a date property's value is written, which says what it means (as the segment engine reads
 * it): a calendar day (`2026-03-01`, or midnight UTC, `2026-03-01T00:00:00Z`), an instant (with
 * its offset: `2026-03-01T03:30:00Z`), or a time of day without a zone (`2026-03-01T09:00`),
 * read on the contact's clock.
 */
export type DateShape =
  | { kind: 'day'; day: string }
  | { kind: 'instant'; at: string }
  | { kind: 'wall'; dateTime: string };

/** The shape of a date property's stored text; null when it is no ISO date. */
export function dateShapeOf(text: string): DateShape | null {
  if (DAY.test(text)) return validDay(text) ? { kind: 'day', day: text } : null;
  const m = DATE_TIME.exec(text);
  if (!m || !validDay(m[1]!) || Number.isNaN(Date.parse(`${m[1]}T${m[2]}:00Z`))) return null;
  // Midnight UTC written out is a calendar day, as segments, the date index and date triggers
  // read it: the same test as theirs.
  if (isUtcMidnight(text)) return { kind: 'day', day: m[1]! };
  if (m[5]) {
    const at = new Date(text.replace(' ', 'T'));
    return Number.isNaN(at.getTime()) ? null : { kind: 'instant', at: at.toISOString() };
  }
  const seconds = m[3] && m[3] !== '00' ? `:${m[3]}` : '';
  return { kind: 'wall', dateTime: `${m[1]}T${m[2]}${seconds}` };
}

// "2026-02-30" parses in some engines; a day is valid when it reads back the same.
function validDay(day: string): boolean {
  const at = new Date(`${day}T12:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === day;
}

const wallParts = (zone: string) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

/** The wall-clock time of the instant `ms` in `zone`, to the second: `2026-02-28T22:30:15`. */
function wallOf(ms: number, zone: string): string {
  const p = Object.fromEntries(
    wallParts(zone)
      .formatToParts(ms)
      .map((part) => [part.type, part.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** The wall-clock time of `at` in `zone`, as a datetime-local input holds it (`2026-02-28T22:30`). */
export function wallTimeIn(at: string, zone: string): string {
  const wall = wallOf(Date.parse(at), zone);
  return wall.endsWith(':00') ? wall.slice(0, 16) : wall;
}

/** How far `zone`'s clock is ahead of UTC at the instant `ms`. */
function offsetAt(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return Date.parse(`${wallOf(whole, zone)}Z`) - whole;
}

/** The instant a wall-clock time (`2026-02-28T22:30`) of `zone` is: `2026-03-01T03:30:00Z`. */
export function instantOfWallTime(wall: string, zone: string): string {
  const asUtc = Date.parse(`${wall}${wall.length === 16 ? ':00' : ''}Z`);
  const first = asUtc - offsetAt(asUtc, zone);
  // Once more with the offset at that instant, for a wall time near a change of clocks.
  const at = asUtc - offsetAt(first, zone);
  return new Date(at).toISOString().replace('.000Z', 'Z');
}

/** The input a date property's value is edited with: a day, or a day and a time. */
export function dateInputOf(value: unknown): 'date' | 'datetime-local' {
  const shape = typeof value === 'string' ? dateShapeOf(value) : null;
  return shape && shape.kind !== 'day' ? 'datetime-local' : 'date';
}

/**
 * The text an input shows for a stored value. A date shows its calendar day (`2024-05-03`), or,
 * for an instant, its day and time on the clock of `zone` (`2026-02-28T22:30`); a time without a
 * zone shows as written.
 */
export function inputTextOf(value: unknown, type: PropertyType, zone = 'UTC'): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'array':
    case 'object':
      return text;
    case 'date': {
      const shape = dateShapeOf(text);
      if (shape === null) return text;
      if (shape.kind === 'day') return shape.day;
      return shape.kind === 'instant' ? wallTimeIn(shape.at, zone) : shape.dateTime;
    }
    default:
      return type satisfies never;
  }
}

/**
 * Reads what was typed as a value of the property's type, or says why it cannot be one. A date
 * and time (`2026-02-28T22:30`) is an instant on the clock of `zone` when one is given
 * (`2026-03-01T03:30:00Z`), else kept as typed (read on the contact's clock).
 */
export function parseInputText(text: string, type: PropertyType, zone?: string): ParsedValue {
  const trimmed = text.trim();
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'number': {
      const number = Number(trimmed);
      return trimmed !== '' && Number.isFinite(number)
        ? { ok: true, value: number }
        : { ok: false, message: 'Enter a number, such as 42 or 9.5' };
    }
    case 'boolean':
      return trimmed === 'true' || trimmed === 'false'
        ? { ok: true, value: trimmed === 'true' }
        : { ok: false, message: 'Choose yes or no' };
    case 'date': {
      if (DAY.test(trimmed) && validDay(trimmed)) return { ok: true, value: trimmed };
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(trimmed) && dateShapeOf(trimmed)) {
        return { ok: true, value: zone ? instantOfWallTime(trimmed, zone) : trimmed };
      }
      return { ok: false, message: 'Enter a date' };
    }
    case 'array':
    case 'object': {
      try {
        const value: unknown = JSON.parse(trimmed);
        const fits = type === 'array' ? Array.isArray(value) : isPlainObject(value);
        if (fits) return { ok: true, value: value as unknown[] | Record<string, unknown> };
      } catch {
        // Falls through to the message below.
      }
      return {
        ok: false,
        message:
          type === 'array'
            ? 'Write the list in square brackets, such as ["tea", "coffee"]'
            : 'Write the values in curly brackets, such as {"plan": "pro"}',
      };
    }
    default:
      return type satisfies never;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type to edit a property as: its registered type, else what its value looks like. */
export function editTypeOf(registered: PropertyType | undefined, value: unknown): PropertyType {
  if (registered) return registered;
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  return 'string';
}

/** The values of a list a chip input can edit (text, numbers, yes/no), or null if it holds more. */
export function listItemsOf(text: string): (string | number | boolean)[] | null {
  if (text.trim() === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return null;
    return value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))
      ? (value as (string | number | boolean)[])
      : null;
  } catch {
    return null;
  }
}

/**
 * A stored value as the profile shows it: "—" when empty, lists comma-separated, groups of values
 * as "key: value" pairs, yes or no; never JSON.
 */
export function displayValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    return value.length === 0 ? '—' : value.map((v) => nested(v)).join(', ');
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? '—' : entries.map(([k, v]) => `${k}: ${nested(v)}`).join(' · ');
  }
  // Stored values are JSON: nothing else reaches here.
  return '—';
}

/**
 * A contact's properties by name (country, first_name, last_name, phone…), as the properties page
 * lists them: Postgres keeps an object's keys shortest first (phone before first_name), an order
 * nobody reads by.
 */
export function propertiesByName(properties: Record<string, unknown>): [string, unknown][] {
  return Object.entries(properties).sort(([a], [b]) =>
    a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }),
  );
}

/** The zones a contact's dates are read in: instants on the workspace's, times without one on theirs. */
export interface DateZones {
  workspace: string;
  contact: string;
}

/**
 * A date property's value as the profile shows it: a calendar day as that day, whatever the zone
 * ("1 Mar 2026"); an instant as its day and hour on the workspace's clock, naming it ("28 Feb
 * 2026, 22:30 (America/New_York)"); a time without a zone as written, on the contact's clock
 * ("1 Mar 2026, 09:00 (Europe/Paris)"). Null when the text is no ISO date.
 */
export function displayDate(text: string, zones: DateZones, now = new Date()): string | null {
  const shape = dateShapeOf(text);
  if (shape === null) return null;
  switch (shape.kind) {
    case 'day':
      return formatDate(`${shape.day}T12:00:00Z`, 'UTC', now);
    case 'instant':
      return formatDateTimeInZone(shape.at, zones.workspace, now);
    case 'wall':
      return `${formatDateTime(`${shape.dateTime}Z`, 'UTC', now)} (${zones.contact})`;
    default:
      return shape satisfies never;
  }
}

/** A property's value as the profile shows it: dates by `displayDate`, the rest by `displayValue`. */
export function displayPropertyValue(
  value: unknown,
  type: PropertyType | undefined,
  zones: DateZones,
  now = new Date(),
): string {
  const date = type === 'date' && typeof value === 'string' ? displayDate(value, zones, now) : null;
  return date ?? displayValue(value);
}

// Inside a list or a group, a group reads in parentheses so its pairs stay apart from the rest.
function nested(value: unknown): string {
  const text = displayValue(value);
  return isPlainObject(value) && text !== '—' ? `(${text})` : text;
}
