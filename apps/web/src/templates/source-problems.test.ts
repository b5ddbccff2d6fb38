import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { diagnosticsFor, sourceProblemsOf } from './source-problems';

const doc = Text.of(['<mjml>', '  <mj-text>{{ contact.name </mj-text>', '</mjml>']);

describe('template source problems', () => {
  it('keeps the body issues that have a line, once each', () => {
    expect(
      sourceProblemsOf([
        { field: 'body', message: 'Unclosed output', line: 2 },
        { field: 'body', message: 'Unclosed output', line: 2 },
        { field: 'subject', message: 'Unknown filter', line: 1 },
        { field: 'body', message: 'Write the body' },
      ]),
    ).toEqual([{ line: 2, message: 'Unclosed output' }]);
  });

  it.each([
    [2, 7, 44],
    [1, 0, 6],
    // Checked before the last lines were deleted: shown on what is now the last line.
    [9, 45, 52],
  ])('underlines the whole of line %i', (line, from, to) => {
    expect(diagnosticsFor(doc, [{ line, message: 'Unclosed output' }])).toEqual([
      { from, to, severity: 'error', message: `Line ${line}: Unclosed output` },
    ]);
  });
});
