import { describe, expect, it } from 'vitest';
import { validate } from './validate';

describe('validate: references checked through ctx', () => {
  const doc = {
    name: 'Refs',
    settings: { exitConditions: [{ kind: 'segment', op: 'in', segmentId: 'seg_gone' }] },
    nodes: [
      { id: 'start', kind: 'trigger.segment_entered', config: { segmentId: 'seg_gone' } },
      { id: 'move', kind: 'action.segment', config: { add: ['seg_ok'], remove: ['seg_gone'] } },
      { id: 'send', kind: 'action.send_email', config: { templateId: 'tpl_gone' } },
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
  };

  it('reports every missing segment, template and unknown event at its field', () => {
    expect(validate(doc, ctx)).toEqual([
      {
        nodeId: 'start',
        field: 'config.segmentId',
        message: 'The segment "seg_gone" does not exist any more; choose another',
      },
      {
        nodeId: 'move',
        field: 'config.remove.0',
        message: 'The segment "seg_gone" does not exist any more; choose another',
      },
      {
        nodeId: 'send',
        field: 'config.templateId',
        message: 'The email template "tpl_gone" does not exist any more; choose another',
      },
      {
        nodeId: 'if',
        field: 'config.condition.conditions.0.templateId',
        message: 'The email template "tpl_gone" does not exist any more; choose another',
      },
      {
        nodeId: 'if',
        field: 'config.condition.conditions.1.event',
        message: 'No event called "order.complete" has been received yet; check the spelling',
      },
      {
        field: 'settings.exitConditions.0.segmentId',
        message: 'The segment "seg_gone" does not exist any more; choose another',
      },
    ]);
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
