import { describe, expect, it } from 'vitest';
import { flowWarnings } from './warnings';

const doc = {
  name: 'Orders',
  settings: {
    exitConditions: [{ kind: 'event_count', event: 'refund.issued', op: 'at_least', count: 1 }],
  },
  nodes: [
    { id: 'start', kind: 'trigger.event', config: { event: 'order.complete' } },
    { id: 'click', kind: 'wait.event', config: { event: 'email.clicked', timeout: '3d' } },
    { id: 'end', kind: 'logic.exit', config: {} },
  ],
  edges: [
    { from: 'start', to: 'click' },
    { from: 'click', port: 'event', to: 'end' },
    { from: 'click', port: 'timeout', to: 'end' },
  ],
};

describe('flowWarnings', () => {
  it('names each event never received, at its field; Relance’s own email events are known', () => {
    expect(flowWarnings(doc, { eventKnown: (name) => name === 'order.completed' })).toEqual([
      {
        nodeId: 'start',
        field: 'config.event',
        message:
          'No event called "order.complete" has been received yet: check the spelling, unless it comes from an integration that has not sent one yet',
      },
      {
        field: 'settings.exitConditions.0.event',
        message: expect.stringContaining('No event called "refund.issued"') as unknown,
      },
    ]);
  });

  it('has nothing to say once the events arrived, or about a document that does not parse', () => {
    expect(flowWarnings(doc, { eventKnown: () => true })).toEqual([]);
    expect(flowWarnings({ nodes: 'x' }, { eventKnown: () => false })).toEqual([]);
  });
});
