// Evaluates event filters (the `where` of trigger.event and wait.event) against a JSON object.
// Zod-free: the journey interpreter calls it inside Temporal's workflow sandbox.

import { assertNever } from './assert-never';
import type { EventFilter, PropertyCondition, Scalar } from './condition';
import { parseDuration } from './parse-duration';
import { addDays, calendarDateOf, toLocal } from './time';

/** Options for evaluating relative dates: the clock and the zone anniversaries are counted in. */
export interface FilterOptions {
  /** Epoch ms treated as "now" (workflow code passes its deterministic clock); default `Date.now()`. */
  now?: number;
  /** IANA zone for `anniversary_in` and `anniversary_within`; default `UTC`. */
  timeZone?: string;
}

/** Reads a dotted path (`address.city`, `items.0.sku`) from a JSON value; undefined when absent. */
export function getPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Whether `properties` satisfies `filter`. Semantics: numbers compare numerically (numeric
 * strings count as numbers); text comparisons with `contains`/`starts_with` ignore case, `eq`
 * does not; an array property matches `eq`/`in`/`contains` when any element does; a missing
 * property fails every comparison except the negative ones (`neq`, `not_in`, `not_contains`,
 * `not_exists`).
 */
export function matchesFilter(
  filter: EventFilter,
  properties: unknown,
  options: FilterOptions = {},
): boolean {
  switch (filter.kind) {
    case 'all':
      return filter.conditions.every((c) => matchesFilter(c, properties, options));
    case 'any':
      return filter.conditions.some((c) => matchesFilter(c, properties, options));
    case 'not':
      return !matchesFilter(filter.condition, properties, options);
    case 'property':
      return matchesProperty(filter, properties, options);
    default:
      return assertNever(filter);
  }
}

/** Whether one property comparison holds for `properties` (see {@link matchesFilter}). */
export function matchesProperty(
  condition: PropertyCondition,
  properties: unknown,
  options: FilterOptions = {},
): boolean {
  const actual = getPath(properties, condition.property);
  const now = options.now ?? Date.now();
  switch (condition.op) {
    case 'eq':
      return anyElement(actual, (v) => equals(v, condition.value));
    case 'neq':
      return !anyElement(actual, (v) => equals(v, condition.value));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const { op, value } = condition;
      return anyElement(actual, (v) => compare(v, value, op));
    }
    case 'contains':
      return anyElement(actual, (v) => textOf(v)?.includes(condition.value.toLowerCase()) ?? false);
    case 'not_contains':
      return !anyElement(
        actual,
        (v) => textOf(v)?.includes(condition.value.toLowerCase()) ?? false,
      );
    case 'starts_with':
      return anyElement(
        actual,
        (v) => textOf(v)?.startsWith(condition.value.toLowerCase()) ?? false,
      );
    case 'in':
      return anyElement(actual, (v) => condition.value.some((option) => equals(v, option)));
    case 'not_in':
      return !anyElement(actual, (v) => condition.value.some((option) => equals(v, option)));
    case 'exists':
      return isPresent(actual);
    case 'not_exists':
      return !isPresent(actual);
    case 'before':
    case 'after': {
      const at = dateOf(actual);
      const bound = Date.parse(condition.value);
      if (at === null || Number.isNaN(bound)) return false;
      return condition.op === 'before' ? at < bound : at > bound;
    }
    case 'within_last':
    case 'within_next':
    case 'more_than_ago': {
      const at = dateOf(actual);
      const span = parseDuration(condition.value);
      if (at === null || span === null) return false;
      if (condition.op === 'within_last') return at <= now && at >= now - span;
      if (condition.op === 'within_next') return at >= now && at <= now + span;
      return at < now - span;
    }
    case 'anniversary_in':
    case 'anniversary_within': {
      const zone = options.timeZone ?? 'UTC';
      const date = anniversaryDateOf(actual, zone);
      if (date === null) return false;
      const today = toLocal(now, zone);
      // "in N days" is that one day; "within N days" any day from today to today + N.
      const first = condition.op === 'anniversary_in' ? condition.days : 0;
      for (let offset = first; offset <= condition.days; offset += 1) {
        if (fallsOn(date, addDays(today, offset))) return true;
      }
      return false;
    }
    default:
      return assertNever(condition);
  }
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** The calendar day an anniversary counts from, as the rule segments and date triggers read it. */
function anniversaryDateOf(actual: unknown, zone: string): CalendarDate | null {
  if (typeof actual === 'string') return calendarDateOf(actual, zone);
  const ms = dateOf(actual);
  return ms === null ? null : toLocal(ms, zone);
}

/** Whether `date`'s yearly anniversary falls on `day`; 29 February on the 28th in other years. */
function fallsOn(date: CalendarDate, day: CalendarDate): boolean {
  if (date.month === day.month && date.day === day.day) return true;
  const leap = new Date(Date.UTC(day.year, 1, 29)).getUTCMonth() === 1;
  return !leap && date.month === 2 && date.day === 29 && day.month === 2 && day.day === 28;
}

function anyElement(actual: unknown, test: (value: unknown) => boolean): boolean {
  return Array.isArray(actual) ? actual.some(test) : test(actual);
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !Array.isArray(value) || value.length > 0;
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function dateOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Text that reads as a number, as the segment compiler reads it (no hex, no Infinity). */
const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?\s*$/;

/**
 * "is" as segments compare (packages/segments property.ts): text ignores case, as "contains"
 * does; a number matches the same number stored as text, and text typed as a number matches
 * that number stored as a number.
 */
function equals(actual: unknown, expected: Scalar): boolean {
  if (typeof expected === 'number') return numberOf(actual) === expected;
  if (typeof expected === 'boolean') {
    return actual === expected || actual === String(expected);
  }
  if (typeof actual === 'number') return NUMERIC.test(expected) && Number(expected) === actual;
  if (typeof actual === 'boolean') return String(actual) === expected.toLowerCase();
  return typeof actual === 'string' && actual.toLowerCase() === expected.toLowerCase();
}

function compare(actual: unknown, expected: Scalar, op: 'gt' | 'gte' | 'lt' | 'lte'): boolean {
  const a = numberOf(actual);
  const b = numberOf(expected);
  let order: number;
  if (a !== null && b !== null) order = a - b;
  else if (typeof actual === 'string' && typeof expected === 'string') {
    order = actual < expected ? -1 : actual > expected ? 1 : 0;
  } else return false;
  switch (op) {
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
    default:
      return assertNever(op);
  }
}
