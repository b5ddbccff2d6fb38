import { describe, expect, it } from 'vitest';
import { flowWarnings, isOneTimeEvent } from './warnings';

const doc = {
  name: 'Orders',
  settings: {
    exitConditions: [{ kind: 'event_count', event: 'refund.issued', op: 'at_least', count: 1 }],
  },
  nodes: [
    {
      id: 'start',
      kind: 'trigger.event',
      config: { event: 'order.complete', entryKey: 'orderId' },
    },
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

  it('says an event trigger lets each contact in once, ever, naming the settings that change it', () => {
    // A journey built from scratch: "Each contact once, ever" and no "One journey per".
    const scratch = {
      ...doc,
      settings: {},
      nodes: doc.nodes.map((n) =>
        n.id === 'start' ? { ...n, config: { event: 'order.completed' } } : n,
      ),
    };
    expect(flowWarnings(scratch, { eventKnown: () => true })).toEqual([
      {
        nodeId: 'start',
        field: 'config.entryKey',
        message:
          'Each contact goes through this journey once, ever: their next "order.completed" starts nothing. Choose “One journey per” (such as orderId) to start one for each, or let contacts in again under “Who can enter”, unless once ever is meant',
      },
    ]);
    // One run per order, or contacts let in again, or a signup form (Relance's own event): nothing.
    const keyed = { ...scratch, nodes: doc.nodes };
    const again = { ...scratch, settings: { entryPolicy: { kind: 'after_exit' } } };
    const form = {
      ...scratch,
      nodes: doc.nodes.map((n) =>
        n.id === 'start' ? { ...n, config: { event: 'form.submitted' } } : n,
      ),
    };
    for (const meant of [keyed, again, form]) {
      expect(flowWarnings(meant, { eventKnown: () => true })).toEqual([]);
    }
  });

  it.each([
    ['trigger.segment_entered', 'enter'],
    ['trigger.segment_exited', 'leave'],
  ])(
    'says a %s trigger lets each contact in once, ever, however often they %s it',
    (kind, verb) => {
      // "No click for 15 days → Reactivation": a contact who clicks again leaves Inactive, and
      // falls silent again months later; from scratch, the journey lets them in once, ever.
      const reactivation = (settings: Record<string, unknown>) => ({
        name: 'Reactivation',
        settings,
        nodes: [
          { id: 'start', kind, config: { segmentId: 'inactive' } },
          { id: 'end', kind: 'logic.exit', config: {} },
        ],
        edges: [{ from: 'start', to: 'end' }],
      });
      expect(flowWarnings(reactivation({}), { eventKnown: () => true })).toEqual([
        {
          nodeId: 'start',
          field: 'config.segmentId',
          message: `Each contact goes through this journey once, ever: the next time they ${verb} this segment, nothing starts. Let contacts in again under “Who can enter” (“Again after they left it”), unless once ever is meant`,
        },
      ]);
      for (const entryPolicy of [{ kind: 'after_exit' }, { kind: 'cooldown', duration: '30d' }]) {
        expect(flowWarnings(reactivation({ entryPolicy }), { eventKnown: () => true })).toEqual([]);
      }
    },
  );

  it.each([
    'signed_up',
    'Signed Up',
    'user.signed_up',
    'signup',
    'account_created',
    'user.registered',
  ])('has nothing to say of a journey a signup (%s) starts once per contact, ever', (event) => {
    const welcome = {
      name: 'Welcome',
      nodes: [
        { id: 'start', kind: 'trigger.event', config: { event } },
        { id: 'end', kind: 'logic.exit', config: {} },
      ],
      edges: [{ from: 'start', to: 'end' }],
    };
    expect(flowWarnings(welcome, { eventKnown: () => true })).toEqual([]);
  });

  it.each(['order.completed', 'signed_up_for_webinar', 'plan.upgraded'])(
    'still says %s may come again',
    (event) => expect(isOneTimeEvent(event)).toBe(false),
  );

  it('has nothing to say once the events arrived, or about a document that does not parse', () => {
    expect(flowWarnings(doc, { eventKnown: () => true })).toEqual([]);
    expect(flowWarnings({ nodes: 'x' }, { eventKnown: () => false })).toEqual([]);
  });
});
