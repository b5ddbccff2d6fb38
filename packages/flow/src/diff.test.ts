import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { diffDocuments, mapNodeIds, type DiffableDocument } from './diff';
import { reactivationFlow } from './templates';

const v1: DiffableDocument = {
  name: 'Welcome',
  settings: { entryPolicy: { kind: 'once' } },
  nodes: [
    { id: 'start', kind: 'trigger.manual', config: {} },
    { id: 'wait', kind: 'wait.delay', config: { duration: '3d' } },
    { id: 'send', kind: 'action.send_email', config: { templateId: 'a', topic: 'news' } },
    { id: 'end', kind: 'logic.exit', config: {} },
  ],
  edges: [
    { from: 'start', to: 'wait' },
    { from: 'wait', to: 'send' },
    { from: 'send', port: 'out', to: 'end' },
  ],
};

function edit(changes: Partial<DiffableDocument>): DiffableDocument {
  return { ...structuredClone(v1), ...changes };
}

describe('diffDocuments', () => {
  it.each<[string, DiffableDocument, Partial<ReturnType<typeof diffDocuments>>]>([
    [
      'nothing changed (key order and positions ignored)',
      edit({
        nodes: v1.nodes.map((n) => ({ ...n, position: { x: 9, y: 9 } })),
        edges: v1.edges!.map((e) => ({ to: e.to, from: e.from, port: e.port ?? 'out' })),
      }),
      { same: true, added: [], removed: [], changed: [] },
    ],
    [
      'a changed duration',
      edit({
        nodes: v1.nodes.map((n) => (n.id === 'wait' ? { ...n, config: { duration: '5d' } } : n)),
      }),
      { same: false, changed: [{ id: 'wait', kind: 'wait.delay', fields: ['duration'] }] },
    ],
    [
      'a removed optional field',
      edit({
        nodes: v1.nodes.map((n) => (n.id === 'send' ? { ...n, config: { templateId: 'a' } } : n)),
      }),
      { changed: [{ id: 'send', kind: 'action.send_email', fields: ['topic'] }] },
    ],
    [
      'a node that changed kind',
      edit({
        nodes: v1.nodes.map((n) =>
          n.id === 'wait' ? { id: 'wait', kind: 'wait.until', config: { time: '09:00' } } : n,
        ),
      }),
      {
        changed: [
          {
            id: 'wait',
            kind: 'wait.until',
            previousKind: 'wait.delay',
            fields: ['duration', 'time'],
          },
        ],
      },
    ],
    [
      'an added step and its connections',
      edit({
        nodes: [...v1.nodes, { id: 'tag', kind: 'action.tag', config: { add: ['x'] } }],
        edges: [
          { from: 'start', to: 'wait' },
          { from: 'wait', to: 'send' },
          { from: 'send', to: 'tag' },
          { from: 'tag', to: 'end' },
        ],
      }),
      {
        added: [{ id: 'tag', kind: 'action.tag' }],
        removed: [],
        edgesAdded: [
          { from: 'send', port: 'out', to: 'tag' },
          { from: 'tag', port: 'out', to: 'end' },
        ],
        edgesRemoved: [{ from: 'send', port: 'out', to: 'end' }],
      },
    ],
    [
      'a removed step',
      edit({
        nodes: v1.nodes.filter((n) => n.id !== 'wait'),
        edges: [
          { from: 'start', to: 'send' },
          { from: 'send', to: 'end' },
        ],
      }),
      { removed: [{ id: 'wait', kind: 'wait.delay' }], added: [] },
    ],
    ['a new name', edit({ name: 'Welcome v2' }), { nameChanged: true, settingsChanged: false }],
    [
      'new settings',
      edit({ settings: { entryPolicy: { kind: 'after_exit' } } }),
      { settingsChanged: true, settingsFields: ['entryPolicy'], same: false },
    ],
  ])('%s', (_name, v2, expected) => {
    expect(diffDocuments(v1, v2)).toMatchObject(expected);
  });
});

describe('mapNodeIds', () => {
  it('keeps nodes with the same id and kind, between documents', () => {
    const v2 = edit({
      nodes: [
        { id: 'start', kind: 'trigger.manual', config: {} },
        { id: 'wait', kind: 'wait.until', config: { time: '09:00' } },
        { id: 'send', kind: 'action.send_email', config: { templateId: 'b' } },
        { id: 'end2', kind: 'logic.exit', config: {} },
      ],
    });
    expect(mapNodeIds(v1, v2)).toEqual({ start: 'start', send: 'send' });
  });

  it('works on published plans', () => {
    const options = {
      segments: { inactive: 'i', reactivation: 'r', active: 'a', dormant: 'd' },
      templates: { winBack: 'w' },
    };
    const before = compile(reactivationFlow(options));
    const after = compile({
      ...reactivationFlow(options),
      nodes: reactivationFlow(options).nodes.map((n) =>
        n.id === 'wait_click' ? { ...n, id: 'wait_click_v2' } : n,
      ),
      edges: reactivationFlow(options).edges.map((e) => ({
        ...e,
        from: e.from === 'wait_click' ? 'wait_click_v2' : e.from,
        to: e.to === 'wait_click' ? 'wait_click_v2' : e.to,
      })),
    });
    const map = mapNodeIds(before, after);
    expect(map.wait_click).toBeUndefined();
    expect(map.send_win_back).toBe('send_win_back');
    expect(Object.keys(map)).toHaveLength(Object.keys(before.nodes).length - 1);
  });
});
