import { describe, expect, it } from 'vitest';
import { renderForTest } from '../../lib/render-for-test';
import type { RunCounts } from '../journey-api';
import { JourneyTotals } from './live-node-panel';
import { inFlightOnStop, pausedWords } from './live-page';
import { NodeStatsBadge } from './node-stats-badge';

// The live view's numbers count entries (runs), not people: a contact who buys twice is in a
// post-purchase journey twice. The words must say so.

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('the live view’s counts', () => {
  it('on a step’s card are entries, and say what they leave out on hover', () => {
    const html = renderForTest(
      <NodeStatsBadge stats={{ entered: 5, waiting: 2, completed: 2, failed: 1 }} />,
      { timezone: 'UTC' },
    );
    expect(html).toContain('aria-label="Entries at this step"');
    expect(html).not.toMatch(/contacts at this step/i);
    expect(text(html)).toBe('entries 5 waiting 2 done 2 failed 1');
    expect(html).toContain(
      'a contact who enters the journey again, or comes back to this step, counts again',
    );
    expect(html).toContain(
      'Entries of contacts deleted since still count; one that was waiting counts as done.',
    );
    expect(html).not.toMatch(/not counted/);
  });

  it('for the whole journey are entries in progress, finished and failed', () => {
    const runs: RunCounts = {
      active: 3,
      held: 1,
      completed: 2,
      exited: 1,
      converted: 1,
      failed: 1,
      cancelled: 1,
    };
    const html = renderForTest(<JourneyTotals runs={runs} />, { timezone: 'UTC' });
    expect(text(html)).toBe('Entries in progress 4 Entries finished 5 Entries failed 1');
  });

  it('of a journey being stopped are entries, not contacts', () => {
    expect(inFlightOnStop(null)).toBe('Nobody is going through it now.');
    expect(inFlightOnStop(0)).toBe('Nobody is going through it now.');
    expect(inFlightOnStop(1)).toMatch(
      /^The entry in progress ends at once: no further step runs for its contact/,
    );
    expect(inFlightOnStop(1200)).toMatch(
      /^The 1,200 entries in progress end at once: no further step runs for their contacts/,
    );
  });
});

// A marketer pausing a live welcome journey with twelve people inside is told, while it is
// paused, what becomes of them: held before their next email, not dropped nor sent on.
describe('a paused journey’s banner', () => {
  it.each([
    [
      12,
      'Paused: nobody new enters. The 12 entries in progress stop before their next email or other action; a wait they are in goes on counting, and they still leave if they meet an exit condition or the goal. Resume to let them go on: what they were held before then happens.',
    ],
    [
      0,
      'Paused: nobody new enters. Nobody is going through it now. Resume to let contacts enter again.',
    ],
  ])('with %i entries in progress', (inFlight, words) => {
    expect(pausedWords(inFlight)).toBe(words);
  });
});
