import { segmentsOf, type Condition } from '@relance/flow';

export interface SegmentNode {
  id: string;
  rule: Condition | null;
}

/** The segments a rule reads, lower-cased and deduplicated. */
export function dependenciesOf(rule: Condition | null): string[] {
  return rule ? [...new Set(segmentsOf(rule).map((id) => id.toLowerCase()))] : [];
}

/**
 * A cycle among segments ("A contains members of B, B of A"), as the ids along it ending where
 * it started (`[a, b, a]`), or null. Segments nobody defines are ignored here.
 */
export function findCycle(nodes: readonly SegmentNode[]): string[] | null {
  const byId = new Map(nodes.map((n) => [n.id.toLowerCase(), n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    const seen = state.get(id);
    if (seen === 'done') return null;
    if (seen === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of dependenciesOf(byId.get(id)?.rule ?? null)) {
      if (!byId.has(next)) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of byId.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return null;
}

export class SegmentCycleError extends Error {
  override name = 'SegmentCycleError';
  constructor(readonly cycle: string[]) {
    super(`Segments refer to each other in a cycle: ${cycle.join(' → ')}`);
  }
}

/** Segments ordered so that every segment comes after the segments its rule reads. */
export function orderByDependencies<T extends SegmentNode>(nodes: readonly T[]): T[] {
  const cycle = findCycle(nodes);
  if (cycle) throw new SegmentCycleError(cycle);
  const byId = new Map(nodes.map((n) => [n.id.toLowerCase(), n]));
  const ordered: T[] = [];
  const placed = new Set<string>();
  const place = (node: T) => {
    const id = node.id.toLowerCase();
    if (placed.has(id)) return;
    placed.add(id);
    for (const dep of dependenciesOf(node.rule)) {
      const target = byId.get(dep);
      if (target) place(target);
    }
    ordered.push(node);
  };
  nodes.forEach(place);
  return ordered;
}
