import dagre from '@dagrejs/dagre';
import type { XY } from './draft';

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
  /** Current top-left corner; the anchor node keeps it so the flow does not jump away. */
  position: XY;
  /** Output ports in display order (left to right), so "yes" stays left of "no". */
  ports: readonly string[];
}

export interface LayoutEdge {
  from: string;
  port: string;
  to: string;
}

export const RANK_GAP = 70;
export const NODE_GAP = 48;

/**
 * Top-to-bottom layered layout (dagre). Returns the new top-left corner of every node,
 * translated so that `anchorId` (usually the trigger) stays where it was.
 */
export function layoutFlow(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  anchorId?: string,
): Map<string, XY> {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: NODE_GAP, ranksep: RANK_GAP, edgesep: 24 });
  graph.setDefaultEdgeLabel(() => ({}));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const node of nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  const usable = edges.filter((e) => byId.has(e.from) && byId.has(e.to));
  for (const edge of usable) graph.setEdge(edge.from, edge.to, {}, `${edge.from}:${edge.port}`);
  dagre.layout(graph, { constraints: branchOrder(nodes, usable) });

  const placed = new Map<string, XY>();
  for (const node of nodes) {
    const { x, y } = graph.node(node.id) as { x: number; y: number };
    placed.set(node.id, { x: x - node.width / 2, y: y - node.height / 2 });
  }
  const anchor = anchorId ? byId.get(anchorId) : undefined;
  const anchorAt = anchor ? placed.get(anchor.id) : undefined;
  if (!anchor || !anchorAt) return placed;
  const dx = anchor.position.x - anchorAt.x;
  const dy = anchor.position.y - anchorAt.y;
  for (const [id, at] of placed) placed.set(id, { x: at.x + dx, y: at.y + dy });
  return placed;
}

// The targets of one node's ports sit left to right in port order ("yes" left of "no").
function branchOrder(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]) {
  const constraints: { left: string; right: string }[] = [];
  for (const node of nodes) {
    if (node.ports.length < 2) continue;
    const targets = node.ports.flatMap((port) => {
      const edge = edges.find((e) => e.from === node.id && e.port === port);
      return edge ? [edge.to] : [];
    });
    const distinct = [...new Set(targets)];
    for (let i = 1; i < distinct.length; i++) {
      constraints.push({ left: distinct[i - 1]!, right: distinct[i]! });
    }
  }
  return constraints;
}
