import { describe, expect, it } from 'vitest';
import { carriedOverWords } from './version-words';

// Once version 2 of a live welcome journey is published, the banner says what became of the
// twelve entries already inside, as the dialog offered: kept on version 1, or moved.

describe('what publishing did to the entries in progress', () => {
  it.each([
    [
      { carryOver: 'keep', inFlight: 12, moved: 0 },
      'The 12 entries already in progress finish on version 1.',
    ],
    [
      { carryOver: 'move', inFlight: 12, moved: 8 },
      '8 entries waiting at steps it kept move to it; the other 4 entries finish on version 1.',
    ],
    [
      { carryOver: 'move', inFlight: 1, moved: 1 },
      'The entry in progress moves to it, from the step it waits at.',
    ],
    [
      { carryOver: 'move', inFlight: 2, moved: 1 },
      '1 entry waiting at a step it kept moves to it; the other entry finishes on version 1.',
    ],
    [
      { carryOver: 'move', inFlight: 3, moved: 0 },
      'The 3 entries already in progress finish on version 1.',
    ],
    [
      { carryOver: 'keep', inFlight: 1, moved: 0 },
      'The entry already in progress finishes on version 1.',
    ],
    [{ carryOver: 'keep', inFlight: 0, moved: 0 }, null],
  ] as const)('%o', (outcome, words) => {
    expect(carriedOverWords({ previous: 1, ...outcome })).toBe(words);
  });

  it('says which version each entry kept finishes on when an earlier publish kept some', () => {
    const earlier = [{ version: 1, waiting: 4 }];
    expect(
      carriedOverWords({ previous: 2, carryOver: 'keep', inFlight: 12, moved: 0, earlier }),
    ).toBe(
      'The 12 entries already in progress finish on the version each is on: 8 on version 2, 4 on version 1.',
    );
    expect(
      carriedOverWords({ previous: 2, carryOver: 'move', inFlight: 12, moved: 8, earlier }),
    ).toBe(
      '8 entries waiting at steps it kept move to it; the other 4 entries finish on the version they are on.',
    );
  });

  it('says nothing for a first version', () => {
    expect(
      carriedOverWords({ previous: null, carryOver: 'keep', inFlight: 0, moved: 0 }),
    ).toBeNull();
  });
});
