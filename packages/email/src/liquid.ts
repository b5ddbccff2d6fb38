import { calendarDateOf, fromLocal, isUtcMidnight, isValidTimeZone } from '@relance/flow/time';
import {
  filters as builtinFilters,
  type Context,
  type Emitter,
  evalToken,
  Liquid,
  LiquidError,
  type RangeToken,
  type Tag,
  toValue,
  TypeGuards,
  type Template as LiquidTemplate,
} from 'liquidjs';

/** Parsed Liquid, ready to render many times. */
export type LiquidProgram = LiquidTemplate[];

// Tags that read other templates by name would reach the file system (or fail at send time);
// templates are self-contained, so these tags do not exist here.
const DISABLED_TAGS = ['include', 'render', 'layout', 'block'] as const;

function createEngine(escapeOutput: boolean): Liquid {
  const engine = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    // Every output is written for a reader: lists joined by ", ", objects by their values.
    outputEscape: escapeOutput ? escapedDisplay : display,
    templates: {},
    // Only the fallback when a render knows no zone: the `date` filter below uses the contact's.
    timezoneOffset: 0,
    // A template is authored by a marketer, not trusted code: bound its cost per call.
    parseLimit: 1_000_000,
    renderLimit: 1_000,
    memoryLimit: 50_000_000,
  });
  for (const tag of DISABLED_TAGS) delete engine.tags[tag];
  for (const tag of LOOP_TAGS) engine.registerTag(tag, boundedRangeLoop(engine.tags[tag]!));
  engine.registerFilter('date', zonedDate as FilterOption);
  engine.registerFilter('money', money as FilterOption);
  for (const name of LENIENT_FILTERS) engine.registerFilter(name, lenient(name) as FilterOption);
  return engine;
}

/**
 * The most times a loop over a range (`{% for i in (1..contact.points) %}`) may run. A bound read
 * from data can be anything (a typo, an amount in cents): past this, that contact's render fails
 * with the reason rather than take seconds or send an email of megabytes, or a shortened one.
 */
export const MAX_RANGE_LOOP = 1_000;

const LOOP_TAGS = ['for', 'tablerow'] as const;

/** A loop over a range that a render refuses to run, in words for the marketer. */
class RangeLoopError extends Error {}

type TagClass = Liquid['tags'][string];
type LoopTag = Tag & { collection: unknown };
type LoopRender = (this: LoopTag, ctx: Context, emitter: Emitter) => Generator<unknown>;

// The built-in tag, checking a range's bounds before it is built: whole numbers (or nothing,
// which loops zero times as in liquidjs), and at most MAX_RANGE_LOOP of them.
function boundedRangeLoop(builtin: TagClass): TagClass {
  const render = (builtin.prototype as { render: LoopRender }).render;
  return class extends builtin {
    *render(this: LoopTag, ctx: Context, emitter: Emitter): Generator<unknown> {
      const { collection } = this;
      if (TypeGuards.isRangeToken(collection)) {
        const low = toValue(yield evalToken(collection.lhs, ctx)) as unknown;
        const high = toValue(yield evalToken(collection.rhs, ctx)) as unknown;
        checkRange(this.token.getText(), collection, low, high);
      }
      return (yield* render.call(this, ctx, emitter)) as unknown;
    }
  };
}

function checkRange(loop: string, range: RangeToken, low: unknown, high: unknown) {
  for (const [side, value] of [
    [range.lhs, low],
    [range.rhs, high],
  ] as const) {
    if (!isBoundValue(value)) {
      throw new RangeLoopError(
        `${loop} counts up to ${side.getText()}, which is ${shown(value)}, not a number, so this contact's email is not sent`,
      );
    }
  }
  // Nothing loops zero times, as in liquidjs (and as the empty sample contact of the check).
  if ([low, high].some((value) => value === null || value === undefined || value === '')) return;
  const times = Math.max(0, Math.ceil(+(high as number) + 1 - +(low as number)));
  if (Number.isFinite(times) && times <= MAX_RANGE_LOOP) return;
  const variable = [range.rhs, range.lhs].find((side) => !TypeGuards.isNumberToken(side));
  const count = Number.isFinite(times) ? `${times.toLocaleString('en')} times` : 'endlessly';
  const limit = `more than the ${MAX_RANGE_LOOP.toLocaleString('en')} times a loop may run`;
  if (!variable) throw new RangeLoopError(`${loop} would run ${count}, ${limit}: loop over fewer`);
  const value = shown(variable === range.rhs ? high : low);
  throw new RangeLoopError(
    `${loop} would run ${count} (${variable.getText()} is ${value}), ${limit}, so this contact's email is not sent rather than sent cut short. Cap the value first, e.g. {% assign n = ${variable.getText()} | at_most: 100 %}`,
  );
}

// A number, or text that is one; nothing (a property the contact does not have) loops zero times.
function isBoundValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (typeof value === 'number') return !Number.isNaN(value);
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
}

function shown(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' && value !== null ? 'an object' : String(value);
}

