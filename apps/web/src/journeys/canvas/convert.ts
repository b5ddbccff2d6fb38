import type { Edge, Node } from '@xyflow/react';
import { portLabelOf, portsOf, type DescribeContext, type NodeKind } from '@relance/flow';
import { edgeIdOf, type Draft, type DraftEdge, type DraftNode } from './draft';

// Drafts ⇄ React Flow elements. Unchanged nodes keep their object identity, so React Flow only
// re-renders the nodes an edit touched.

export interface CanvasNodeData extends Record<string, unknown> {
  kind: NodeKind;
  config: Record<string, unknown>;
}
export type CanvasNode = Node<CanvasNodeData, NodeKind>;

export interface CanvasEdgeData extends Record<string, unknown> {
  port: string;
  /** The branch name shown on the edge ("yes", "timed out", "50% A"); null for plain "next". */
  label: string | null;
}
export type CanvasEdge = Edge<CanvasEdgeData, 'branch'>;

export function toCanvasNodes(
  nodes: readonly DraftNode[],
  previous: readonly CanvasNode[] = [],
  selected?: ReadonlySet<string>,
): CanvasNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  return nodes.map((node) => {
    const prev = before.get(node.id);
    const isSelected = selected ? selected.has(node.id) : (prev?.selected ?? false);
    if (
      prev &&
      prev.type === node.kind &&
      prev.data.config === node.config &&
      prev.position.x === node.position.x &&
      prev.position.y === node.position.y &&
      (prev.selected ?? false) === isSelected
    ) {
      return prev;
    }
    return {
      ...prev,
      id: node.id,
      type: node.kind,
      position: { ...node.position },
      data: { kind: node.kind, config: node.config },
      selected: isSelected,
    };
  });
}

/** How a branch reads on its edge: only nodes with several ways out name them. */
export function branchLabelOf(
  node: DraftNode | undefined,
  port: string,
  ctx: DescribeContext = {},
): string | null {
  if (!node) return null;
  const ports = portsOf(node);
  if (ports.length < 2 && port === 'out') return null;
  if (node.kind === 'logic.split') {
    const branches = (node.config.branches ?? []) as { id?: unknown; percent?: unknown }[];
    const branch = Array.isArray(branches) ? branches.find((b) => b?.id === port) : undefined;
    const label = portLabelOf(node, port, ctx);
    return typeof branch?.percent === 'number' ? `${branch.percent}% ${label}` : label;
  }
  return portLabelOf(node, port, ctx);
}

/** `ctx` words the edges' labels as the nodes are worded ("placed an order" for the order event). */
export function toCanvasEdges(
  edges: readonly DraftEdge[],
  nodes: readonly DraftNode[],
  previous: readonly CanvasEdge[] = [],
  ctx: DescribeContext = {},
): CanvasEdge[] {
  const before = new Map(previous.map((e) => [e.id, e]));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return edges.map((edge) => {
    const id = edgeIdOf(edge);
    const prev = before.get(id);
    const label = branchLabelOf(byId.get(edge.from), edge.port, ctx);
    if (prev && prev.target === edge.to && prev.data?.label === label) return prev;
    return {
      id,
      type: 'branch',
      source: edge.from,
      sourceHandle: edge.port,
      target: edge.to,
      data: { port: edge.port, label },
      selected: prev?.selected ?? false,
    };
  });
}

export function toDraftNodes(nodes: readonly CanvasNode[]): DraftNode[] {
  return nodes.map((n) => ({
    id: n.id,
    kind: n.data.kind,
    position: { x: n.position.x, y: n.position.y },
    config: n.data.config,
  }));
}

export function toDraftEdges(edges: readonly CanvasEdge[]): DraftEdge[] {
  return edges.map((e) => ({ from: e.source, port: e.data?.port ?? 'out', to: e.target }));
}

/** The document a canvas shows. */
export function draftOf(state: {
  name: string;
  settings: Record<string, unknown>;
  nodes: readonly CanvasNode[];
  edges: readonly CanvasEdge[];
}): Draft {
  return {
    name: state.name,
    settings: state.settings,
    nodes: toDraftNodes(state.nodes),
    edges: toDraftEdges(state.edges),
  };
}
