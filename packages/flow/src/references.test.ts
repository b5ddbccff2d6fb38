import { describe, expect, it } from 'vitest';
import { validate } from './validate';

describe('validate: references checked through ctx', () => {
  const doc = {
    name: 'Refs',
    settings: { exitConditions: [{ kind: 'segment', op: 'not_in', segmentId: 'seg_gone' }] },
    nodes: [
      { id: 'start', kind: 'trigger.segment_entered', config: { segmentId: 'seg_gone' } },
      { id: 'move', kind: 'action.segment', config: { add: ['seg_ok'], remove: ['seg_gone'] } },
      {
        id: 'send',
        kind: 'action.send_email',
        config: { templateId: 'tpl_gone', topic: 'ofers' },
      },
      {
        id: 'if',
        kind: 'logic.condition',
        config: {
          condition: {
            kind: 'any',
            conditions: [
              { kind: 'email', action: 'opened', op: 'at_least', count: 1, templateId: 'tpl_gone' },
              { kind: 'event_count', event: 'order.complete', op: 'at_least', count: 1 },
            ],
          },
        },
      },
      { id: 'end', kind: 'logic.exit' },
    ],
    edges: [
      { from: 'start', to: 'move' },
      { from: 'move', to: 'send' },
      { from: 'send', to: 'if' },
      { from: 'if', port: 'yes', to: 'end' },
      { from: 'if', port: 'no', to: 'end' },
    ],
  };
  const ctx = {
    segmentExists: (id: string) => id === 'seg_ok',
    templateExists: (id: string) => id !== 'tpl_gone',
    eventKnown: (name: string) => name !== 'order.complete',
    topicExists: (key: string) => key === 'offers',
  };

  it('reports every missing segment, template, topic and unknown event at its field, without ids', () => {
    expect(validate(doc, ctx)).toEqual([
      {
        nodeId: 'start',
        field: 'config.segmentId',
        message: 'The segment chosen here was deleted; choose another',
      },
      {
        nodeId: 'move',
        field: 'config.remove.0',
        message: 'The segment chosen here was deleted; choose another',
      },
      {
        nodeId: 'send',
        field: 'config.templateId',
        message: 'The email template chosen here was deleted; choose another',
      },
      {
        nodeId: 'send',
        field: 'config.topic',
        message:
          'There is no topic "ofers" (it may have been deleted); choose one of your topics, or no topic',
      },
      {
        nodeId: 'if',
        field: 'config.condition.conditions.0.templateId',
        message: 'The email template chosen here was deleted; choose another',
      },
      {
        nodeId: 'if',
        field: 'config.condition.conditions.1.event',
        message: 'No event called "order.complete" has been received yet; check the spelling',
      },
      {
        field: 'settings.exitConditions.0.segmentId',
        message: 'The segment chosen here was deleted; choose another',
      },
    ]);
  });

  it('accepts an existing topic, and a step without one', () => {
    const withTopic = (topic?: string) => ({
      ...doc,
      nodes: doc.nodes.map((n) =>
        n.id === 'send'
          ? { ...n, config: { templateId: 'tpl_ok', ...(topic ? { topic } : {}) } }
          : n,
      ),
    });
    const topics = { topicExists: (key: string) => key === 'offers' };
    expect(validate(withTopic('offers'), topics)).toEqual([]);
    expect(validate(withTopic(), topics)).toEqual([]);
  });

  it('names an archived template and says it is archived, not deleted', () => {
    expect(
      validate(doc, {
        templateExists: (id) => id !== 'tpl_gone',
        archivedTemplateName: (id) => (id === 'tpl_gone' ? 'Spring sale' : undefined),
      }),
    ).toContainEqual({
      nodeId: 'send',
      field: 'config.templateId',
      message: 'The email template "Spring sale" is archived; choose another',
    });
  });

  it('refuses adding contacts to, or removing them from, a dynamic segment', () => {
    const kinds: Record<string, 'static' | 'dynamic'> = { seg_ok: 'dynamic', seg_gone: 'static' };
    expect(
      validate(doc, {
        segmentKind: (id) => kinds[id],
        segmentName: (id) => (id === 'seg_ok' ? 'Engaged' : undefined),
      }),
    ).toEqual([
      {
        nodeId: 'move',
        field: 'config.add.0',
        message:
          'The segment "Engaged" is dynamic: its rule decides who is in it, so a step cannot add or remove contacts; choose a static segment',
      },
    ]);
    // A dynamic segment in a trigger or a condition is fine: it is only read there.
    const read = { ...doc, nodes: doc.nodes.filter((n) => n.id !== 'move') };
    read.edges = [
      { from: 'start', to: 'send' },
      ...doc.edges.filter((e) => e.from !== 'start' && e.from !== 'move'),
    ];
    expect(validate(read, { segmentKind: () => 'dynamic' })).toEqual([]);
  });

  it('skips reference checks without callbacks', () => {
    expect(validate(doc)).toEqual([]);
  });

  it('uses ctx names in sentences', () => {
    const open = { ...doc, edges: doc.edges.filter((e) => e.from !== 'send') };
    expect(validate(open, { templateName: () => 'Your order tips' })).toContainEqual({
      nodeId: 'send',
      field: 'ports.out',
      message:
        "Nothing follows 'Send 'Your order tips'': connect the next step, or an Exit to end the flow there",
    });
  });
});

