// Documents for the validation and graph tests, built from one small valid flow.

export type Doc = {
  name?: unknown;
  settings?: Record<string, unknown>;
  nodes: Record<string, unknown>[];
  edges: Record<string, unknown>[];
};

// trigger → wait 3d → send → exit: the smallest useful valid flow.
export function base(): Doc {
  return {
    name: 'Tips',
    nodes: [
      { id: 'start', kind: 'trigger.event', config: { event: 'order.completed' } },
      { id: 'wait', kind: 'wait.delay', config: { duration: '3d' } },
      { id: 'send', kind: 'action.send_email', config: { templateId: 'tpl_tips' } },
      { id: 'end', kind: 'logic.exit', config: {} },
    ],
    edges: [
      { from: 'start', to: 'wait' },
      { from: 'wait', to: 'send' },
      { from: 'send', to: 'end' },
    ],
  };
}

export function withNode(id: string, changes: Record<string, unknown>): Doc {
  const doc = base();
  doc.nodes = doc.nodes.map((n) => (n.id === id ? { ...n, ...changes } : n));
  return doc;
}

// Replaces the send step by `node`, wired in between `wait` and `end` through `ports`.
export function between(node: Record<string, unknown>, ports: string[]): Doc {
  const doc = base();
  doc.nodes = [...doc.nodes.filter((n) => n.id !== 'send'), node];
  doc.edges = [
    { from: 'start', to: 'wait' },
    { from: 'wait', to: node.id },
    ...ports.map((port) => ({ from: node.id, port, to: 'end' })),
  ];
  return doc;
}

export function withEdges(doc: Doc, ...edges: Record<string, unknown>[]): Doc {
  return { ...doc, edges: [...doc.edges, ...edges] };
}

export const condition = { kind: 'tag', op: 'has', tag: 'vip' };
