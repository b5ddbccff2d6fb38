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

  it('say what a wait made longer does to the entries moved to it', () => {
    // Carol waits 2 minutes after her thank-you email; version 2 waits 4. Moved, she waits 4
    // minutes from when she began, not 4 more (run-waits.ts: the deadline is from her entry).
    const wait = (duration: string) => ({ id: 'wait', kind: 'wait.delay', config: { duration } });
    const liveDocument = { name: 'Post-purchase', settings: {}, nodes: [wait('2m')], edges: [] };
    const render = (draftNodes: ReturnType<typeof wait>[]) =>
      text(
        renderForTest(
          <CarryOverByStep
            byNode={{ wait: { waiting: 1, movable: 1 } }}
            live={1}
            liveDocument={liveDocument}
            draftNodes={draftNodes}
            names={{}}
          />,
          { timezone: 'UTC' },
        ),
      );
    expect(render([wait('4m')])).toContain(
      'continue from the same step on version 2, now “Wait 4 minutes”, timed from when they began waiting',
    );
    expect(render([wait('2m')])).toMatch(/continue from the same step on version 2$/);
  });
});
