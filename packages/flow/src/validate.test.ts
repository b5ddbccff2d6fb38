import { describe, expect, it } from 'vitest';
import { compile, FlowInvalidError } from './compile';
import type { FlowProblem } from './issues';
import { validate } from './validate';
import { base, between, condition, withEdges, withNode, type Doc } from './test-docs';

const valid: [string, Doc][] = [
  ['the base flow', base()],
  [
    'explicit out ports and ISO 8601 durations',
    {
      ...withNode('wait', { config: { duration: 'P3D' } }),
      edges: base().edges.map((e) => ({ ...e, port: 'out' })),
    },
  ],
  ['a flow without settings', { ...base(), settings: undefined }],
  [
    'full settings',
    {
      ...base(),
      settings: {
        entryPolicy: { kind: 'cooldown', duration: '30d' },
        exitConditions: [{ kind: 'tag', op: 'has', tag: 'unsubscribed' }],
        goalWindow: 'P14D',
        quietHours: { start: '21:00', end: '08:00' },
        frequencyCap: { count: 2, per: '1w' },
      },
    },
  ],
  [
    'a condition with both paths ending',
    between({ id: 'if', kind: 'logic.condition', config: { condition } }, ['yes', 'no']),
  ],
  [
    'a switch with cases and else',
    between(
      {
        id: 'sw',
        kind: 'logic.switch',
        config: {
          cases: [
            { id: 'books', label: 'Books', condition },
            { id: 'music', condition: { kind: 'score', op: 'gt', value: 3 } },
          ],
        },
      },
      ['books', 'music', 'else'],
    ),
  ],
  [
    'a 45/45/10 split with a holdout',
    between(
      {
        id: 'ab',
        kind: 'logic.split',
        config: {
          branches: [
            { id: 'a', percent: 45 },
            { id: 'b', percent: 45 },
            { id: 'holdout', percent: 10 },
          ],
        },
      },
      ['a', 'b', 'holdout'],
    ),
  ],
  [
    'a goal that exits needs no connection at all',
    { ...base(), nodes: [...base().nodes, { id: 'g', kind: 'logic.goal', config: { condition } }] },
  ],
  [
    'a loop through a delay that never ends (a recurring email)',
    {
      ...base(),
      nodes: base().nodes.filter((n) => n.id !== 'end'),
      edges: [...base().edges.slice(0, 2), { from: 'send', to: 'wait' }],
    },
  ],
  [
    'a loop through a wait for an event (each event resumes it once)',
    withEdges(
      between({ id: 'we', kind: 'wait.event', config: { event: 'page.viewed', timeout: '1d' } }, [
        'timeout',
      ]),
      { from: 'we', port: 'event', to: 'we' },
    ),
  ],
];

describe('validate: valid documents', () => {
  it.each(valid)('%s has no problems', (_name, doc) => {
    expect(validate(doc)).toEqual([]);
  });
});

type Expected = Partial<FlowProblem>;

