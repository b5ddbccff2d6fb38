import { createNode } from '@relance/flow';
import { describe, expect, it } from 'vitest';
import { draftFromDocument, needsLayout, newNodeId, type Draft } from './draft';
import {
  appendAfter,
  canMoveOntoEdge,
  deleteSteps,
  freePortOf,
  insertOnEdge,
  isFragment,
  moveOntoEdge,
} from './graph-edits';

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

  it("removes a branching step with its edges: which branch to keep is the marketer's call", () => {
    expect(deleteSteps(base, new Set(['w'])).edges).toEqual([]);
  });

  const chain: Draft = {
    name: 'x',
    settings: {},
    nodes: [
      createNode('trigger.event', 't'),
      createNode('action.send_email', 'mail_1'),
      createNode('wait.delay', 'wait'),
      createNode('action.send_email', 'mail_2'),
      createNode('logic.exit', 'e'),
    ] as Draft['nodes'],
    edges: [
      { from: 't', port: 'out', to: 'mail_1' },
      { from: 'mail_1', port: 'out', to: 'wait' },
      { from: 'wait', port: 'out', to: 'mail_2' },
      { from: 'mail_2', port: 'out', to: 'e' },
    ],
  };
  const edgesOf = (draft: Draft) => draft.edges.map((e) => `${e.from}->${e.to}`);

  it.each([
    [['wait'], ['t->mail_1', 'mail_1->mail_2', 'mail_2->e']],
    [
      ['mail_1', 'wait'],
      ['t->mail_2', 'mail_2->e'],
    ],
    [
      ['wait', 'mail_1'],
      ['t->mail_2', 'mail_2->e'],
    ],
    [
      ['mail_2', 'e'],
      ['t->mail_1', 'mail_1->wait'],
    ],
    [['t'], ['mail_1->wait', 'wait->mail_2', 'mail_2->e']],
  ])('joins the sequence around deleted steps with one way out (%o)', (ids, edges) => {
    expect(edgesOf(deleteSteps(chain, new Set(ids)))).toEqual(edges);
  });

  it('leaves open a step that looped back through the deleted one', () => {
    const loop: Draft = {
      ...chain,
      edges: [...chain.edges.slice(0, 2), { from: 'wait', port: 'out', to: 'mail_1' }],
    };
    expect(edgesOf(deleteSteps(loop, new Set(['wait'])))).toEqual(['t->mail_1']);
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

  describe('moving a step onto an edge', () => {
    // trigger → a → b → c, and a condition whose "no" path exits.
    const chain: Draft = {
      name: 'chain',
      settings: {},
      nodes: [
        createNode('trigger.manual', 't'),
        createNode('wait.delay', 'a'),
        createNode('action.score', 'b'),
        createNode('logic.condition', 'c'),
        createNode('logic.exit', 'x'),
        createNode('action.tag', 'd'),
      ] as Draft['nodes'],
      edges: [
        { from: 't', port: 'out', to: 'a' },
        { from: 'a', port: 'out', to: 'b' },
        { from: 'b', port: 'out', to: 'c' },
        { from: 'c', port: 'no', to: 'x' },
        { from: 'c', port: 'yes', to: 'd' },
      ],
    };

    it('joins its old neighbours and splices it into the edge', () => {
      const next = moveOntoEdge(chain, 'a', 'c:yes');
      expect(new Set(next.edges.map((e) => `${e.from}:${e.port}->${e.to}`))).toEqual(
        new Set(['t:out->b', 'b:out->c', 'c:no->x', 'c:yes->a', 'a:out->d']),
      );
      expect(next.nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'c', 'd', 't', 'x']);
    });

    it('leaves its predecessor open when it was the end of a path', () => {
      const next = moveOntoEdge(chain, 'd', 'a:out');
      expect(next.edges).toContainEqual({ from: 'a', port: 'out', to: 'd' });
      expect(next.edges).toContainEqual({ from: 'd', port: 'out', to: 'b' });
      expect(next.edges.some((e) => e.from === 'c' && e.port === 'yes')).toBe(false);
    });

    it('moves it one place down the same path', () => {
      const next = moveOntoEdge(chain, 'a', 'b:out');
      expect(new Set(next.edges.map((e) => `${e.from}:${e.port}->${e.to}`))).toEqual(
        new Set(['t:out->b', 'b:out->a', 'a:out->c', 'c:no->x', 'c:yes->d']),
      );
    });

    it.each([
      ['a trigger', 't', 'b:out'],
      ['a branch', 'c', 'a:out'],
      ['an Exit', 'x', 'a:out'],
      ['onto its own way in', 'a', 't:out'],
      ['onto its own way out', 'a', 'a:out'],
      ['onto an edge that does not exist', 'a', 'nowhere:out'],
    ])('refuses %s', (_name, nodeId, edgeId) => {
      expect(canMoveOntoEdge(chain, nodeId, edgeId)).toBe(false);
      expect(moveOntoEdge(chain, nodeId, edgeId)).toBe(chain);
    });
  });
});
