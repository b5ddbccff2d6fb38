// Structural checks on the flow graph. They run on whatever parts of the document are usable,
// so a half-finished draft reports its missing template *and* its dangling connection at once.
//
// The connection rule: every port of every node must be connected. A path ends only by
// leading into an Exit step (logic.exit), which has no ports; a goal set to exit has none
// either. Nothing ends silently, so "Nothing follows 'Wait 3 days'" is always a mistake.

import { quoted } from './common';
import type { FlowProblem } from './issues';
import { isTriggerKind, type NodeKind, OUT } from './kinds';

/** A node as the graph checks see it. */
export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** The node as a sentence, for messages. */
  title: string;
  ports: readonly string[];
  portLabel: (port: string) => string;
}

/** A well-formed edge with its position in the document. */
export interface GraphEdge {
  index: number;
  from: string;
  port: string;
  to: string;
}

// A loop is safe when it passes a step that always waits: a delay, a time of day, or an event
// (each event resumes a wait once). A condition wait's `met` path may pass straight through,
// so only its timeout counts.
function waits(node: GraphNode, port: string): boolean {
  if (node.kind === 'wait.condition') return port === 'timeout';
  return node.kind === 'wait.delay' || node.kind === 'wait.until' || node.kind === 'wait.event';
}

/** Checks triggers, connections, reachability and wait-free loops; returns the usable edges. */
export function checkGraph(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
): { problems: FlowProblem[]; edges: GraphEdge[] } {
  const problems: FlowProblem[] = [];
  const byId = new Map(nodes.map((n) => [n.id, n]));

  const triggers = nodes.filter((n) => isTriggerKind(n.kind));
  if (triggers.length === 0) {
    problems.push({ message: 'A flow starts with exactly one trigger: add one' });
  }
  for (const extra of triggers.slice(1)) {
    problems.push({
      nodeId: extra.id,
      message: `A flow starts with exactly one trigger; remove this one or ${quoted(triggers[0]!.title)}`,
    });
  }

  const usable: GraphEdge[] = [];
  const taken = new Set<string>();
  for (const edge of edges) {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (!from) {
      problems.push({
        field: `edges.${edge.index}.from`,
        message: `A connection starts from a step that does not exist ("${edge.from}")`,
      });
    }
    if (!to) {
      problems.push({
        field: `edges.${edge.index}.to`,
        message: `A connection leads to a step that does not exist ("${edge.to}")`,
      });
    }
    if (!from || !to) continue;
    if (isTriggerKind(to.kind)) {
      problems.push({
        nodeId: to.id,
        field: `edges.${edge.index}`,
        message: 'Nothing can lead into a trigger: a flow starts there',
      });
      continue;
    }
    if (!from.ports.includes(edge.port)) {
      problems.push({
        nodeId: from.id,
        field: `ports.${edge.port}`,
        message:
          from.ports.length === 0
            ? `Nothing can follow ${quoted(from.title)}: the run ends there`
            : `${quoted(from.title)} has no path called "${edge.port}"`,
      });
      continue;
    }
    const key = `${edge.from}\u0000${edge.port}`;
    if (taken.has(key)) {
      problems.push({
        nodeId: from.id,
        field: `ports.${edge.port}`,
        message:
          edge.port === OUT
            ? `${quoted(from.title)} leads to more than one next step; keep one connection`
            : `The "${from.portLabel(edge.port)}" path of ${quoted(from.title)} leads to more than one step; keep one connection`,
      });
      continue;
    }
    taken.add(key);
    usable.push(edge);
  }

  for (const node of nodes) {
    for (const port of node.ports) {
      if (taken.has(`${node.id}\u0000${port}`)) continue;
      problems.push({
        nodeId: node.id,
        field: `ports.${port}`,
        message:
          port === OUT
            ? `Nothing follows ${quoted(node.title)}: connect the next step, or an Exit to end the flow there`
            : `Nothing follows the "${node.portLabel(port)}" path of ${quoted(node.title)}: connect a step, or an Exit to end the flow there`,
      });
    }
  }

  problems.push(...unreachable(nodes, usable), ...waitFreeLoops(nodes, usable, byId));
  return { problems, edges: usable };
}

function successors(edges: readonly GraphEdge[]): Map<string, GraphEdge[]> {
  const out = new Map<string, GraphEdge[]>();
  for (const edge of edges) {
    const list = out.get(edge.from) ?? [];
    list.push(edge);
    out.set(edge.from, list);
  }
  return out;
}

// Goals are entered by a jump when their condition is met, so they count as roots too.
function unreachable(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): FlowProblem[] {
  const roots = nodes.filter((n) => isTriggerKind(n.kind) || n.kind === 'logic.goal');
  if (!roots.some((n) => isTriggerKind(n.kind))) return [];
  const next = successors(edges);
  const seen = new Set(roots.map((n) => n.id));
  const stack = [...seen];
  while (stack.length > 0) {
    for (const edge of next.get(stack.pop()!) ?? []) {
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        stack.push(edge.to);
      }
    }
  }
  return nodes
    .filter((n) => !seen.has(n.id))
    .map((n) => ({
      nodeId: n.id,
      message: `${quoted(n.title)} cannot be reached from the trigger: connect it or remove it`,
    }));
}

// Tarjan's strongly connected components over the edges that do not wait; any component with a
// cycle in it is a loop a run could spin around without ever pausing.
function waitFreeLoops(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  byId: ReadonlyMap<string, GraphNode>,
): FlowProblem[] {
  const fast = edges.filter((e) => !waits(byId.get(e.from)!, e.port));
  const next = successors(fast);
  const selfLoops = new Set(fast.filter((e) => e.from === e.to).map((e) => e.from));
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  // Iterative so a 500-node chain cannot overflow the call stack.
  for (const root of nodes) {
    if (index.has(root.id)) continue;
    const work: { id: string; edge: number }[] = [{ id: root.id, edge: 0 }];
    index.set(root.id, counter);
    low.set(root.id, counter++);
    stack.push(root.id);
    onStack.add(root.id);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = next.get(frame.id) ?? [];
      if (frame.edge < out.length) {
        const to = out[frame.edge++]!.to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component);
      }
    }
  }

  return components
    .filter((c) => c.length > 1 || selfLoops.has(c[0]!))
    .map((c) => c.sort((a, b) => order.get(a)! - order.get(b)!))
    .sort((a, b) => order.get(a[0]!)! - order.get(b[0]!)!)
    .map((c) => ({
      nodeId: c[0]!,
      message: `This loop has no wait, so it would run forever (${c
        .map((id) => quoted(byId.get(id)!.title))
        .join(', ')}): put a wait inside it`,
    }));
}