describe('validate: an archived template is read by conditions, not sent', () => {
  const opened = (templateId: string) => ({
    kind: 'email',
    action: 'opened',
    op: 'at_least',
    count: 1,
    templateId,
  });
  /** manual → `node` (every port to the exit) → exit, with `exitConditions` in the settings. */
  const around = (
    node: Record<string, unknown>,
    ports: string[],
    exitConditions: unknown[] = [],
  ) => ({
    name: 'Spring follow-up',
    settings: { exitConditions },
    nodes: [
      { id: 'start', kind: 'trigger.manual', config: {} },
      { id: 'step', ...node },
      { id: 'end', kind: 'logic.exit' },
    ],
    edges: [
      { from: 'start', to: 'step' },
      ...ports.map((port) => ({ from: 'step', port, to: 'end' })),
    ],
  });
  const uses = (templateId: string) =>
    [
      [
        'an If/else',
        around({ kind: 'logic.condition', config: { condition: opened(templateId) } }, [
          'yes',
          'no',
        ]),
        'config.condition.templateId',
      ],
      [
        'a switch',
        around(
          {
            kind: 'logic.switch',
            config: {
              cases: [{ id: 'opened', condition: { kind: 'not', condition: opened(templateId) } }],
            },
          },
          ['opened', 'else'],
        ),
        'config.cases.0.condition.condition.templateId',
      ],
      [
        'a wait until',
        around(
          { kind: 'wait.condition', config: { condition: opened(templateId), timeout: '3d' } },
          ['met', 'timeout'],
        ),
        'config.condition.templateId',
      ],
      [
        'a goal',
        around(
          { kind: 'logic.goal', config: { condition: opened(templateId), onMet: 'continue' } },
          ['out'],
        ),
        'config.condition.templateId',
      ],
    ] as const;
  const ctx = {
    templateExists: (id: string) => id === 'tpl_spring' || id === 'tpl_live',
    archivedTemplateName: (id: string) => (id === 'tpl_spring' ? 'Spring sale' : undefined),
  };

  it.each(uses('tpl_spring'))('accepts %s on an archived template’s emails', (_use, doc) => {
    expect(validate(doc, ctx)).toEqual([]);
  });

  it('accepts an exit condition on an archived template’s emails', () => {
    const doc = around(
      { kind: 'action.tag', config: { add: ['spring'] } },
      ['out'],
      [opened('tpl_spring')],
    );
    expect(validate(doc, ctx)).toEqual([]);
  });

  it.each(uses('tpl_gone'))(
    'refuses %s on a deleted template, at its field',
    (_use, doc, field) => {
      expect(validate(doc, ctx)).toEqual([
        {
          nodeId: 'step',
          field,
          message: 'The email template chosen here was deleted; choose another',
        },
      ]);
    },
  );

  it('refuses sending an archived template, naming it, and a deleted one', () => {
    const send = (templateId: string) =>
      validate(around({ kind: 'action.send_email', config: { templateId } }, ['out']), ctx);
    expect(send('tpl_spring')).toEqual([
      {
        nodeId: 'step',
        field: 'config.templateId',
        message: 'The email template "Spring sale" is archived; choose another',
      },
    ]);
    expect(send('tpl_gone')).toEqual([
      {
        nodeId: 'step',
        field: 'config.templateId',
        message: 'The email template chosen here was deleted; choose another',
      },
    ]);
    expect(send('tpl_live')).toEqual([]);
  });
});