const invalid: [string, unknown, Expected[]][] = [
  [
    'not an object',
    'flow',
    [{ message: 'A flow is a JSON object with a name, settings, nodes and edges' }],
  ],
  ['no name', { ...base(), name: '  ' }, [{ field: 'name', message: 'Give the flow a name' }]],
  [
    'nodes missing',
    { name: 'x' },
    [{ field: 'nodes', message: 'A flow lists its steps under "nodes"' }],
  ],
  [
    'a trigger leaving out machines on an event no machine makes',
    withNode('start', { config: { event: 'order.completed', humanOnly: true } }),
    [
      {
        nodeId: 'start',
        field: 'config.humanOnly',
        message: 'Only email.opened and email.clicked can leave out machines',
      },
    ],
  ],
  [
    'an email step without template',
    withNode('send', { config: {} }),
    [{ nodeId: 'send', field: 'config.templateId', message: 'This email step has no template' }],
  ],
  [
    'an email step with an empty template',
    withNode('send', { config: { templateId: ' ' } }),
    [{ nodeId: 'send', field: 'config.templateId', message: 'This email step has no template' }],
  ],
  [
    'a malformed duration',
    withNode('wait', { config: { duration: '3 days' } }),
    [{ nodeId: 'wait', field: 'config.duration', message: 'Use a positive duration such as 90s' }],
  ],
  [
    'a zero duration',
    withNode('wait', { config: { duration: '0d' } }),
    [{ nodeId: 'wait', field: 'config.duration', message: 'Use a positive duration' }],
  ],
  [
    'a missing duration',
    withNode('wait', { config: {} }),
    [
      {
        nodeId: 'wait',
        field: 'config.duration',
        message: 'Enter how long, such as 3 days (3d), 2 hours (2h) or 1 week (1w)',
      },
    ],
  ],
  [
    'an empty duration, said once',
    withNode('wait', { config: { duration: '' } }),
    [
      {
        nodeId: 'wait',
        field: 'config.duration',
        message: 'Enter how long, such as 3 days (3d), 2 hours (2h) or 1 week (1w)',
      },
    ],
  ],
  [
    'an unknown kind',
    withNode('send', { kind: 'action.fax' }),
    [{ nodeId: 'send', field: 'kind', message: 'There is no step type "action.fax"' }],
  ],
  [
    'a misspelt config field',
    withNode('send', { config: { templateId: 't', tempalte: 'x' } }),
    [{ nodeId: 'send', field: 'config', message: 'Unknown field "tempalte"' }],
  ],
  [
    'split percentages that do not add up',
    between(
      {
        id: 'ab',
        kind: 'logic.split',
        config: {
          branches: [
            { id: 'a', percent: 50 },
            { id: 'b', percent: 40 },
          ],
        },
      },
      ['a', 'b'],
    ),
    [
      {
        nodeId: 'ab',
        field: 'config.branches',
        message: 'The split percentages add up to 90%; they must add up to 100%',
      },
    ],
  ],
  [
    'a split with one branch',
    between({ id: 'ab', kind: 'logic.split', config: { branches: [{ id: 'a', percent: 100 }] } }, [
      'a',
    ]),
    [{ nodeId: 'ab', field: 'config.branches', message: 'A split needs at least two branches' }],
  ],
  [
    'duplicate branch ids',
    between(
      {
        id: 'ab',
        kind: 'logic.split',
        config: {
          branches: [
            { id: 'a', percent: 50 },
            { id: 'a', percent: 50 },
          ],
        },
      },
      ['a'],
    ),
    [{ nodeId: 'ab', field: 'config.branches.1.id', message: 'Two branches are called "a"' }],
  ],
  [
    'duplicate case ids',
    between(
      {
        id: 'sw',
        kind: 'logic.switch',
        config: {
          cases: [
            { id: 'x', condition },
            { id: 'x', condition },
          ],
        },
      },
      ['x', 'else'],
    ),
    [{ nodeId: 'sw', field: 'config.cases.1.id', message: 'Two cases are called "x"' }],
  ],
  [
    'a case called else',
    between({ id: 'sw', kind: 'logic.switch', config: { cases: [{ id: 'else', condition }] } }, [
      'else',
    ]),
    [{ nodeId: 'sw', field: 'config.cases.0.id', message: '"else" is kept for the path' }],
  ],
  [
    'a condition of an unknown type',
    between({ id: 'if', kind: 'logic.condition', config: { condition: { kind: 'mood' } } }, [
      'yes',
      'no',
    ]),
    [{ nodeId: 'if', field: 'config.condition', message: 'There is no condition type "mood"' }],
  ],
  [
    'a condition with a missing tag',
    between(
      { id: 'if', kind: 'logic.condition', config: { condition: { kind: 'tag', op: 'has' } } },
      ['yes', 'no'],
    ),
    [{ nodeId: 'if', field: 'config.condition.tag', message: 'Choose a tag' }],
  ],
  [
    'a nested condition with a wrong comparison',
    between(
      {
        id: 'if',
        kind: 'logic.condition',
        config: {
          condition: {
            kind: 'all',
            conditions: [{ kind: 'property', property: 'plan', op: 'like', value: 'pro' }],
          },
        },
      },
      ['yes', 'no'],
    ),
    [
      {
        nodeId: 'if',
        field: 'config.condition.conditions.0.op',
        message: '"like" is not allowed here',
      },
    ],
  ],
  [
    'an empty condition group',
    between(
      { id: 'if', kind: 'logic.condition', config: { condition: { kind: 'any', conditions: [] } } },
      ['yes', 'no'],
    ),
    [{ nodeId: 'if', field: 'config.condition.conditions', message: 'Add at least one condition' }],
  ],
  [
    'a segment step that changes nothing',
    withNode('send', { kind: 'action.segment', config: {} }),
    [{ nodeId: 'send', field: 'config.add', message: 'Choose a list to add the contact to' }],
  ],
  [
    'a zero score change',
    withNode('send', { kind: 'action.score', config: { delta: 0 } }),
    [{ nodeId: 'send', field: 'config.delta', message: 'A score change of 0 does nothing' }],
  ],
  [
    'a webhook to a non-http address',
    withNode('send', { kind: 'action.webhook', config: { url: 'ftp://files' } }),
    [
      {
        nodeId: 'send',
        field: 'config.url',
        message: 'The address must start with http:// or https://',
      },
    ],
  ],
  [
    'a GET webhook with a body',
    withNode('send', {
      kind: 'action.webhook',
      config: { url: 'https://x.test', method: 'GET', body: '{}' },
    }),
    [{ nodeId: 'send', field: 'config.body', message: 'A GET request cannot have a body' }],
  ],
  [
    'a notify step with a bad address and broken Liquid',
    withNode('send', {
      kind: 'action.notify',
      config: { to: 'sales', subject: 'Lead {{ contact.email' },
    }),
    [
      { nodeId: 'send', field: 'config.to', message: 'Enter a valid email address' },
      { nodeId: 'send', field: 'config.subject', message: 'A "{{" is never closed with "}}"' },
    ],
  ],
  [
    'a wait until with a bad time',
    withNode('wait', { kind: 'wait.until', config: { time: '9am' } }),
    [{ nodeId: 'wait', field: 'config.time', message: 'Enter a time as HH:MM' }],
  ],
  [
    'a date trigger with an offset beyond a year',
    withNode('start', { kind: 'trigger.date', config: { property: 'birthday', offset: '-400d' } }),
    [{ nodeId: 'start', field: 'config.offset', message: 'Use an offset such as -3d' }],
  ],
  [
    'quiet hours that start and end together',
    { ...base(), settings: { quietHours: { start: '22:00', end: '22:00' } } },
    [{ field: 'settings.quietHours.end', message: 'Quiet hours start and end at the same time' }],
  ],
  [
    'a cooldown without a duration',
    { ...base(), settings: { entryPolicy: { kind: 'cooldown' } } },
    [{ field: 'settings.entryPolicy.duration', message: 'Enter how long' }],
  ],
  [
    'an unknown entry policy',
    { ...base(), settings: { entryPolicy: { kind: 'always' } } },
    [{ field: 'settings.entryPolicy.kind', message: '"always" is not allowed here' }],
  ],
];

describe('validate: invalid documents', () => {
  it('says an empty duration once, not a second time as a malformed one', () => {
    const problems = validate(withNode('wait', { config: { duration: '' } }));
    expect(problems.filter((p) => p.field === 'config.duration')).toHaveLength(1);
  });

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
