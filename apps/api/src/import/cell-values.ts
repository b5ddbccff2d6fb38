import type { PropertyType } from '@relance/db';

// The cells of a CSV import read as their property's type. A cell that cannot be read as one
// is not guessed: the caller leaves it out of the contact and reports the reason, which says
// how to write the value.

/** The order of day, month and year in a file's dates written with / . or - (04/03/2019). */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export const DATE_ORDERS: readonly DateOrder[] = ['dmy', 'mdy', 'ymd'];

/** A number as JSON writes it: digits, a dot for decimals, an optional exponent. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** A dot that may group thousands (1.500, 12.345.678): 1.5 to some, 1500 to others. */
const DOT_GROUPS = /^[+-]?[1-9]\d{0,2}(\.\d{3})+$/;
/** Digits with separators: a number written for people (1,500 · 1 500 · 1'500 · 1,5). */
const SEPARATED = /^[+-]?[\d.,' \u00a0\u202f]*\d[\d.,' \u00a0\u202f]*$/;
/** A currency sign or code around an amount (1 234,56 € · $1,200 · 99.90 EUR). */
const CURRENCY =
  /^([€$£¥₹]|(EUR|USD|GBP|CHF|CAD|AUD|JPY)\s?)|(\s?[€$£¥₹]|\s?(EUR|USD|GBP|CHF|CAD|AUD|JPY))$/i;
/** What spreadsheets and exports write for "no value". */
const NO_VALUE = new Set(['n/a', 'na', 'n.a.', '-', '--', '—', 'none', 'null', 'nil', '#n/a', '?']);

export const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
/** A date written with separators (04/03/2019, 4.3.2019, 2019/03/04), an optional time after. */
const WRITTEN_DATE =
  /^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

export type Cell = { value: unknown } | { reason: string };

