import { isNodeKind, portsOf } from '@relance/flow';
import { edgeIdOf, newNodeId, type Draft, type DraftEdge, type DraftNode, type XY } from './draft';

// Structural edits as pure functions over drafts: what the palette, paste and delete do.

/** The first output port of `node` that nothing leaves from yet. */
export function freePortOf(draft: Draft, nodeId: string): string | null {
  const node = draft.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const used = new Set(draft.edges.filter((e) => e.from === nodeId).map((e) => e.port));
  return portsOf(node).find((p) => !used.has(p)) ?? null;
}

/** Connects `from:port` to `to`, replacing whatever that port led to (one edge per port). */
export function connect(draft: Draft, edge: DraftEdge): Draft {
  if (edge.from === edge.to) return draft;
  const id = edgeIdOf(edge);
  return { ...draft, edges: [...draft.edges.filter((e) => edgeIdOf(e) !== id), edge] };
}

/**
 * Puts `node` on the edge `edgeId`: the edge's source now leads to the node, and the node's
 * first port leads to the edge's old target (a node without ports, such as Exit, ends there).
 */
export function insertOnEdge(draft: Draft, edgeId: string, node: DraftNode): Draft {
  const edge = draft.edges.find((e) => edgeIdOf(e) === edgeId);
  if (!edge) return { ...draft, nodes: [...draft.nodes, node] };
  const [firstPort] = portsOf(node);
  const edges = draft.edges.filter((e) => edgeIdOf(e) !== edgeId);
  edges.push({ from: edge.from, port: edge.port, to: node.id });
  if (firstPort) edges.push({ from: node.id, port: firstPort, to: edge.to });
  return { ...draft, nodes: [...draft.nodes, node], edges };
}

/**
 * Whether `nodeId` can be picked up and dropped onto `edgeId`: a step with one way in and one
 * way out (not a trigger, a branch or an Exit) over an edge that does not already touch it.
 */
export function canMoveOntoEdge(draft: Draft, nodeId: string, edgeId: string): boolean {
  const node = draft.nodes.find((n) => n.id === nodeId);
  const edge = draft.edges.find((e) => edgeIdOf(e) === edgeId);
  return (
    node !== undefined &&
    edge !== undefined &&
    !node.kind.startsWith('trigger.') &&
    portsOf(node).length === 1 &&
    edge.from !== nodeId &&
    edge.to !== nodeId
  );
}

/**
 * Moves an existing step onto `edgeId`: its old neighbours are joined (whatever led to it now
 * leads where it led) and it is inserted on the edge. Returns the draft unchanged when the move
 * is not allowed.
 */
export function moveOntoEdge(draft: Draft, nodeId: string, edgeId: string): Draft {
  if (!canMoveOntoEdge(draft, nodeId, edgeId)) return draft;
  const node = draft.nodes.find((n) => n.id === nodeId)!;
  const next = draft.edges.find((e) => e.from === nodeId)?.to;
  const edges: DraftEdge[] = [];
  for (const edge of draft.edges) {
    if (edge.from === nodeId) continue;
    if (edge.to !== nodeId) edges.push(edge);
    // A step whose way out led nowhere leaves its predecessors open; one that led back to its
    // own predecessor would make a one-step loop, so that edge is dropped too.
    else if (next !== undefined && next !== edge.from) edges.push({ ...edge, to: next });
  }
  return insertOnEdge(
    { ...draft, nodes: draft.nodes.filter((n) => n.id !== nodeId), edges },
    edgeId,
    node,
  );
}

/** Adds `node` after `from:port`, inserting it when that port already leads somewhere. */
export function appendAfter(draft: Draft, from: string, port: string, node: DraftNode): Draft {
  const existing = draft.edges.find((e) => e.from === from && e.port === port);
  if (existing) return insertOnEdge(draft, edgeIdOf(existing), node);
  return {
    ...draft,
    nodes: [...draft.nodes, node],
    edges: [...draft.edges, { from, port, to: node.id }],
  };
}

