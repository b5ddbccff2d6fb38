import { describe, expect, it } from 'vitest';
import type { DiffableDocument } from '@relance/flow';
import { renderForTest } from '../lib/render-for-test';
import { CarryOverRules } from './publish-dialog';

// A marketer improving a live welcome journey adds "leave when they unsubscribe", a goal, quiet
// hours and a frequency cap, with twelve people inside. Before choosing to keep or move them,
// the dialog says that those who finish on version 1 go on without the new rules.

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const v1 = {
  name: 'Welcome',
  settings: {},
  nodes: [{ id: 'trigger', kind: 'trigger.event', config: { event: 'signed_up' } }],
  edges: [],
};
const goal = {
  id: 'goal',
  kind: 'logic.goal',
  config: {
    condition: {
      kind: 'all',
      conditions: [
        {
          kind: 'event_count',
          event: 'order.completed',
          op: 'at_least',
          count: 1,
          sinceEntry: true,
        },
      ],
    },
    onMet: 'exit',
  },
};
const render = (after: DiffableDocument) =>
  text(
    renderForTest(
      <CarryOverRules
        liveDocument={v1}
        draft={after}
        live={1}
        names={{ orderEvent: 'order.completed' }}
      />,
      {
        timezone: 'UTC',
      },
    ),
  );

describe('the new rules, for the entries in progress', () => {
  it('names each new rule and who it binds', () => {
    const words = render({
      ...v1,
      settings: {
        exitConditions: [
          {
            kind: 'any',
            conditions: [
              { kind: 'email', action: 'unsubscribed', op: 'at_least', count: 1, sinceEntry: true },
            ],
          },
        ],
        quietHours: { start: '21:00', end: '08:00' },
        frequencyCap: { count: 3, per: '7d' },
      },
      nodes: [...v1.nodes, goal],
    });
    expect(words).toMatch(
      /^Version 2 changes the journey’s rules: leaving the journey as soon as unsubscribed from any email since they entered the journey;/,
    );
    expect(words).toContain('quiet hours (emails held 21:00–08:00)');
    expect(words).toContain('the frequency cap (at most 3 emails per week)');
    expect(words).toContain(
      'and the goal “Goal: placed an order since they entered the journey, then exit”.',
    );
    expect(words).toContain(
      'They apply to the entries you move, from their next step, and to everyone who enters from now on. Entries that finish on version 1 keep version 1’s rules.',
    );
  });

  it('says nothing when the rules did not change', () => {
    expect(render({ ...v1, name: 'Welcome series' })).toBe('');
  });
});
