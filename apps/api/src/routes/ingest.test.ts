import { expect, it } from 'vitest';
import { rejectedWords } from './ingest';

it('says how many messages of a batch were rejected and kept, in agreeing words', () => {
  expect(rejectedWords(1, 2)).toBe(
    '1 of 2 messages was rejected (see issues); the other one was stored or ignored',
  );
  expect(rejectedWords(2, 5)).toBe(
    '2 of 5 messages were rejected (see issues); the other 3 were stored or ignored',
  );
  expect(rejectedWords(3, 3)).toBe('3 of 3 messages were rejected (see issues)');
  expect(rejectedWords(1, 1)).toBe('1 of 1 message was rejected (see issues)');
});
