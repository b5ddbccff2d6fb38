import { describe, expect, it } from 'vitest';
import { FlowNode } from './document';
import { groupOf, NODE_KINDS } from './kinds';
import { createNode, definitionOf, nodeRegistry, portLabelOf, portsOf } from './registry';

// Kinds whose new node is complete as dropped; the others wait for the marketer's choice.
const COMPLETE_BY_DEFAULT = new Set([
  'trigger.manual',
  'wait.delay',
  'wait.until',
  'logic.split',
  'logic.exit',
  'action.score',
]);

describe('nodeRegistry', () => {
  it('defines every kind exactly once', () => {
    expect(Object.keys(nodeRegistry)).toEqual([...NODE_KINDS]);
  });

  it.each([...NODE_KINDS])('%s: kind, group and label agree', (kind) => {
    const definition = definitionOf(kind);
    expect(definition.kind).toBe(kind);
    expect(definition.group).toBe(groupOf(kind));
    expect(definition.label.length).toBeGreaterThan(0);
  });

  it('calls the lists step by the word its picker uses (“+ New list…”), everywhere', () => {
    // Only lists (static segments) can be changed by a step: a rule-based segment keeps itself.
    expect(definitionOf('action.segment').label).toBe('Change lists');
    const empty = FlowNode.safeParse({ id: 'n', kind: 'action.segment', config: {} });
    expect(empty.error?.issues[0]?.message).toBe(
      'Choose a list to add the contact to or remove them from',
    );
    const both = FlowNode.safeParse({
      id: 'n',
      kind: 'action.segment',
      config: { add: ['seg_a'], remove: ['seg_a'] },
    });
    expect(both.error?.issues[0]?.message).toBe(
      'A list cannot be both added to and removed from in one step',
    );
  });

  it.each([...NODE_KINDS])('%s: a new node is complete or asks for input', (kind) => {
    const node = createNode(kind, 'n1', { x: 10, y: 20 });
    expect(node).toMatchObject({ id: 'n1', kind, position: { x: 10, y: 20 } });
    expect(FlowNode.safeParse(node).success).toBe(COMPLETE_BY_DEFAULT.has(kind));
  });

  it('gives every new node its own config', () => {
    const a = createNode('logic.split', 'a');
    const b = createNode('logic.split', 'b');
    expect(a.config).not.toBe(b.config);
    expect(a.config).toEqual(b.config);
  });
});

describe('portsOf', () => {
  it.each([
    ['trigger.event', {}, ['out']],
    ['wait.event', {}, ['event', 'timeout']],
    ['wait.condition', {}, ['met', 'timeout']],
    ['logic.condition', {}, ['yes', 'no']],
    ['logic.switch', { cases: [{ id: 'a' }, { id: 'b' }, {}] }, ['a', 'b', 'else']],
    ['logic.switch', undefined, ['else']],
    ['logic.split', { branches: [{ id: 'x' }, { id: 'x' }, { id: 'y' }] }, ['x', 'y']],
    ['logic.goal', { onMet: 'continue' }, ['out']],
    ['logic.goal', {}, []],
    ['logic.exit', {}, []],
    ['action.notify', {}, ['out']],
    ['unknown.kind', {}, []],
  ])('%s %j → %j', (kind, config, ports) => {
    expect(portsOf({ kind, config })).toEqual(ports);
  });

  it.each([
    ['wait.event', {}, 'timeout', 'timed out'],
    ['logic.condition', {}, 'yes', 'yes'],
    ['logic.switch', { cases: [{ id: 'a', label: 'Book lovers' }] }, 'a', 'Book lovers'],
    ['logic.switch', { cases: [{ id: 'a' }] }, 'else', 'otherwise'],
    ['logic.split', { branches: [{ id: 'h', label: 'Holdout' }] }, 'h', 'Holdout'],
  ])('%s labels port %s', (kind, config, port, label) => {
    expect(portLabelOf({ kind, config }, port)).toBe(label);
  });
});
