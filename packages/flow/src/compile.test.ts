import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import type { PlanNode } from './plan';

const DAY = 86_400_000;
const cond = { kind: 'tag', op: 'has', tag: 'vip' } as const;

// A flow with `node` right after a manual trigger and every one of its ports leading to Exit.
function around(node: { id: string; kind: string; config?: unknown }, ports: string[]) {
  return {
    name: 'Round trip',
    nodes: [
      { id: 'start', kind: 'trigger.manual' },
      node,
      // A node without ports ends the run itself.
      ...(ports.length > 0 ? [{ id: 'end', kind: 'logic.exit' }] : []),
    ],
    edges: [
      { from: 'start', to: node.id },
      ...ports.map((port) => ({ from: node.id, port, to: 'end' })),
    ],
  };
}

// A flow whose trigger is `node`, followed by Exit.
function triggeredBy(node: { id: string; kind: string; config?: unknown }) {
  return {
    name: 'Round trip',
    nodes: [node, { id: 'end', kind: 'logic.exit' }],
    edges: [{ from: node.id, to: 'end' }],
  };
}

const end = (ports: string[]) => Object.fromEntries(ports.map((p) => [p, 'end']));

const cases: [string, ReturnType<typeof around>, string, Omit<PlanNode, 'id'>][] = [
  [
    'trigger.event with filter and entry key',
    triggeredBy({
      id: 't',
      kind: 'trigger.event',
      config: {
        event: 'order.completed',
        where: { kind: 'property', property: 'total', op: 'gt', value: 100 },
        entryKey: 'orderId',
      },
    }),
    't',
    {
      kind: 'trigger.event',
      config: {
        event: 'order.completed',
        where: { kind: 'property', property: 'total', op: 'gt', value: 100 },
        entryKey: 'orderId',
      },
      next: { out: 'end' },
    },
  ],
  [
    "trigger.event on a person's open",
    triggeredBy({
      id: 't',
      kind: 'trigger.event',
      config: { event: 'email.opened', humanOnly: true },
    }),
    't',
    {
      kind: 'trigger.event',
      config: {
        event: 'email.opened',
        where: { kind: 'property', property: 'machine', op: 'neq', value: true },
        entryKey: null,
      },
      next: { out: 'end' },
    },
  ],
  [
    'trigger.event with nothing optional',
    triggeredBy({ id: 't', kind: 'trigger.event', config: { event: ' page.viewed ' } }),
    't',
    {
      kind: 'trigger.event',
      config: { event: 'page.viewed', where: null, entryKey: null },
      next: { out: 'end' },
    },
  ],
  [
    'trigger.segment_entered',
    triggeredBy({ id: 't', kind: 'trigger.segment_entered', config: { segmentId: 'seg_1' } }),
    't',
    { kind: 'trigger.segment_entered', config: { segmentId: 'seg_1' }, next: { out: 'end' } },
  ],
  [
    'trigger.segment_exited',
    triggeredBy({ id: 't', kind: 'trigger.segment_exited', config: { segmentId: 'seg_1' } }),
    't',
    { kind: 'trigger.segment_exited', config: { segmentId: 'seg_1' }, next: { out: 'end' } },
  ],
  [
    'trigger.date with defaults',
    triggeredBy({ id: 't', kind: 'trigger.date', config: { property: 'birthday' } }),
    't',
    {
      kind: 'trigger.date',
      config: { property: 'birthday', offsetMs: 0, at: '09:00', repeat: 'yearly' },
      next: { out: 'end' },
    },
  ],
  [
    'trigger.date three days before, once',
    triggeredBy({
      id: 't',
      kind: 'trigger.date',
      config: { property: 'renews_on', offset: '-3d', at: '10:30', repeat: 'once' },
    }),
    't',
    {
      kind: 'trigger.date',
      config: { property: 'renews_on', offsetMs: -3 * DAY, at: '10:30', repeat: 'once' },
      next: { out: 'end' },
    },
  ],
  [
    'trigger.manual without config',
    triggeredBy({ id: 't', kind: 'trigger.manual' }),
    't',
    { kind: 'trigger.manual', config: {}, next: { out: 'end' } },
  ],
  [
    'wait.delay in days',
    around({ id: 'n', kind: 'wait.delay', config: { duration: '3d' } }, ['out']),
    'n',
    { kind: 'wait.delay', config: { durationMs: 3 * DAY }, next: end(['out']) },
  ],
  [
    'wait.delay in ISO 8601',
    around({ id: 'n', kind: 'wait.delay', config: { duration: 'PT90M' } }, ['out']),
    'n',
    { kind: 'wait.delay', config: { durationMs: 90 * 60_000 }, next: end(['out']) },
  ],
  [
    'wait.delay of a month',
    around({ id: 'n', kind: 'wait.delay', config: { duration: '1mo' } }, ['out']),
    'n',
    { kind: 'wait.delay', config: { durationMs: 30 * DAY }, next: end(['out']) },
  ],
  [
    'wait.until every day',
    around({ id: 'n', kind: 'wait.until', config: { time: '09:00' } }, ['out']),
    'n',
    {
      kind: 'wait.until',
      config: { time: '09:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
      next: end(['out']),
    },
  ],
  [
    'wait.until weekdays sorted and deduplicated',
    around(
      { id: 'n', kind: 'wait.until', config: { time: '18:15', weekdays: ['fri', 'mon', 'fri'] } },
      ['out'],
    ),
    'n',
    { kind: 'wait.until', config: { time: '18:15', weekdays: ['mon', 'fri'] }, next: end(['out']) },
  ],
  [
    'wait.event',
    around({ id: 'n', kind: 'wait.event', config: { event: 'email.clicked', timeout: '7d' } }, [
      'event',
      'timeout',
    ]),
    'n',
    {
      kind: 'wait.event',
      config: { event: 'email.clicked', where: null, timeoutMs: 7 * DAY },
      next: end(['event', 'timeout']),
    },
  ],
  [
    "wait.event for a person's click, with the marketer's filter kept",
    around(
      {
        id: 'n',
        kind: 'wait.event',
        config: {
          event: 'email.clicked',
          where: { kind: 'property', property: 'url', op: 'contains', value: 'sale' },
          humanOnly: true,
          timeout: '7d',
        },
      },
      ['event', 'timeout'],
    ),
    'n',
    {
      kind: 'wait.event',
      config: {
        event: 'email.clicked',
        where: {
          kind: 'all',
          conditions: [
            { kind: 'property', property: 'url', op: 'contains', value: 'sale' },
            { kind: 'property', property: 'machine', op: 'neq', value: true },
          ],
        },
        timeoutMs: 7 * DAY,
      },
      next: end(['event', 'timeout']),
    },
  ],
  [
    'wait.condition',
    around({ id: 'n', kind: 'wait.condition', config: { condition: cond, timeout: '2h' } }, [
      'met',
      'timeout',
    ]),
    'n',
    {
      kind: 'wait.condition',
      config: { condition: cond, timeoutMs: 2 * 3_600_000 },
      next: end(['met', 'timeout']),
    },
  ],
  [
    'logic.condition with a defaulted includeNever',
    around(
      {
        id: 'n',
        kind: 'logic.condition',
        config: {
          condition: {
            kind: 'event_last',
            event: 'email.clicked',
            op: 'more_than',
            duration: '15d',
          },
        },
      },
      ['yes', 'no'],
    ),
    'n',
    {
      kind: 'logic.condition',
      config: {
        condition: {
          kind: 'event_last',
          event: 'email.clicked',
          op: 'more_than',
          duration: '15d',
          includeNever: true,
        },
      },
      next: end(['yes', 'no']),
    },
  ],
  [
    'logic.switch keeps case order and adds else',
    around(
      {
        id: 'n',
        kind: 'logic.switch',
        config: {
          cases: [
            { id: 'b', label: 'Books', condition: cond },
            { id: 'a', condition: cond },
          ],
        },
      },
      ['b', 'a', 'else'],
    ),
    'n',
    {
      kind: 'logic.switch',
      config: {
        cases: [
          { id: 'b', label: 'Books', condition: cond },
          { id: 'a', label: null, condition: cond },
        ],
      },
      next: end(['b', 'a', 'else']),
    },
  ],
  [
    'logic.split',
    around(
      {
        id: 'n',
        kind: 'logic.split',
        config: {
          branches: [
            { id: 'a', percent: 90 },
            { id: 'holdout', label: 'Holdout', percent: 10 },
          ],
        },
      },
      ['a', 'holdout'],
    ),
    'n',
    {
      kind: 'logic.split',
      config: {
        branches: [
          { id: 'a', label: null, percent: 90 },
          { id: 'holdout', label: 'Holdout', percent: 10 },
        ],
      },
      next: end(['a', 'holdout']),
    },
  ],
  [
    'logic.goal that continues',
    around({ id: 'n', kind: 'logic.goal', config: { condition: cond, onMet: 'continue' } }, [
      'out',
    ]),
    'n',
    { kind: 'logic.goal', config: { condition: cond, onMet: 'continue' }, next: end(['out']) },
  ],
  [
    'logic.goal that exits by default',
    around({ id: 'n', kind: 'logic.goal', config: { condition: cond } }, []),
    'n',
    { kind: 'logic.goal', config: { condition: cond, onMet: 'exit' }, next: {} },
  ],
  [
    'logic.exit',
    around({ id: 'n', kind: 'logic.exit', config: {} }, []),
    'n',
    { kind: 'logic.exit', config: {}, next: {} },
  ],
  [
    'action.send_email with topic',
    around({ id: 'n', kind: 'action.send_email', config: { templateId: 'tpl', topic: 'news' } }, [
      'out',
    ]),
    'n',
    { kind: 'action.send_email', config: { templateId: 'tpl', topic: 'news' }, next: end(['out']) },
  ],
  [
    'action.send_email without topic',
    around({ id: 'n', kind: 'action.send_email', config: { templateId: 'tpl' } }, ['out']),
    'n',
    { kind: 'action.send_email', config: { templateId: 'tpl', topic: null }, next: end(['out']) },
  ],
  [
    'action.segment move',
    around({ id: 'n', kind: 'action.segment', config: { add: ['b'], remove: ['a'] } }, ['out']),
    'n',
    { kind: 'action.segment', config: { add: ['b'], remove: ['a'] }, next: end(['out']) },
  ],
  [
    'action.segment add only, duplicates dropped',
    around({ id: 'n', kind: 'action.segment', config: { add: ['b', 'b'] } }, ['out']),
    'n',
    { kind: 'action.segment', config: { add: ['b'], remove: [] }, next: end(['out']) },
  ],
  [
    'action.tag',
    around({ id: 'n', kind: 'action.tag', config: { add: ['vip'], remove: ['lead'] } }, ['out']),
    'n',
    { kind: 'action.tag', config: { add: ['vip'], remove: ['lead'] }, next: end(['out']) },
  ],
  [
    'action.set_property with Liquid',
    around(
      {
        id: 'n',
        kind: 'action.set_property',
        config: { property: 'plan', value: '{{ event.plan | default: "free" }}' },
      },
      ['out'],
    ),
    'n',
    {
      kind: 'action.set_property',
      config: { property: 'plan', value: '{{ event.plan | default: "free" }}' },
      next: end(['out']),
    },
  ],
  [
    'action.set_property clearing a value',
    around({ id: 'n', kind: 'action.set_property', config: { property: 'plan', value: null } }, [
      'out',
    ]),
    'n',
    { kind: 'action.set_property', config: { property: 'plan', value: null }, next: end(['out']) },
  ],
  [
    'action.score',
    around({ id: 'n', kind: 'action.score', config: { delta: -5 } }, ['out']),
    'n',
    { kind: 'action.score', config: { delta: -5 }, next: end(['out']) },
  ],
  [
    'action.webhook with defaults',
    around({ id: 'n', kind: 'action.webhook', config: { url: 'https://api.example.com/x' } }, [
      'out',
    ]),
    'n',
    {
      kind: 'action.webhook',
      config: {
        url: 'https://api.example.com/x',
        method: 'POST',
        headers: {},
        body: null,
        timeoutMs: 10_000,
        save: [],
      },
      next: end(['out']),
    },
  ],
  [
    'action.webhook saving response fields',
    around(
      {
        id: 'n',
        kind: 'action.webhook',
        config: {
          url: 'https://enrich.example.com/{{ contact.email }}',
          method: 'GET',
          headers: { Authorization: 'Bearer {{ secrets.enrich }}' },
          timeoutMs: 5000,
          save: [{ path: 'data.company.name', property: 'company' }],
        },
      },
      ['out'],
    ),
    'n',
    {
      kind: 'action.webhook',
      config: {
        url: 'https://enrich.example.com/{{ contact.email }}',
        method: 'GET',
        headers: { Authorization: 'Bearer {{ secrets.enrich }}' },
        body: null,
        timeoutMs: 5000,
        save: [{ path: 'data.company.name', property: 'company' }],
      },
      next: end(['out']),
    },
  ],
  [
    'action.notify',
    around(
      {
        id: 'n',
        kind: 'action.notify',
        config: { to: 'sales@example.com', subject: 'Hot lead {{ contact.email }}' },
      },
      ['out'],
    ),
    'n',
    {
      kind: 'action.notify',
      config: { to: 'sales@example.com', subject: 'Hot lead {{ contact.email }}', body: '' },
      next: end(['out']),
    },
  ],
];

function isDeepFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

describe('compile: document → plan round trip per node kind', () => {
  it.each(cases)('%s', (_name, doc, id, expected) => {
    const plan = compile(doc);
    expect(plan.nodes[id]).toEqual({ id, ...expected });
    expect(plan.v).toBe(1);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(isDeepFrozen(plan)).toBe(true);
  });
});
