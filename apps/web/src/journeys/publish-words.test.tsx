import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { CarryOverByStep, carryOverChoices } from './publish-dialog';

// The publish dialog counts runs, like the live view: a contact in a post-purchase journey for
// two orders is two entries. Its words must say entries, as the live view's do.

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('the publish dialog’s counts', () => {
  it.each([
    [
      { inFlight: 1200, movable: 3 },
      'Let the 1,200 entries in progress finish on version 2',
      'Move the 3 entries waiting at steps that still exist to the new version',
    ],
    [
      { inFlight: 1, movable: 1 },
      'Let the entry in progress finish on version 2',
      'Move the entry waiting at steps that still exist to the new version',
    ],
    [
      { inFlight: 0, movable: 0 },
      'Let entries in progress finish on version 2 (none now)',
      'Move entries waiting at steps that still exist to the new version (none now)',
    ],
  ])('offer to keep or move entries, not contacts (%o)', (counts, keep, move) => {
    expect(carryOverChoices(counts, 2)).toEqual({ keep, move });
  });

  it('by step are entries', () => {
    const html = renderForTest(
      <CarryOverByStep
        byNode={{ wait: { waiting: 4, movable: 4 } }}
        live={1}
        liveDocument={null}
        names={{}}
      />,
      { timezone: 'UTC' },
    );
    expect(html).toContain('aria-label="Entries waiting, by step"');
    expect(html).not.toMatch(/contact/i);
    expect(text(html)).toBe(
      'Waiting at Entries If they finish on their version If they move ' +
        'Step wait (from an earlier version) 4 continue from this step on their version continue from the same step on version 2',
    );
  });
});
