import { describe, expect, it } from 'vitest';
import { toDate, toNumber } from './cell-values';

const reasonOf = (cell: { reason: string } | { value: unknown }) =>
  'reason' in cell ? cell.reason : null;

describe('a CSV cell read as a number', () => {
  it.each([
    ['1 234,56 €', '1234.56'],
    ['€ 1 500', '1500'],
    ['1,234,567.89 USD', '1234567.89'],
    ['1.234,5 EUR', '1234.5'],
    ['99.90 EUR', '99.90'],
    // Read two ways without the currency too: no example taken from it.
    ['1.500 €', '1500.5'],
    ['$1,200', '1500.5'],
  ])('%s is refused with the amount written plainly: %s', (cell, plain) => {
    expect(reasonOf(toNumber(cell))).toBe(
      `"${cell}" is not a plain number: write the amount without its currency, with a dot for decimals and no thousands separators, such as ${plain}`,
    );
  });

  it('says to leave a cell meaning "no value" empty, and keeps reading plain numbers', () => {
    expect(reasonOf(toNumber('N/A'))).toBe(
      '"N/A" is not a number: leave the cell empty when there is no value',
    );
    expect(toNumber('-12.5')).toEqual({ value: -12.5 });
  });
});

describe('a CSV cell read as a date', () => {
  it('reads ISO and year-first dates whatever the order, and others only in the order named', () => {
    expect(toDate('2019-03-04T10:00:00Z', undefined)).toEqual({ value: '2019-03-04T10:00:00Z' });
    expect(toDate('2019.3.4', undefined)).toEqual({ value: '2019-03-04' });
    expect(toDate('4.3.2019', 'dmy')).toEqual({ value: '2019-03-04' });
    expect(toDate('4-3-2019 9:05', 'mdy')).toEqual({ value: '2019-04-03T09:05' });
    expect(reasonOf(toDate('04/04/2019', undefined))).toBe(
      '"04/04/2019" reads as 2019-04-04: write it as year-month-day, or import with the file\'s date order (dateOrder=dmy or mdy)',
    );
    expect(reasonOf(toDate('2019-02-29', undefined))).toBe(
      '"2019-02-29" is not a date of the calendar: write a real date, such as 2019-03-04',
    );
    expect(reasonOf(toDate('04/03/2019', 'ymd'))).toContain('does not start with the year');
    expect(reasonOf(toDate('04/03/2019 25:00', 'dmy'))).toBe(
      '"04/03/2019 25:00" has no such time of day: write it as 14:30',
    );
    expect(reasonOf(toDate('March 4th', 'dmy'))).toBe(
      '"March 4th" is not a date: write it as 2019-03-04 (year-month-day), or 2019-03-04 14:30 with a time',
    );
  });
});
