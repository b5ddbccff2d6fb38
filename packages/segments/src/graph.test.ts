import { describe, expect, it } from 'vitest';
import type { Condition } from '@relance/flow';
import { anniversaryMonthDays } from './crossings';
import { findCycle, orderByDependencies, SegmentCycleError } from './graph';
import { SqlParams } from './params';
import { readsOf } from './reads';

const inSegment = (...ids: string[]): Condition => ({
  kind: 'any',
  conditions: ids.map((segmentId) => ({ kind: 'segment', op: 'in', segmentId })),
});

describe('segment graph', () => {
  it.each([
    ['no references', [{ id: 'a', rule: null }], null],
    [
      'a chain',
      [
        { id: 'a', rule: inSegment('b') },
        { id: 'b', rule: inSegment('c') },
        { id: 'c', rule: null },
      ],
      null,
    ],
    ['a self reference', [{ id: 'a', rule: inSegment('a') }], ['a', 'a']],
    [
      'a two-cycle',
      [
        { id: 'a', rule: inSegment('b') },
        { id: 'b', rule: inSegment('a') },
      ],
      ['a', 'b', 'a'],
    ],
    [
      'a cycle behind a negation',
      [
        { id: 'a', rule: { kind: 'not', condition: inSegment('b') } as Condition },
        { id: 'b', rule: inSegment('c') },
        { id: 'c', rule: inSegment('x', 'a') },
      ],
      ['a', 'b', 'c', 'a'],
    ],
    ['references to unknown segments', [{ id: 'a', rule: inSegment('zzz') }], null],
    [
      'case-insensitive ids',
      [
        { id: 'A', rule: inSegment('b') },
        { id: 'B', rule: inSegment('a') },
      ],
      ['a', 'b', 'a'],
    ],
  ] as const)('%s', (_name, nodes, cycle) => {
    expect(findCycle(nodes as never)).toEqual(cycle);
  });

  it('orders dependencies first', () => {
    const order = orderByDependencies([
      { id: 'top', rule: inSegment('mid', 'leaf') },
      { id: 'mid', rule: inSegment('leaf') },
      { id: 'leaf', rule: null },
    ]).map((n) => n.id);
    expect(order).toEqual(['leaf', 'mid', 'top']);
  });

  it('refuses to order a cycle', () => {
    expect(() =>
      orderByDependencies([
        { id: 'a', rule: inSegment('b') },
        { id: 'b', rule: inSegment('a') },
      ]),
    ).toThrow(SegmentCycleError);
  });
});

describe('anniversary month-days', () => {
  it.each([
    ['a one-minute tick', '2025-06-15T12:00:00Z', '2025-06-15T12:01:00Z', 0, [613, 614, 615, 616]],
    ['days ahead', '2025-06-15T12:00:00Z', '2025-06-15T12:01:00Z', 3, [616, 617, 618, 619]],
    [
      '28 February brings 29 February',
      '2025-02-27T00:00:00Z',
      '2025-02-27T00:01:00Z',
      0,
      [225, 226, 227, 228, 229],
    ],
    [
      'over the year end',
      '2025-12-31T23:59:00Z',
      '2026-01-01T00:00:00Z',
      0,
      [101, 102, 1229, 1230, 1231],
    ],
  ])('%s', (_name, from, to, days, expected) => {
    expect(anniversaryMonthDays(new Date(from), new Date(to), days)).toEqual(expected);
  });

  it('gives up on windows longer than a year (every day qualifies)', () => {
    expect(
      anniversaryMonthDays(new Date('2024-01-01T00:00:00Z'), new Date('2025-06-01T00:00:00Z'), 0),
    ).toBeNull();
  });
});

describe('parameters', () => {
  it('types every placeholder and keeps values out of the text', () => {
    const params = new SqlParams();
    expect(params.number(1.5)).toBe('$1::numeric');
    expect(params.json(['a', "b'c"])).toBe('$2::text::jsonb');
    expect(params.textArray(['a', 'b"c\\d'])).toBe('$3::text[]');
    expect(params.values).toEqual(['1.5', '["a","b\'c"]', ['a', 'b"c\\d']]);
  });

  it('refuses numbers SQL cannot hold', () => {
    expect(() => new SqlParams().number(Number.NaN)).toThrow(RangeError);
    expect(() => new SqlParams().integer(1.5)).toThrow(RangeError);
  });
});

describe('what a rule reads', () => {
  it('collects events, contact fields and segments through all/any/not', () => {
    const reads = readsOf({
      kind: 'all',
      conditions: [
        { kind: 'email', action: 'clicked', op: 'at_least', count: 1 },
        {
          kind: 'not',
          condition: {
            kind: 'event_last',
            event: 'order.completed',
            op: 'within',
            duration: '7d',
            includeNever: true,
          },
        },
        {
          kind: 'any',
          conditions: [
            { kind: 'tag', op: 'has', tag: 'vip' },
            { kind: 'segment', op: 'in', segmentId: 'ABC' },
          ],
        },
      ],
    });
    expect([...reads.events].sort()).toEqual(['email.clicked', 'order.completed']);
    expect(reads.contact).toBe(true);
    expect([...reads.segments]).toEqual(['abc']);
  });

  it('an event-only rule reads no contact field', () => {
    expect(readsOf({ kind: 'event_count', event: 'x', op: 'exactly', count: 0 }).contact).toBe(
      false,
    );
  });
});
