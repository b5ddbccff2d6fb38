import { describe, expect, it } from 'vitest';
import { conditionProblems, filterProblems } from './condition-problems';

describe('conditionProblems', () => {
  it.each([
    [
      'a complete rule',
      { kind: 'event_last', event: 'email.clicked', op: 'more_than', duration: '15d' },
      [],
    ],
    [
      'an empty group',
      { kind: 'all', conditions: [] },
      [['conditions', 'Add at least one condition']],
    ],
    [
      'a nested leaf without its tag',
      { kind: 'any', conditions: [{ kind: 'tag', op: 'has', tag: '' }] },
      [['conditions.0.tag', 'Choose a tag']],
    ],
    [
      'a bad duration',
      { kind: 'event_count', event: 'order.completed', op: 'at_least', count: 1, within: 'soon' },
      [
        [
          'within',
          'Use a positive duration such as 90s, 15m, 2h, 3d, 1w, 1mo, 1y or ISO 8601 like P3D',
        ],
      ],
    ],
    [
      'a total of no property yet',
      {
        kind: 'event_aggregate',
        event: 'order.completed',
        property: '',
        fn: 'sum',
        op: 'gt',
        value: 0,
        within: '1y',
      },
      [['property', 'Choose a property']],
    ],
    [
      'a property comparison of no property yet',
      { kind: 'property', property: ' ', op: 'eq', value: 'pro' },
      [['property', 'Choose a property']],
    ],
    [
      'a property name that is typed wrong',
      { kind: 'property', property: 'first name', op: 'eq', value: 'Ana' },
      [['property', 'Property names use letters, digits, _ and - (dots for nested fields)']],
    ],
    [
      'opens by a person only',
      { kind: 'email', action: 'opened', op: 'at_least', count: 1, humanOnly: true },
      [],
    ],
    [
      'a person-only count of an action machines do not make',
      {
        kind: 'all',
        conditions: [
          { kind: 'email', action: 'bounced', op: 'at_least', count: 1, humanOnly: true },
        ],
      },
      [
        [
          'conditions.0.humanOnly',
          'Only opens and clicks can leave out machines: turn this off for other actions',
        ],
      ],
    ],
    [
      'no click by a person for 15 days',
      {
        kind: 'event_last',
        event: 'email.clicked',
        op: 'more_than',
        duration: '15d',
        humanOnly: true,
      },
      [],
    ],
    [
      'a person-only "last performed" of an event machines do not make',
      {
        kind: 'event_last',
        event: 'order.completed',
        op: 'within',
        duration: '7d',
        humanOnly: true,
      },
      [
        [
          'humanOnly',
          'Only email.opened and email.clicked can leave out machines: turn this off for other events',
        ],
      ],
    ],
  ])('%s', (_name, condition, expected) => {
    expect(conditionProblems(condition).map((p) => [p.field, p.message])).toEqual(expected);
  });

  it('checks event filters with property comparisons only', () => {
    expect(filterProblems({ kind: 'property', property: 'total', op: 'gt', value: 50 })).toEqual(
      [],
    );
    expect(filterProblems({ kind: 'tag', op: 'has', tag: 'x' }).length).toBeGreaterThan(0);
  });
});
