// @relance/segments: segment rules (the shared Condition language of @relance/flow) compiled to
// parameterised SQL, the tick's crossing queries, cycle checks, scoring and built-in segments.
export { SqlParams, UUID, type CompiledQuery } from './params';
export { SegmentRuleError } from './rule-error';
export { GroupedAggregates, shifter, type RuleScope } from './scope';
export { compileFacts, compilePredicate } from './compile';
export { compileEventFilter, rollupLast, type RollupLast } from './events';
export {
  compileCountQuery,
  compileEvaluateQuery,
  compileMembersQuery,
  compileMembersSelect,
  compilePreviewQuery,
  compileVerdictsSelect,
  type PreviewContact,
  type RuleContext,
  type RuleQueryOptions,
  type VerdictItem,
  type VerdictPairs,
} from './queries';
export { anniversaryMonthDays, compileCrossings, type CrossingWindow } from './crossings';
export {
  dependenciesOf,
  findCycle,
  orderByDependencies,
  SegmentCycleError,
  type SegmentNode,
} from './graph';
export { compileRulesScore, compileScoringCrossings, ScoreTag, ScoringRule } from './scoring';
export { readsOf, type RuleReads } from './reads';
export {
  BUILTIN_ORDER_EVENT,
  BUILTIN_SCORE_TAGS,
  BUILTIN_SCORING_RULES,
  BUILTIN_SEGMENTS,
  type BuiltinSegment,
} from './builtin';
