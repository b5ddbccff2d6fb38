import { createNode } from '@relance/flow';
import { describe, expect, it } from 'vitest';
import { draftFromDocument, needsLayout, newNodeId, type Draft } from './draft';
import { appendAfter, freePortOf, insertOnEdge, isFragment, removeNodes } from './graph-edits';

const base: Draft = {
  name: 'x',
  settings: {},
  nodes: [
    createNode('trigger.manual', 't'),
    createNode('wait.event', 'w'),
    createNode('logic.exit', 'e'),
  ] as Draft['nodes'],
  edges: [
    { from: 't', port: 'out', to: 'w' },
    { from: 'w', port: 'event', to: 'e' },
  ],
};

describe('graph edits', () => {
  it('finds the first free port', () => {
    expect(freePortOf(base, 'w')).toBe('timeout');
    expect(freePortOf(base, 't')).toBeNull();
    expect(freePortOf(base, 'e')).toBeNull();
  });

  it('inserts an Exit on an edge without reconnecting past it', () => {
    const exit = createNode('logic.exit', 'x') as Draft['nodes'][number];
    const next = insertOnEdge(base, 'w:event', exit);
    expect(next.edges).toEqual([
      { from: 't', port: 'out', to: 'w' },
      { from: 'w', port: 'event', to: 'x' },
    ]);
  });

  it('appends after a free port, and inserts after a used one', () => {
    const delay = createNode('wait.delay', 'd') as Draft['nodes'][number];
    expect(appendAfter(base, 'w', 'timeout', delay).edges).toContainEqual({
      from: 'w',
      port: 'timeout',
      to: 'd',
    });
    expect(appendAfter(base, 't', 'out', delay).edges).toEqual([
      { from: 'w', port: 'event', to: 'e' },
      { from: 't', port: 'out', to: 'd' },
      { from: 'd', port: 'out', to: 'w' },
    ]);
  });

  it('removes nodes with their edges', () => {
    expect(removeNodes(base, new Set(['w'])).edges).toEqual([]);
  });

  it.each([
    ['send_email', 'action.send_email', []],
    ['trigger_2', 'trigger.event', ['trigger_1']],
    ['wait_1', 'wait.delay', []],
    ['wait_event_1', 'wait.event', []],
  ] as const)('names new nodes readably: %s', (expected, kind, taken) => {
    expect(newNodeId(kind, new Set(taken))).toMatch(new RegExp(`^${expected}`));
  });

  it('reads stored documents, keeping invalid configs and dropping what cannot be drawn', () => {
    const draft = draftFromDocument({
      name: 'Stored',
      nodes: [
        { id: 'a', kind: 'wait.delay', config: { duration: 'soon' } },
        { id: 'b', kind: 'teleport', config: {} },
      ],
      edges: [{ from: 'a', to: 'c' }, { from: 'a' }],
    });
    expect(draft.nodes).toEqual([
      { id: 'a', kind: 'wait.delay', position: { x: 0, y: 0 }, config: { duration: 'soon' } },
    ]);
    expect(draft.edges).toEqual([{ from: 'a', port: 'out', to: 'c' }]);
    expect(needsLayout([...draft.nodes, { ...draft.nodes[0]!, id: 'z' }])).toBe(true);
  });

  it('accepts only fragments of known kinds from the clipboard', () => {
    expect(isFragment({ nodes: [{ id: 'a', kind: 'wait.delay', position: {} }], edges: [] })).toBe(
      true,
    );
    expect(isFragment({ nodes: [{ id: 'a', kind: 'rm -rf', position: {} }], edges: [] })).toBe(
      false,
    );
    expect(isFragment('hello')).toBe(false);
  });
});
