// The zod-free entry point for workflow code (Temporal's sandbox): everything here is pure and
// deterministic. `import { pickBranch, type FlowPlan } from '@relance/flow/runtime'`.

import type { FlowPlan } from './plan';

export { assertNever } from './assert-never';
export type {
  CompareOp,
  Condition,
  ConditionLeaf,
  CountOp,
  EmailAction,
  EventFilter,
  PropertyCondition,
  Scalar,
} from './condition';
export { canEnter, pickCase, type PreviousRun } from './entry';
export { getPath, matchesFilter, matchesProperty, type FilterOptions } from './filter';
export {
  ELSE,
  NODE_KINDS,
  OUT,
  groupOf,
  isActionKind,
  isNodeKind,
  isTriggerKind,
  isWaitKind,
  type ActionKind,
  type LogicKind,
  type NodeGroup,
  type NodeKind,
  type TriggerKind,
  type WaitKind,
} from './kinds';
export { describeDuration, formatDuration, parseDuration } from './parse-duration';
export type * from './plan';
export { hashString, pickBranch } from './split';
export {
  WEEKDAYS,
  addDays,
  calendarDateOf,
  fromLocal,
  isQuietTime,
  isUtcMidnight,
  isValidTimeZone,
  nextAllowedTime,
  nextDateOccurrence,
  nextSendUnderCap,
  nextUntil,
  parseTimeOfDay,
  toLocal,
  weekdayOf,
  type LocalDateTime,
} from './time';

/** The node that follows `nodeId` through `port`; null when the run ends there. */
export function nextNodeId(plan: FlowPlan, nodeId: string, port: string): string | null {
  const node = plan.nodes[nodeId];
  if (!node) throw new Error(`The plan has no node "${nodeId}"`);
  return node.next[port] ?? null;
}