/**
 * An output as a reader should see it: nothing for null, a list's items joined by ", ", an
 * object's (Segment's `address` trait) non-empty values joined by ", " (`1 Main St, Lyon, FR`),
 * anything else as liquidjs writes it.
 */
export function display(value: unknown): string {
  const plain = toValue(value) as unknown;
  if (plain === null || plain === undefined) return '';
  if (Array.isArray(plain)) return joinShown(plain);
  if (isPlainObject(plain)) return joinShown(Object.values(plain));
  if (typeof plain === 'string') return plain;
  if (typeof plain === 'number' || typeof plain === 'boolean') return String(plain);
  return plain instanceof Date ? plain.toISOString() : '';
}

function joinShown(values: unknown[]): string {
  return values
    .map(display)
    .filter((text) => text.trim() !== '')
    .join(', ');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function escapedDisplay(this: FilterThis, value: unknown): string {
  return String((builtinFilters.escape as FilterFn).call(this, display(value)));
}

type FilterOption = Parameters<Liquid['registerFilter']>[1];
/** What liquidjs binds `this` to in a filter. */
type FilterThis = { context: Context };
type FilterFn = (this: FilterThis, ...args: unknown[]) => unknown;
const builtinDate = builtinFilters.date as FilterFn;

// A date (`1990-05-17`) or midnight UTC is the calendar date written; an offset-less time is
// wall-clock time in the zone. Anything else (an instant, "now", a number) is the built-in's.
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?$/;

/** The zone a render writes dates in: the contact's, else the workspace's, else UTC. */
function renderZone(options: FilterThis): string {
  for (const path of [
    ['contact', 'timezone'],
    ['workspace', 'timezone'],
  ]) {
    let zone: unknown;
    try {
      zone = options.context.getSync(path);
    } catch {
      zone = undefined;
    }
    if (typeof zone === 'string' && isValidTimeZone(zone)) return zone;
  }
  return 'UTC';
}

/**
 * `date` in the contact's zone (or the one given: `date: "%H:%M", "Europe/Paris"`, or minutes
 * east of UTC as liquidjs takes them). An unknown zone falls back to the contact's zone rather
 * than failing the whole email; a value that is not a date is written as it is.
 */
function zonedDate(this: FilterThis, value: unknown, format?: unknown, zone?: unknown) {
  const given = toValue(zone) as unknown;
  const timeZone = typeof given === 'string' && isValidTimeZone(given) ? given : renderZone(this);
  const offset = typeof given === 'number' && Number.isFinite(given) ? given : timeZone;
  const plain = toValue(value) as unknown;
  if (typeof plain === 'string' && typeof offset === 'string') {
    const text = plain.trim();
    const wall = WALL_CLOCK.exec(text);
    if (DATE_ONLY.test(text) || isUtcMidnight(text)) {
      const date = calendarDateOf(text, timeZone);
      if (date) {
        const ms = fromLocal({ ...date, hour: 0, minute: 0 }, timeZone);
        return builtinDate.call(this, ms / 1000, format, offset);
      }
    } else if (wall) {
      const [year, month, day, hour, minute] = wall.slice(1, 6).map(Number);
      const seconds = Number(wall[6] ?? 0) + Number(wall[7] ?? 0);
      const ms =
        fromLocal(
          { year: year!, month: month!, day: day!, hour: hour!, minute: minute! },
          timeZone,
        ) +
        seconds * 1000;
      if (Number.isFinite(ms)) return builtinDate.call(this, ms / 1000, format, offset);
    }
  }
  try {
    return builtinDate.call(this, plain, format, offset);
  } catch (error) {
    // Limits are the template's cost, not the data's: keep failing on them.
    if (error instanceof Error && /limit exceeded/.test(error.message)) throw error;
    return plain;
  }
}

/** Reads a variable of the render, or undefined when it has none. */
function contextValue(options: FilterThis, path: string[]): unknown {
  try {
    return toValue(options.context.getSync(path)) as unknown;
  } catch {
    return undefined;
  }
}

const CURRENCY_CODE = /^[A-Za-z]{3}$/;

function currencyCode(value: unknown): string | null {
  if (typeof value !== 'string' || !CURRENCY_CODE.test(value.trim())) return null;
  const code = value.trim().toUpperCase();
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code });
    return code;
  } catch {
    return null;
  }
}

/** A locale Intl knows (`fr-FR`, `fr_CA`, `de`), or null. */
function numberLocale(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  try {
    const [locale] = Intl.NumberFormat.supportedLocalesOf(value.trim().replace(/_/g, '-'));
    return locale ?? null;
  } catch {
    return null;
  }
}

/**
 * The locale an amount is written in: the contact's (`locale`, else `language`), else the
 * workspace's page language, else English, as the recipient's pages choose their language.
 */
function moneyLocale(options: FilterThis): string {
  for (const path of [
    ['contact', 'locale'],
    ['contact', 'language'],
    ['workspace', 'page_language'],
  ]) {
    const locale = numberLocale(contextValue(options, path));
    if (locale) return locale;
  }
  return 'en';
}

