// @relance/flow: the flow language. Documents (zod schemas per node kind), validate(), compile()
// to an immutable plan, describe() sentences, JSON Schema, diffs and ready-made flows.
// Workflow code imports `@relance/flow/runtime` instead: the same pure helpers without zod.

export * from './condition';
export * from './duration';
export {
  NodeId,
  PortId,
  SegmentId,
  TimeOfDay,
  Weekday,
  type DescribeContext,
  type NodeDefinition,
} from './common';
export * from './document';
export { describeCondition, describeFilter, describeProperty } from './describe-condition';
export { eventWords, type EventWords } from './event-words';
export {
  createNode,
  definitionOf,
  describeNode,
  nodeRegistry,
  portLabelOf,
  portsOf,
} from './registry';
export {
  entryPolicyWords,
  journeySettingLabelOf,
  JOURNEY_SETTING_LABELS,
  settingLabelOf,
  STEP_SETTING_LABELS,
} from './setting-labels';
export { analyse, validate, type Analysis, type ValidateContext } from './validate';
export { flowWarnings, isOneTimeEvent } from './warnings';
export type { FlowProblem } from './issues';
export { compile, deepFreeze, FlowInvalidError } from './compile';
export { toJsonSchema } from './json-schema';
export {
  diffDocuments,
  mapNodeIds,
  type DiffableDocument,
  type EdgeSummary,
  type FlowDiff,
  type NodeChange,
  type NodeSummary,
} from './diff';
export * from './templates';
export { createDocumentBuilder } from './template-builder';
export { liquidProblem } from './liquid';
export { conditionReferences, nodeReferences, type Reference } from './references';
export {
  ELSE,
  NODE_KINDS,
  OUT,
  WEEKDAYS,
  addDays,
  canEnter,
  describeDuration,
  formatDuration,
  fromLocal,
  getPath,
  groupOf,
  hashString,
  isActionKind,
  isNodeKind,
  isQuietTime,
  isTriggerKind,
  isUtcMidnight,
  isValidTimeZone,
  isWaitKind,
  matchesFilter,
  matchesProperty,
  nextAllowedTime,
  nextDateOccurrence,
  nextNodeId,
  nextSendUnderCap,
  nextUntil,
  parseTimeOfDay,
  pickBranch,
  pickCase,
  toLocal,
  weekdayOf,
  type ActionKind,
  type FilterOptions,
  type LocalDateTime,
  type LogicKind,
  type NodeGroup,
  type NodeKind,
  type PreviousRun,
  type TriggerKind,
  type WaitKind,
} from './runtime';
export type * from './plan';
export * from './nodes/trigger-event';
export * from './nodes/trigger-segment-entered';
export * from './nodes/trigger-segment-exited';
export * from './nodes/trigger-date';
export * from './nodes/trigger-manual';
export * from './nodes/wait-delay';
export * from './nodes/wait-until';
export * from './nodes/wait-event';
export * from './nodes/wait-condition';
export * from './nodes/logic-condition';
export * from './nodes/logic-switch';
export * from './nodes/logic-split';
export * from './nodes/logic-goal';
export * from './nodes/logic-exit';
export * from './nodes/action-send-email';
export * from './nodes/action-segment';
export * from './nodes/action-tag';
export * from './nodes/action-set-property';
export * from './nodes/action-score';
export * from './nodes/action-webhook';
export * from './nodes/action-notify';
