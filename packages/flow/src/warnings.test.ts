import { describe, expect, it } from 'vitest';
import { flowWarnings } from './warnings';

const doc = {
  name: 'Orders',
  settings: {
    exitConditions: [{ kind: 'event_count', event: 'refund.issued', op: 'at_least', count: 1 }],
  },
  nodes: [
    { id: 'start', kind: 'trigger.event', config: { event: 'order.complete' } },
    {
      id: 'click',
      kind: 'wait.event',
      config: { event: 'email.clicked', humanOnly: true, timeout: '3d' },
    },
    { id: 'end', kind: 'logic.exit', config: {} },
  ],
  edges: [
    { from: 'start', to: 'click' },
    { from: 'click', port: 'event', to: 'end' },
    { from: 'click', port: 'timeout', to: 'end' },
  ],
};

/** `doc` with its wait for a click configured as `config`. */
const withClick = (config: Record<string, unknown>) => ({
  ...doc,
  nodes: doc.nodes.map((n) =>
    n.id === 'click' ? { ...n, config: { event: 'email.clicked', ...config } } : n,
  ),
});

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

  it('says a wait for a click counting machines ends when a link scanner clicks', () => {
    expect(flowWarnings(withClick({ timeout: '3d' }), { eventKnown: () => true })).toEqual([
      {
        nodeId: 'click',
        field: 'config.humanOnly',
        message:
          'Link scanners click every link of an email as it is delivered, and would end this wait: turn on “Only count clicks by a person” unless you mean to count them',
      },
    ]);
    const opened = { ...doc, nodes: [{ ...doc.nodes[0]!, config: { event: 'email.opened' } }] };
    expect(flowWarnings(opened, { eventKnown: () => true })).toEqual([
      expect.objectContaining({
        nodeId: 'start',
        message: expect.stringContaining('Apple Mail’s privacy protection') as unknown,
      }),
    ]);
  });

  it('has nothing to say once the events arrived, or about a document that does not parse', () => {
    expect(flowWarnings(doc, { eventKnown: () => true })).toEqual([]);
    expect(flowWarnings({ nodes: 'x' }, { eventKnown: () => false })).toEqual([]);
  });
});
