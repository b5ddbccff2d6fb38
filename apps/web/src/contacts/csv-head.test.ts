import { describe, expect, it } from 'vitest';
import { defaultTarget, mappingOf, readCsvHead, splitRecord } from './csv-head';

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
    const targets = headers.map(defaultTarget);
    targets[2] = { kind: 'property', property: 'signed_up', type: 'date' };
    expect(mappingOf(headers, targets)).toEqual({
      'E-mail': '$email',
      'First name': 'first_name',
      'Signed up': { property: 'signed_up', type: 'date' },
      '': '',
    });
  });
});
