import { describe, expect, it } from 'vitest';
import { draftOf } from './convert';
import { createEditorStore } from './store';

function editor() {
  const store = createEditorStore();
  store.getState().setName('Reactivation');
  return store;
}

describe('editor store', () => {
  it('builds a flow from an empty canvas and validates it live', () => {
    const store = editor();
    const s = () => store.getState();
    expect(s().problems.map((p) => p.message)).toContain(
      'A flow starts with exactly one trigger: add one',
    );

    const trigger = s().addNode('trigger.segment_entered', { position: { x: 0, y: 0 } })!;
    const send = s().addNode('action.send_email', { after: { nodeId: trigger, port: 'out' } })!;
    const exit = s().addNode('logic.exit', { after: { nodeId: send, port: 'out' } })!;
    expect(draftOf(s()).edges).toEqual([
      { from: trigger, port: 'out', to: send },
      { from: send, port: 'out', to: exit },
    ]);
    // Inserted after: laid out below its parent.
    const y = (id: string) => s().nodes.find((n) => n.id === id)!.position.y;
    expect(y(send)).toBeGreaterThan(y(trigger));
    expect(y(exit)).toBeGreaterThan(y(send));

    expect(
      s()
        .problemsByNode.get(send)
        ?.map((p) => p.message),
    ).toContain('This email step has no template');
    s().updateConfig(trigger, { segmentId: 'seg_inactive' });
    s().updateConfig(send, { templateId: 'tpl_win_back' });
    expect(s().problems).toEqual([]);
    expect(s().problemsByNode.size).toBe(0);
  });

  it('inserts a node dropped on an edge between its two ends', () => {
    const store = editor();
    const s = () => store.getState();
    const a = s().addNode('trigger.manual', { position: { x: 0, y: 0 } })!;
    const b = s().addNode('logic.exit', { after: { nodeId: a, port: 'out' } })!;
    const wait = s().addNode('wait.delay', { edgeId: `${a}:out` })!;
    expect(draftOf(s()).edges).toEqual([
      { from: a, port: 'out', to: wait },
      { from: wait, port: 'out', to: b },
    ]);
    expect(s().nodes.find((n) => n.id === wait)?.selected).toBe(true);
  });

  it('connects one edge per port and refuses self-loops', () => {
    const store = editor();
    const s = () => store.getState();
    const wait = s().addNode('wait.event', { position: { x: 0, y: 0 } })!;
    const a = s().addNode('logic.exit', { position: { x: 0, y: 200 } })!;
    const b = s().addNode('logic.exit', { position: { x: 300, y: 200 } })!;
    const link = (target: string, port: string) =>
      s().onConnect({ source: wait, sourceHandle: port, target, targetHandle: null });
    link(a, 'event');
    link(b, 'event');
    link(a, 'timeout');
    link(wait, 'timeout');
    expect(draftOf(s()).edges).toEqual([
      { from: wait, port: 'event', to: b },
      { from: wait, port: 'timeout', to: a },
    ]);
    expect(s().edges.map((e) => e.id)).toEqual([`${wait}:event`, `${wait}:timeout`]);
  });

  it('undoes and redoes structure, config and name changes', () => {
    const store = editor();
    const s = () => store.getState();
    const wait = s().addNode('wait.delay', { position: { x: 0, y: 0 } })!;
    s().updateConfig(wait, { duration: '3d' }, 'duration');
    s().updateConfig(wait, { duration: '3d' }, 'duration');
    s().removeSelected();
    expect(s().nodes).toHaveLength(0);
    s().undo();
    expect(s().nodes[0]!.data.config).toEqual({ duration: '3d' });
    s().undo();
    expect(s().nodes[0]!.data.config).toEqual({ duration: '1d' });
    s().undo();
    expect(s().nodes).toHaveLength(0);
    s().undo();
    expect(s().name).toBe('');
    s().redo();
    s().redo();
    s().redo();
    expect(s().nodes[0]!.data.config).toEqual({ duration: '3d' });
  });

  it('makes one undo step of a whole drag', () => {
    const store = editor();
    const s = () => store.getState();
    const id = s().addNode('wait.delay', { position: { x: 0, y: 0 } })!;
    const steps = s().history.past.length;
    const before = s().revision;
    for (const x of [10, 20, 30]) {
      s().onNodesChange([{ type: 'position', id, position: { x, y: 0 }, dragging: true }]);
    }
    s().onNodesChange([{ type: 'position', id, position: { x: 30, y: 0 }, dragging: false }]);
    expect(s().history.past.length).toBe(steps + 1);
    expect(s().revision).toBe(before + 1);
    s().undo();
    expect(s().nodes[0]!.position).toEqual({ x: 0, y: 0 });
  });

  it('moves a dragged step onto an edge, undone with its drag in one step', () => {
    const store = editor();
    const s = () => store.getState();
    const t = s().addNode('trigger.manual', { position: { x: 0, y: 0 } })!;
    const wait = s().addNode('wait.delay', { after: { nodeId: t, port: 'out' } })!;
    const score = s().addNode('action.score', { after: { nodeId: wait, port: 'out' } })!;
    const exit = s().addNode('logic.exit', { after: { nodeId: score, port: 'out' } })!;
    const before = draftOf(s());
    s().onNodesChange([{ type: 'position', id: wait, position: { x: 500, y: 0 }, dragging: true }]);
    s().onNodesChange([
      { type: 'position', id: wait, position: { x: 500, y: 0 }, dragging: false },
    ]);
    expect(s().canDropOnEdge(wait, `${t}:out`)).toBe(false);
    s().dropOnEdge(wait, `${score}:out`);
    expect(draftOf(s()).edges).toEqual([
      { from: t, port: 'out', to: score },
      { from: score, port: 'out', to: wait },
      { from: wait, port: 'out', to: exit },
    ]);
    s().undo();
    expect(draftOf(s())).toEqual(before);
  });

  it('copies and pastes the selection with fresh ids and its inner connections', () => {
    const store = editor();
    const s = () => store.getState();
    const a = s().addNode('wait.delay', { position: { x: 0, y: 0 } })!;
    const b = s().addNode('action.score', { after: { nodeId: a, port: 'out' } })!;
    s().select([a, b]);
    const fragment = s().copySelected()!;
    s().paste(fragment, { x: 1_000, y: 1_000 });
    const draft = draftOf(s());
    expect(draft.nodes.map((n) => n.id)).toEqual([a, b, 'wait_2', 'score_2']);
    expect(draft.edges).toContainEqual({ from: 'wait_2', port: 'out', to: 'score_2' });
    expect(
      s()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual(['wait_2', 'score_2']);
    expect(draft.nodes.find((n) => n.id === 'wait_2')!.position).toEqual({ x: 1_000, y: 1_000 });
  });

  it('drops connections from ports that no longer exist', () => {
    const store = editor();
    const s = () => store.getState();
    const goal = s().addNode('logic.goal', { position: { x: 0, y: 0 } })!;
    s().updateConfig(goal, {
      condition: { kind: 'tag', op: 'has', tag: 'customer' },
      onMet: 'continue',
    });
    const exit = s().addNode('logic.exit', { after: { nodeId: goal, port: 'out' } })!;
    expect(draftOf(s()).edges).toEqual([{ from: goal, port: 'out', to: exit }]);
    s().updateConfig(goal, {
      condition: { kind: 'tag', op: 'has', tag: 'customer' },
      onMet: 'exit',
    });
    expect(draftOf(s()).edges).toEqual([]);
  });

  it('keeps a read-only canvas unchanged', () => {
    const store = editor();
    const s = () => store.getState();
    s().load({ name: 'v1', settings: {}, nodes: [], edges: [] }, { readOnly: true });
    expect(s().addNode('wait.delay', { position: { x: 0, y: 0 } })).toBeNull();
    s().setName('changed');
    expect(s().name).toBe('v1');
  });

  it('checks references once the workspace lists are known', () => {
    const store = editor();
    const s = () => store.getState();
    const t = s().addNode('trigger.segment_entered', { position: { x: 0, y: 0 } })!;
    s().updateConfig(t, { segmentId: 'gone' });
    s().setContext({ segmentExists: (id) => id === 'seg_1' });
    expect(
      s()
        .problemsByNode.get(t)
        ?.map((p) => p.message),
    ).toContain('The segment chosen here was deleted; choose another');
  });

  it('words the edges as the workspace names its events once the context is known', () => {
    const store = editor();
    const s = () => store.getState();
    s().load({
      name: 'Post-purchase',
      settings: {},
      nodes: [
        {
          id: 'wait',
          kind: 'wait.event',
          position: { x: 0, y: 0 },
          config: { event: 'order.completed', timeout: '7d' },
        },
        { id: 'exit', kind: 'logic.exit', position: { x: 0, y: 100 }, config: {} },
      ],
      edges: [{ from: 'wait', port: 'event', to: 'exit' }],
    });
    expect(s().edges[0]?.data?.label).toBe('order.completed happened');
    s().setContext({ orderEvent: 'order.completed' });
    expect(s().edges[0]?.data?.label).toBe('placed an order');
  });
});
