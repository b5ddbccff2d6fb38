import type { FlowProblem } from '@relance/flow';

const NONE: readonly FlowProblem[] = [];

function sameProblems(a: readonly FlowProblem[], b: readonly FlowProblem[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => p.message === b[i]!.message && p.field === b[i]!.field)
  );
}

/**
 * Problems per node. A node whose problems did not change keeps the same array, so only the
 * cards whose outline changes re-render while the marketer types.
 */
export function groupProblems(
  problems: readonly FlowProblem[],
  previous: ReadonlyMap<string, readonly FlowProblem[]> = new Map(),
): Map<string, readonly FlowProblem[]> {
  const grouped = new Map<string, FlowProblem[]>();
  for (const problem of problems) {
    if (problem.nodeId === undefined) continue;
    const list = grouped.get(problem.nodeId) ?? [];
    list.push(problem);
    grouped.set(problem.nodeId, list);
  }
  const result = new Map<string, readonly FlowProblem[]>();
  for (const [id, list] of grouped) {
    const prev = previous.get(id);
    result.set(id, prev && sameProblems(prev, list) ? prev : list);
  }
  return result;
}

/** The problems of one node (a shared empty list when there are none). */
export function problemsOf(
  byNode: ReadonlyMap<string, readonly FlowProblem[]>,
  nodeId: string,
): readonly FlowProblem[] {
  return byNode.get(nodeId) ?? NONE;
}

/** The problems about one field of a node: `config.templateId` also matches `config.templateId.0`. */
export function problemsAt(
  problems: readonly FlowProblem[],
  field: string,
): readonly FlowProblem[] {
  return problems.filter(
    (p) => p.field !== undefined && (p.field === field || p.field.startsWith(`${field}.`)),
  );
}
