import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import {
  CarryOverByStep,
  CarryOverRules,
  carryOverChoices,
  earlierEntries,
} from './publish-dialog';

// Publishing version 3 of a welcome journey whose version 2 moved 8 entries and left 4 waiting
// for a click on version 1 (version 2 removed that step). Kept, those 4 finish on version 1, not
// on version 2, and the step they wait at is named as version 1 has it, not by its id.

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const clickWait = {
  id: 'click',
  kind: 'wait.event',
  config: { event: 'email.clicked', timeout: '5d' },
};
const delay = { id: 'wait3', kind: 'wait.delay', config: { duration: '2d' } };
const doc = (nodes: { id: string; kind: string; config: unknown }[]) => ({
  name: 'Welcome',
  settings: {},
  nodes,
  edges: [],
});
const versions = [
  { id: 'v2', version: 2, document: doc([delay]) },
  { id: 'v1', version: 1, document: doc([delay, clickWait]) },
];
const earlier = earlierEntries({ v2: 8, v1: 4 }, versions, 'v2');

describe('entries waiting on a version before the live one', () => {
  it('are counted by the version they finish on', () => {
    expect(earlier.map((e) => [e.version, e.waiting])).toEqual([[1, 4]]);
    expect(carryOverChoices({ inFlight: 12, movable: 8 }, 2, earlier).keep).toBe(
      'Let the 12 entries in progress finish on the version each is on: 8 on version 2, 4 on version 1',
    );
    expect(carryOverChoices({ inFlight: 8, movable: 8 }, 2, []).keep).toBe(
      'Let the 8 entries in progress finish on version 2',
    );
  });

  it('wait at a step named as their version has it', () => {
    const html = renderForTest(
      <CarryOverByStep
        byNode={{ wait3: { waiting: 8, movable: 8 }, click: { waiting: 4, movable: 0 } }}
        live={2}
        liveDocument={doc([delay])}
        draftNodes={[delay]}
        earlier={earlier}
        names={{}}
      />,
      { timezone: 'UTC' },
    );
    expect(text(html)).toContain(
      'Wait up to 5 days for the contact to click an email (version 1) 4 continue from this step on their version stay on their version',
    );
    expect(html).not.toContain('Step click');
  });

  it('keep the rules of the version they are on', () => {
    const words = text(
      renderForTest(
        <CarryOverRules
          liveDocument={doc([delay])}
          draft={{ ...doc([delay]), settings: { quietHours: { start: '21:00', end: '09:00' } } }}
          live={2}
          names={{}}
          onEarlier
        />,
        { timezone: 'UTC' },
      ),
    );
    expect(words).toContain(
      'Entries that finish on the version they are on keep that version’s rules.',
    );
  });
});