// A number, or text that is one (`"59.90"`, as a form or a CSV import may send it).
function amountOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const amount = Number(value.trim());
  return Number.isFinite(amount) ? amount : null;
}

/**
 * `{{ event.amount | money }}`: "€59.90", an amount in the workspace's currency (or the one given,
 * `money: "USD"`) written the way the contact's language writes money ("59,90 €" in French).
 * Anything that is not an amount (nothing, text) is written as it is, never "NaN"; without a
 * currency known the amount is written as a number with its decimals.
 */
function money(this: FilterThis, value: unknown, currency?: unknown): unknown {
  const plain = toValue(value) as unknown;
  const amount = amountOf(plain);
  // A computation gone wrong (`divided_by: 0`) is no amount to show.
  if (amount === null) return typeof plain === 'number' ? '' : plain;
  const locale = moneyLocale(this);
  const code =
    currencyCode(toValue(currency)) ?? currencyCode(contextValue(this, ['workspace', 'currency']));
  if (!code) {
    return new Intl.NumberFormat(locale, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    }).format(amount);
  }
  return new Intl.NumberFormat(locale, { style: 'currency', currency: code }).format(amount);
}

// Filters that throw on a value they cannot read, which only the contact's data decides.
const LENIENT_FILTERS = ['url_decode', 'url_encode', 'uri_escape', 'base64_decode'] as const;

/**
 * The built-in filter, writing a value it cannot read (`50%off` to url_decode, text that is not
 * base64) as it is rather than failing the whole email for that contact.
 */
function lenient(name: (typeof LENIENT_FILTERS)[number]): FilterFn {
  const builtin = builtinFilters[name] as FilterFn;
  return function (this: FilterThis, value: unknown, ...args: unknown[]) {
    try {
      return builtin.call(this, value, ...args);
    } catch (error) {
      if (error instanceof Error && /limit exceeded/.test(error.message)) throw error;
      return value;
    }
  };
}

// Stateless configuration, shared like a compiled regular expression.
/** Liquid for HTML: every `{{ output }}` is HTML-escaped unless piped through `| raw`. */
export const htmlLiquid = createEngine(true);
/** Liquid for subject, preheader and text part: outputs are written as they are. */
export const plainLiquid = createEngine(false);

/** A Liquid problem in words a marketer understands, with its 1-based position when known. */
export type LiquidProblem = { line?: number; column?: number; message: string };

/** Parses Liquid source, or explains why it cannot be parsed. */
export function parseLiquid(
  engine: Liquid,
  source: string,
): { ok: true; program: LiquidProgram } | { ok: false; problem: LiquidProblem } {
  try {
    return { ok: true, program: engine.parse(source) };
  } catch (error) {
    return { ok: false, problem: describeLiquidError(error) };
  }
}

/** Turns a liquidjs error into a plain-words problem with its position. */
export function describeLiquidError(error: unknown): LiquidProblem {
  if (!(error instanceof LiquidError)) {
    return { message: error instanceof Error ? error.message : String(error) };
  }
  const [line, column] = error.token.getPosition();
  const raw = error.message.replace(/, line:\d+, col:\d+$/, '');
  return { line, column, message: plainWords(raw) };
}

function plainWords(message: string): string {
  let match = /^undefined filter: (.+)$/.exec(message);
  if (match) return `Unknown filter "${match[1]}"`;
  match = /^tag "(.+)" not found$/.exec(message);
  if (match) {
    const name = match[1]!;
    if ((DISABLED_TAGS as readonly string[]).includes(name)) {
      return `{% ${name} %} is not available in email templates: each template is self-contained`;
    }
    if (name.startsWith('end')) return `{% ${name} %} has no matching {% ${name.slice(3)} %}`;
    return `Unknown tag {% ${name} %}`;
  }
  match = /^tag (\{%.*%\}) not closed$/s.exec(message);
  if (match) {
    const name = /^\{%-?\s*(\w+)/.exec(match[1]!)?.[1] ?? '';
    return `${match[1]} is never closed: add {% end${name} %}`;
  }
  match = /^output "(.*)" not closed$/s.exec(message);
  if (match) return `${excerpt(match[1]!)} is never closed: add }}`;
  match = /^tag "(.*)" not closed$/s.exec(message);
  if (match) return `${excerpt(match[1]!)} is never closed: add %}`;
  if (/memory alloc limit exceeded/.test(message)) {
    return 'This needs too much memory to render (a loop over a huge range?)';
  }
  if (/render limit exceeded|template render limit/.test(message)) {
    return 'This takes too long to render (a loop that never ends?)';
  }
  match = /^illegal tag: (.*)$/s.exec(message);
  if (match) return `${match[1]} is not written correctly`;
  return message;
}

// liquidjs quotes the unclosed source with escaped quotes; show it as the marketer typed it.
function excerpt(quoted: string): string {
  const text = quoted.replace(/\\"/g, '"').trim();
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