/**
 * Deletes steps as the marketer means it: a step with one way in and one way out (a wait, an
 * email, a segment change) taken out of a sequence leaves the sequence joined, what led to it
 * now leading where it led, so deleting "Wait 3 days" between two emails does not cut the flow
 * in two. Steps with several ways out (branches) and what nothing follows leave their
 * predecessors open, as before: which branch to keep is the marketer's choice.
 */
export function deleteSteps(draft: Draft, ids: ReadonlySet<string>): Draft {
  let next = draft;
  for (const id of ids) {
    const node = next.nodes.find((n) => n.id === id);
    const ports = node ? portsOf(node) : [];
    const after = ports.length === 1 ? next.edges.find((e) => e.from === id)?.to : undefined;
    const edges: DraftEdge[] = [];
    for (const edge of next.edges) {
      if (edge.from === id) continue;
      if (edge.to !== id) edges.push(edge);
      // A loop back to its own predecessor would make a step lead to itself: left open.
      else if (after !== undefined && after !== edge.from) edges.push({ ...edge, to: after });
    }
    next = { ...next, nodes: next.nodes.filter((n) => n.id !== id), edges };
  }
  return next;
}

/** A copied piece of a flow: nodes and the edges between them. */
export interface Fragment {
  nodes: DraftNode[];
  edges: DraftEdge[];
}

/** The selected nodes and the connections among them. */
export function copyFragment(draft: Draft, ids: ReadonlySet<string>): Fragment {
  return structuredClone({
    nodes: draft.nodes.filter((n) => ids.has(n.id)),
    edges: draft.edges.filter((e) => ids.has(e.from) && ids.has(e.to)),
  });
}

/**
 * Adds a fragment with fresh ids (used by neither the draft nor `reserved`), its top-left corner
 * at `at` (or offset from where it was), and returns the new ids so they can be selected.
 */
export function pasteFragment(
  draft: Draft,
  fragment: Fragment,
  at?: XY,
  reserved: ReadonlySet<string> = new Set(),
): { draft: Draft; ids: string[] } {
  const taken = new Set([...reserved, ...draft.nodes.map((n) => n.id)]);
  const rename = new Map<string, string>();
  for (const node of fragment.nodes) {
    const id = newNodeId(node.kind, taken);
    taken.add(id);
    rename.set(node.id, id);
  }
  const minX = Math.min(...fragment.nodes.map((n) => n.position.x));
  const minY = Math.min(...fragment.nodes.map((n) => n.position.y));
  const shift = at ? { x: at.x - minX, y: at.y - minY } : { x: 40, y: 40 };
  const nodes = fragment.nodes.map((n) => ({
    ...structuredClone(n),
    id: rename.get(n.id)!,
    position: { x: n.position.x + shift.x, y: n.position.y + shift.y },
  }));
  const edges = fragment.edges
    .filter((e) => rename.has(e.from) && rename.has(e.to))
    .map((e) => ({ from: rename.get(e.from)!, port: e.port, to: rename.get(e.to)! }));
  return {
    draft: { ...draft, nodes: [...draft.nodes, ...nodes], edges: [...draft.edges, ...edges] },
    ids: nodes.map((n) => n.id),
  };
}

/** Drops edges whose port no longer exists (a switch case was deleted, a goal now exits). */
export function pruneDanglingEdges(draft: Draft): Draft {
  const byId = new Map(draft.nodes.map((n) => [n.id, n]));
  const edges = draft.edges.filter((e) => {
    const from = byId.get(e.from);
    return from !== undefined && byId.has(e.to) && portsOf(from).includes(e.port);
  });
  return edges.length === draft.edges.length ? draft : { ...draft, edges };
}

/** Whether a fragment read from the clipboard has the shape paste expects. */
export function isFragment(value: unknown): value is Fragment {
  const v = value as Partial<Fragment> | null;
  return (
    Array.isArray(v?.nodes) &&
    Array.isArray(v.edges) &&
    v.nodes.every((n: unknown) => {
      const node = n as Partial<DraftNode> | null;
      return typeof node?.id === 'string' && isNodeKind(node.kind) && !!node.position;
    })
  );
}
