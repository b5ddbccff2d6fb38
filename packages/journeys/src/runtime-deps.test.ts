import { describe, expect, it } from 'vitest';
import { messageOf } from './runtime-deps';

describe('messageOf', () => {
  const refused = new Error('14 UNAVAILABLE: No connection established\nstack-ish detail');
  it.each([
    ['a plain error', new Error('boom\nat somewhere'), 'boom'],
    [
      'an error and its cause',
      new Error('Failed to start Workflow', { cause: refused }),
      'Failed to start Workflow: 14 UNAVAILABLE: No connection established',
    ],
    ['a thrown string', 'nope', 'nope'],
    [
      'no more than four levels',
      new Error('a', {
        cause: new Error('b', {
          cause: new Error('c', { cause: new Error('d', { cause: new Error('e') }) }),
        }),
      }),
      'a: b: c: d',
    ],
  ])('%s', (_, error, expected) => {
    expect(messageOf(error)).toBe(expected);
  });
});
