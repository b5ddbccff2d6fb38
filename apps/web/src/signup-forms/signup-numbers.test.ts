import { describe, expect, it } from 'vitest';
import { signupSummary } from './signup-numbers';

describe('signupSummary', () => {
  it.each([
    [{ total: 1, people: 1, confirmed: 0 }, false, '1 person signed up; the latest:'],
    [
      { total: 3, people: 2, confirmed: 0 },
      false,
      '2 people signed up (3 signups: some sent the form more than once); the latest:',
    ],
    [
      { total: 3, people: 2, confirmed: 1 },
      true,
      '2 people signed up (3 signups: some sent the form more than once); 1 confirmed their address, 1 not yet. The latest:',
    ],
    [
      { total: 2, people: 2, confirmed: 0 },
      true,
      '2 people signed up; 0 confirmed their address, 2 not yet. The latest:',
    ],
    [
      { total: 1, people: 1, confirmed: 1 },
      true,
      '1 person signed up; they confirmed their address. The latest:',
    ],
    [
      { total: 4, people: 4, confirmed: 4 },
      false,
      '4 people signed up; all confirmed their address. The latest:',
    ],
  ])('%o with double opt-in %s reads %s', (numbers, doubleOptIn, words) => {
    expect(signupSummary(numbers, doubleOptIn)).toBe(words);
  });
});
