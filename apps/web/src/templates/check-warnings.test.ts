import { describe, expect, it } from 'vitest';
import { warningLines } from './check-warnings';

describe('the editor check’s warnings', () => {
  it('names each warning’s field, once each', () => {
    const typo = {
      field: 'body',
      line: 3,
      message: '{{ contact.firstname }} is not a variable any contact has',
    };
    expect(
      warningLines([
        {
          field: 'subject',
          message: 'The subject is empty for a contact without these properties',
        },
        typo,
        typo,
      ]),
    ).toEqual([
      'Subject: The subject is empty for a contact without these properties',
      'Body, line 3: {{ contact.firstname }} is not a variable any contact has',
    ]);
    expect(warningLines(undefined)).toEqual([]);
  });
});
