import { describe, expect, it } from 'vitest';
import {
  defaultTarget,
  guessType,
  mappingOf,
  readCsvHead,
  splitRecord,
  writtenDateOrder,
} from './csv-head';

describe('reading a CSV head', () => {
  it.each([
    ['plain', 'a,b,c', ',', ['a', 'b', 'c']],
    ['quoted with delimiter', '"Doe, Jane",b', ',', ['Doe, Jane', 'b']],
    ['doubled quotes', '"say ""hi""",x', ',', ['say "hi"', 'x']],
    ['semicolons', 'a;b', ';', ['a', 'b']],
    ['empty cells', 'a,,c', ',', ['a', '', 'c']],
  ] as const)('%s', (_name, line, delimiter, cells) => {
    expect(splitRecord(line, delimiter)).toEqual(cells);
  });

  it('guesses the delimiter and reads headers and sample rows', () => {
    const head = readCsvHead(
      '\uFEFFEmail;First name;Plan\r\nada@x.com;Ada;pro\r\nbob@x.com;Bob;free\r\n',
    );
    expect(head.delimiter).toBe(';');
    expect(head.headers).toEqual(['Email', 'First name', 'Plan']);
    expect(head.sample).toEqual([
      ['ada@x.com', 'Ada', 'pro'],
      ['bob@x.com', 'Bob', 'free'],
    ]);
  });

  it('maps known columns to fields, others to typed properties, skips blanks', () => {
    const headers = ['E-mail', 'First name', 'Signed up', ''];
    const targets = headers.map((h) => defaultTarget(h));
    targets[2] = { kind: 'property', property: 'signed_up', type: 'date' };
    expect(mappingOf(headers, targets)).toEqual({
      'E-mail': '$email',
      'First name': 'first_name',
      'Signed up': { property: 'signed_up', type: 'date' },
      '': '',
    });
  });

  it('guesses a new column’s type from its values, so "Total spent" can be compared as a number', () => {
    const head = readCsvHead(
      'Email,Total spent,Signed up,Opted in,Country,Notes\n' +
        'a@x.com,650,2022-03-10,yes,FR,\n' +
        'b@x.com,120.50,2024-11-01T09:30:00Z,no,BE,\n' +
        'c@x.com,,2021-01-15,Yes,FR,\n' +
        'd@x.com,12',
    );
    // The last line of a 64 KB slice may be cut: it does not count.
    expect(head.rows).toHaveLength(3);
    const targets = head.headers.map((h, i) =>
      defaultTarget(
        h,
        head.rows.map((r) => r[i] ?? ''),
        new Map(),
      ),
    );
    expect(targets.slice(1)).toEqual([
      { kind: 'property', property: 'total_spent', type: 'number' },
      { kind: 'property', property: 'signed_up', type: 'date' },
      { kind: 'property', property: 'opted_in', type: 'boolean' },
      { kind: 'property', property: 'country', type: 'string' },
      { kind: 'property', property: 'notes', type: 'string' },
    ]);
    expect(mappingOf(head.headers, targets)['Total spent']).toEqual({
      property: 'total_spent',
      type: 'number',
    });
    // A whole file's last line counts.
    expect(readCsvHead('Email\na@x.com\nb@x.com', 3, { complete: true }).rows).toHaveLength(2);
  });

  it('guesses text when one value is not of the type, so no row is refused for a guess', () => {
    expect(guessType(['650', '1,200'])).toBe('string');
    expect(guessType(['2022-03-10', 'soon'])).toBe('string');
    expect(guessType(['1', '0', '-12.5', '0.99'])).toBe('number');
    // Postcodes, phone numbers and long ids keep their zeros and signs as text.
    expect(guessType(['75011', '01234'])).toBe('string');
    expect(guessType(['+33612345678'])).toBe('string');
    expect(guessType(['3361234567'])).toBe('string');
    expect(guessType(['1e3'])).toBe('string');
    expect(guessType([])).toBe('string');
  });

  it('keeps the registered type of a property the workspace already knows', () => {
    expect(defaultTarget('Postcode', ['75011'], new Map([['postcode', 'string']]))).toEqual({
      kind: 'property',
      property: 'postcode',
      type: 'auto',
    });
  });

  it('takes dates written day or month first for dates, and finds the order they show', () => {
    expect(guessType(['2022-03-10', '15/06/2020', '4.3.2019 14:30', '2019/06/15'])).toBe('date');
    // A two-digit year is no date the import reads.
    expect(guessType(['04/03/19'])).toBe('string');
    expect(writtenDateOrder(['04/03/2019', '31/12/2019'])).toEqual({ present: true, order: 'dmy' });
    expect(writtenDateOrder(['12/31/2019', '', 'x'])).toEqual({ present: true, order: 'mdy' });
    // Every one could be either, or they disagree: the marketer chooses.
    expect(writtenDateOrder(['04/03/2019'])).toEqual({ present: true, order: null });
    expect(writtenDateOrder(['31/12/2019', '12/31/2019'])).toEqual({ present: true, order: null });
    expect(writtenDateOrder(['2019-03-04', 'ada@x.com'])).toEqual({ present: false, order: null });
  });
});
