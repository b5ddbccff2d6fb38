// Conditions the trigger already decides: "entered segment S" with the exit condition "is in S"
// (a dropdown slip for "is not in") ends every run before its first step. Only membership of the
// trigger's own segment is known at entry; anything else may or may not hold.

import { assertNever } from './assert-never';
import type { Condition } from './condition';
import type { FlowNode, FlowSettings } from './document';
import type { FlowProblem } from './issues';

/** The trigger's segment and whether entrants are in it (entered) or out of it (exited). */
interface EntryFact {
  segmentId: string;
  member: boolean;
}

/** True or false for every contact the trigger lets in; undefined when it depends on the contact. */
function atEntry(condition: Condition, fact: EntryFact): boolean | undefined {
  switch (condition.kind) {
    case 'all':
    case 'any': {
      if (condition.conditions.length === 0) return undefined;
      const values = condition.conditions.map((c) => atEntry(c, fact));
      const decisive = condition.kind === 'all' ? false : true;
      if (values.includes(decisive)) return decisive;
      return values.every((v) => v === !decisive) ? !decisive : undefined;
    }
    case 'not': {
      const value = atEntry(condition.condition, fact);
      return value === undefined ? undefined : !value;
    }
    case 'segment':
      if (condition.segmentId.toLowerCase() !== fact.segmentId.toLowerCase()) return undefined;
      return condition.op === 'in' ? fact.member : !fact.member;
    case 'property':
    case 'tag':
    case 'score':
    case 'email':
    case 'event_count':
    case 'event_last':
    case 'event_aggregate':
      return undefined;
    default:
      return assertNever(condition);
  }
}

function entryFact(nodes: readonly FlowNode[]): EntryFact | null {
  for (const node of nodes) {
    if (node.kind === 'trigger.segment_entered')
      return { segmentId: node.config.segmentId, member: true };
    if (node.kind === 'trigger.segment_exited')
      return { segmentId: node.config.segmentId, member: false };
  }
  return null;
}

/** Exit conditions and exiting goals that every contact the trigger lets in meets at once. */
export function entryProblems(
  nodes: readonly FlowNode[],
  settings: FlowSettings | undefined,
): FlowProblem[] {
  const fact = entryFact(nodes);
  if (!fact) return [];
  const instead = fact.member
    ? 'to end a run when the contact leaves the segment, use "is not in"'
    : 'to end a run when the contact comes back into the segment, use "is in"';
  const problems: FlowProblem[] = [];
  (settings?.exitConditions ?? []).forEach((condition, i) => {
    if (atEntry(condition, fact) === true) {
      problems.push({
        field: `settings.exitConditions.${i}`,
        message: `This exit condition is true for everyone the trigger lets in, so every run would end at once; ${instead}`,
      });
    }
  });
  for (const node of nodes) {
    if (
      node.kind === 'logic.goal' &&
      node.config.onMet === 'exit' &&
      atEntry(node.config.condition, fact) === true
    ) {
      problems.push({
        nodeId: node.id,
        field: 'config.condition',
        message: `This goal is met by everyone the trigger lets in, so every run would end here at once; ${instead}`,
      });
    }
  }
  return problems;
}