/** A cell as the property's type; a reason saying how to write it when it is not one. */
export function convertCell(cell: string, type: PropertyType, dateOrder?: DateOrder): Cell {
  switch (type) {
    case 'number':
      return toNumber(cell.trim());
    case 'boolean': {
      const v = cell.trim().toLowerCase();
      if (['true', 'yes', 'y', '1'].includes(v)) return { value: true };
      if (['false', 'no', 'n', '0'].includes(v)) return { value: false };
      return { reason: `"${cell}" is not yes/no: write yes or no (true/false, 1/0)` };
    }
    case 'date':
      return toDate(cell.trim(), dateOrder);
    case 'array':
      return {
        value: cell
          .split(/[,;|]/)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    case 'string':
    case 'object':
      return { value: cell };
  }
}

/**
 * A number cell, read only when it means one thing: "1,500" or "1.500" is 1.5 in some countries
 * and 1500 in others, so it is refused with the way to write it rather than guessed.
 */
export function toNumber(cell: string): { value: number } | { reason: string } {
  if (DOT_GROUPS.test(cell) && !cell.includes('.', cell.indexOf('.') + 1)) {
    const decimal = String(Number(cell));
    const whole = cell.replace('.', '');
    return {
      reason: `"${cell}" could be ${decimal === cell ? cell : decimal} or ${whole}: write ${whole}, or ${decimal === cell ? `${cell}0` : decimal} for the decimal number`,
    };
  }
  if (PLAIN_NUMBER.test(cell)) {
    const n = Number(cell);
    if (Number.isFinite(n)) return { value: n };
  }
  if (SEPARATED.test(cell)) {
    return {
      reason: `"${cell}" is not a plain number: use a dot for decimals and no thousands separators, such as 1500 or 1500.5`,
    };
  }
  const amount = cell.replace(CURRENCY, '').trim();
  if (amount !== cell && (PLAIN_NUMBER.test(amount) || SEPARATED.test(amount))) {
    const plain = plainAmount(amount);
    return {
      reason: `"${cell}" is not a plain number: write the amount without its currency, with a dot for decimals and no thousands separators, such as ${plain ?? '1500.5'}`,
    };
  }
  if (NO_VALUE.has(cell.toLowerCase()))
    return { reason: `"${cell}" is not a number: leave the cell empty when there is no value` };
  return { reason: `"${cell}" is not a number` };
}

/**
 * An amount written for people as a plain number, when it reads only one way: a last group of
 * one, two or four digits after a comma or dot is decimals (1 234,56 · 1.234,5); a last group of
 * three is ambiguous (1,500) unless the same separator groups thousands before it (1,234,567).
 */
function plainAmount(amount: string): string | null {
  // 1.500 €: 1.5 or 1500, as without the currency.
  if (DOT_GROUPS.test(amount)) return null;
  if (PLAIN_NUMBER.test(amount)) return amount;
  const match = /^([+-]?)(\d+(?:[.,' \u00a0\u202f]\d+)*)$/.exec(amount);
  if (!match) return null;
  const parts = match[2]!.split(/[.,' \u00a0\u202f]/);
  const seps = match[2]!.replace(/\d/g, '');
  const last = parts.at(-1)!;
  const grouped = (groups: string[]) =>
    groups.length > 0 &&
    /^\d{1,3}$/.test(groups[0]!) &&
    groups.slice(1).every((g) => /^\d{3}$/.test(g));
  if (last.length === 3) {
    // Thousands only: every separator the same, and more than one or not a decimal mark.
    const same = new Set(seps).size === 1;
    if (same && (seps.length > 1 || !/[.,]/.test(seps)) && grouped(parts))
      return match[1]! + parts.join('');
    return null;
  }
  const mark = seps.at(-1)!;
  if (!/[.,]/.test(mark) || seps.slice(0, -1).includes(mark)) return null;
  const whole = parts.slice(0, -1);
  if (!grouped(whole)) return null;
  return `${match[1]!}${whole.join('')}.${last}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isRealDate = (y: number, m: number, d: number) =>
  m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * A date cell: ISO (2019-03-04) always; a date written with separators only in the order the
 * import names (`dateOrder`), or year first (2019/03/04), since 04/03/2019 is 4 March to some
 * and 3 April to others. Without the order it is refused with both readings and how to write
 * it; one that can only be day first (31/12/2019) is refused too, naming the order to choose,
 * so a file's dates are all read the same way or not at all.
 */
export function toDate(cell: string, dateOrder: DateOrder | undefined): Cell {
  if (ISO_DATE.test(cell)) {
    const [y, m, d] = cell.slice(0, 10).split('-').map(Number) as [number, number, number];
    if (isRealDate(y, m, d)) return { value: cell };
    return {
      reason: `"${cell}" is not a date of the calendar: write a real date, such as 2019-03-04`,
    };
  }
  const written = WRITTEN_DATE.exec(cell);
  if (!written) {
    return {
      reason: `"${cell}" is not a date: write it as 2019-03-04 (year-month-day), or 2019-03-04 14:30 with a time`,
    };
  }
  const [, a, , b, c, hh, mm, ss] = written as unknown as [
    string,
    string,
    string,
    string,
    string,
    string | undefined,
    string | undefined,
    string | undefined,
  ];
  const time =
    hh === undefined
      ? ''
      : Number(hh) < 24 && Number(mm) < 60 && (ss === undefined || Number(ss) < 60)
        ? `T${pad(Number(hh))}:${mm}${ss === undefined ? '' : `:${ss}`}`
        : null;
  if (time === null) return { reason: `"${cell}" has no such time of day: write it as 14:30` };
  const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}${time}`;
  const yearFirst = a.length === 4;
  if (yearFirst || dateOrder === 'ymd') {
    if (!yearFirst) {
      return {
        reason: `"${cell}" does not start with the year, as the file's date order (year/month/day) says: write it as 2019-03-04, or choose the order its dates are written in`,
      };
    }
    if (c.length > 2 || !isRealDate(Number(a), Number(b), Number(c)))
      return { reason: `"${cell}" is not a date of the calendar: write it as 2019-03-04` };
    return { value: iso(Number(a), Number(b), Number(c)) };
  }
  if (c.length !== 4) {
    return {
      reason: `"${cell}" has a two-digit year: write the year in full, such as 2019-03-04`,
    };
  }
  const year = Number(c);
  const first = Number(a);
  const second = Number(b);
  if (dateOrder === 'dmy' || dateOrder === 'mdy') {
    const [d, m] = dateOrder === 'dmy' ? [first, second] : [second, first];
    if (isRealDate(year, m, d)) return { value: iso(year, m, d) };
    const order = dateOrder === 'dmy' ? 'day/month/year' : 'month/day/year';
    return {
      reason: `"${cell}" is not a date read as ${order}, the file's date order: write it as 2019-03-04, or choose the order its dates are written in`,
    };
  }
  const dayFirst = isRealDate(year, second, first);
  const monthFirst = isRealDate(year, first, second);
  if (dayFirst && monthFirst && first !== second) {
    return {
      reason: `"${cell}" could be ${iso(year, second, first)} (day first) or ${iso(year, first, second)} (month first): write it as year-month-day, or import with the file's date order (dateOrder=dmy or mdy)`,
    };
  }
  if (dayFirst && monthFirst) {
    return {
      reason: `"${cell}" reads as ${iso(year, first, second)}: write it as year-month-day, or import with the file's date order (dateOrder=dmy or mdy)`,
    };
  }
  if (dayFirst || monthFirst) {
    const [m, d, order, option] = dayFirst
      ? [second, first, 'day first', 'dmy']
      : [first, second, 'month first', 'mdy'];
    return {
      reason: `"${cell}" reads as ${iso(year, m, d)} (${order}): write it as year-month-day, or import with the file's date order (dateOrder=${option})`,
    };
  }
  return { reason: `"${cell}" is not a date of the calendar: write it as 2019-03-04` };
}
