import { describe, expect, it } from 'vitest';
import { compile, FlowInvalidError } from './compile';
import type { FlowProblem } from './issues';
import { validate } from './validate';
import { base, between, condition, withEdges } from './test-docs';

type Expected = Partial<FlowProblem>;

const invalid: [string, unknown, Expected[]][] = [
  [
    'no trigger',
    { ...base(), nodes: base().nodes.slice(1), edges: base().edges.slice(1) },
    [{ message: 'A flow starts with exactly one trigger: add one' }],
  ],
  [
    'two triggers',
    {
      ...base(),
      nodes: [...base().nodes, { id: 'start2', kind: 'trigger.manual', config: {} }],
      edges: [...base().edges, { from: 'start2', to: 'wait' }],
    },
    [{ nodeId: 'start2', message: 'A flow starts with exactly one trigger' }],
  ],
  [
    'nothing after a wait',
    { ...base(), edges: base().edges.filter((e) => e.from !== 'wait') },
    [{ nodeId: 'wait', field: 'ports.out', message: "Nothing follows 'Wait 3 days'" }],
  ],
  [
    'nothing after an email, named by ctx',
    { ...base(), edges: base().edges.filter((e) => e.from !== 'send') },
    [{ nodeId: 'send', field: 'ports.out', message: "Nothing follows 'Send 'tpl_tips''" }],
  ],
  [
    'a condition whose no path is not connected',
    between({ id: 'if', kind: 'logic.condition', config: { condition } }, ['yes']),
    [
      {
        nodeId: 'if',
        field: 'ports.no',
        message: `Nothing follows the "no" path of 'If has tag 'vip''`,
      },
    ],
  ],
  [
    'a wait for an event without its timeout path',
    between({ id: 'we', kind: 'wait.event', config: { event: 'email.clicked', timeout: '7d' } }, [
      'event',
    ]),
    [{ nodeId: 'we', field: 'ports.timeout', message: 'Nothing follows the "timed out" path' }],
  ],
  [
    'a switch case left open, named by its label',
    between(
      {
        id: 'sw',
        kind: 'logic.switch',
        config: { cases: [{ id: 'books', label: 'Book lovers', condition }] },
      },
      ['else'],
    ),
    [{ nodeId: 'sw', field: 'ports.books', message: 'Nothing follows the "Book lovers" path' }],
  ],
  [
    'a goal that continues but leads nowhere',
    {
      ...base(),
      nodes: [
        ...base().nodes,
        { id: 'g', kind: 'logic.goal', config: { condition, onMet: 'continue' } },
      ],
    },
    [{ nodeId: 'g', field: 'ports.out', message: 'Nothing follows' }],
  ],
  [
    'an unreachable step',
    {
      ...base(),
      nodes: [...base().nodes, { id: 'lost', kind: 'action.score', config: { delta: 5 } }],
      edges: [...base().edges, { from: 'lost', to: 'end' }],
    },
    [{ nodeId: 'lost', message: "'Raise score by 5' cannot be reached from the trigger" }],
  ],
  [
    'an edge to a missing step',
    { ...base(), edges: [...base().edges.slice(0, 2), { from: 'send', to: 'ghost' }] },
    [
      {
        field: 'edges.2.to',
        message: 'A connection leads to a step that does not exist ("ghost")',
      },
    ],
  ],
  [
    'an edge from a missing step',
    { ...base(), edges: [...base().edges, { from: 'ghost', to: 'end' }] },
    [{ field: 'edges.3.from', message: 'A connection starts from a step that does not exist' }],
  ],
  [
    'an edge from a port the kind does not have',
    { ...base(), edges: [...base().edges, { from: 'wait', port: 'yes', to: 'end' }] },
    [{ nodeId: 'wait', field: 'ports.yes', message: `'Wait 3 days' has no path called "yes"` }],
  ],
  [
    'an edge out of an exit',
    { ...base(), edges: [...base().edges, { from: 'end', to: 'wait' }] },
    [{ nodeId: 'end', message: "Nothing can follow 'Exit': the run ends there" }],
  ],
  [
    'an edge into the trigger',
    { ...base(), edges: [...base().edges, { from: 'send', to: 'start' }] },
    [{ nodeId: 'start', message: 'Nothing can lead into a trigger' }],
  ],
  [
    'two edges from the same port',
    { ...base(), edges: [...base().edges, { from: 'wait', to: 'end' }] },
    [
      {
        nodeId: 'wait',
        field: 'ports.out',
        message: "'Wait 3 days' leads to more than one next step",
      },
    ],
  ],
  [
    'a loop without a wait',
    {
      ...base(),
      nodes: [...base().nodes, { id: 'tag', kind: 'action.tag', config: { add: ['looped'] } }],
      edges: [
        ...base().edges.slice(0, 2),
        { from: 'send', to: 'tag' },
        { from: 'tag', to: 'send' },
      ],
    },
    [{ nodeId: 'send', message: 'This loop has no wait, so it would run forever' }],
  ],
  [
    'a step that loops onto itself',
    { ...base(), edges: [...base().edges.slice(0, 2), { from: 'send', to: 'send' }] },
    [{ nodeId: 'send', message: 'This loop has no wait, so it would run forever' }],
  ],
  [
    'a loop through the met path of a condition wait',
    withEdges(
      between({ id: 'wc', kind: 'wait.condition', config: { condition, timeout: '1d' } }, [
        'timeout',
      ]),
      { from: 'wc', port: 'met', to: 'wc' },
    ),
    [{ nodeId: 'wc', message: 'This loop has no wait' }],
  ],
  [
    'duplicate node ids',
    {
      ...base(),
      nodes: [...base().nodes, { id: 'wait', kind: 'wait.delay', config: { duration: '1d' } }],
    },
    [{ nodeId: 'wait', message: 'Two steps share the id "wait"' }],
  ],
];

describe('validate: graph rules', () => {
  it.each(invalid)('%s', (_name, doc, expected) => {
    const problems = validate(doc);
    // compile refuses the same document with the same problems.
    expect(() => compile(doc)).toThrow(FlowInvalidError);
    try {
      compile(doc);
    } catch (error) {
      expect((error as FlowInvalidError).errors).toEqual(problems);
    }
    for (const want of expected) {
      expect(problems).toContainEqual(
        expect.objectContaining({
          ...want,
          message: expect.stringContaining(want.message ?? '') as unknown,
        }),
      );
    }
  });
});

describe('validate: reports everything at once', () => {
  it('lists config problems and graph problems of a half-finished draft together', () => {
    const doc = base();
    doc.nodes[2] = { id: 'send', kind: 'action.send_email', config: {} };
    doc.edges = doc.edges.filter((e) => e.from !== 'send');
    const problems = validate(doc);
    expect(problems.map((p) => p.message)).toEqual([
      'This email step has no template',
      "Nothing follows 'Send email': connect the next step, or an Exit to end the flow there",
      "'Exit' cannot be reached from the trigger: connect it or remove it",
    ]);
  });
});
