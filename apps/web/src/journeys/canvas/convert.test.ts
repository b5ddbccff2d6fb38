import {
  leadNurturingFlow,
  postPurchaseFlow,
  reactivationFlow,
  welcomeByInterestFlow,
  type FlowDocument,
} from '@relance/flow';
import { describe, expect, it } from 'vitest';
import { branchLabelOf, draftOf, toCanvasEdges, toCanvasNodes } from './convert';
import { draftFromDocument } from './draft';

const flows: [string, FlowDocument][] = [
  ['post-purchase', postPurchaseFlow({ templates: { tips: 't1', crossSell: 't2', review: 't3' } })],
  [
    'reactivation',
    reactivationFlow({
      segments: { inactive: 's1', reactivation: 's2', active: 's3', dormant: 's4' },
      templates: { winBack: 't1' },
    }),
  ],
  [
    'welcome',
    welcomeByInterestFlow({
      interests: [{ id: 'shoes', label: 'Shoes', value: 'shoes', templates: ['t1', 't2'] }],
      fallbackTemplates: ['t3'],
      segments: { nurture: 's1' },
    }),
  ],
  [
    'lead nurturing',
    leadNurturingFlow({ segments: { leads: 's1' }, templates: ['t1', 't2'], salesEmail: 'a@b.co' }),
  ],
];

describe('documents ⇄ canvas elements', () => {
  it.each(flows)('%s survives the round trip unchanged', (_name, document) => {
    const draft = draftFromDocument(document);
    const nodes = toCanvasNodes(draft.nodes);
    const edges = toCanvasEdges(draft.edges, draft.nodes);
    const back = draftOf({ name: draft.name, settings: draft.settings, nodes, edges });
    expect(back).toEqual({
      name: document.name,
      settings: document.settings,
      nodes: document.nodes,
      edges: document.edges,
    });
    expect(edges.every((e) => e.id === `${e.source}:${e.sourceHandle}`)).toBe(true);
  });

  it('keeps untouched nodes and edges as the same objects', () => {
    const draft = draftFromDocument(flows[1]![1]);
    const nodes = toCanvasNodes(draft.nodes);
    const edges = toCanvasEdges(draft.edges, draft.nodes);
    const moved = draft.nodes.map((n, i) => (i === 0 ? { ...n, position: { x: 5, y: 5 } } : n));
    const next = toCanvasNodes(moved, nodes);
    expect(next[0]).not.toBe(nodes[0]);
    expect(next.slice(1).every((n, i) => n === nodes[i + 1])).toBe(true);
    expect(toCanvasEdges(draft.edges, draft.nodes, edges).every((e, i) => e === edges[i])).toBe(
      true,
    );
  });

  it.each([
    ['a plain next step', { id: 'a', kind: 'wait.delay', config: { duration: '1d' } }, 'out', null],
    ['a condition', { id: 'a', kind: 'logic.condition', config: {} }, 'no', 'no'],
    ['a wait for an event', { id: 'a', kind: 'wait.event', config: {} }, 'timeout', 'timed out'],
    [
      'a split branch with its share',
      {
        id: 'a',
        kind: 'logic.split',
        config: { branches: [{ id: 'a', label: 'A', percent: 90 }] },
      },
      'a',
      '90% A',
    ],
    [
      'a switch case by its name',
      { id: 'a', kind: 'logic.switch', config: { cases: [{ id: 'c1', label: 'Shoes' }] } },
      'c1',
      'Shoes',
    ],
  ] as const)('labels %s', (_name, node, port, label) => {
    expect(branchLabelOf({ ...node, position: { x: 0, y: 0 } }, port)).toBe(label);
  });
});
