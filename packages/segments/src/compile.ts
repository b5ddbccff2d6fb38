import { assertNever, canBeMachine, type Condition, type ConditionLeaf } from '@relance/flow';
import {
  compileEventCount,
  compileEventLast,
  eventAggregateSql,
  eventCountSql,
  eventScanSql,
  rollupLast,
  ROLLUPS,
  segmentIdOf,
  type EventScan,
} from './events';
import { compareProperty, contactAccessor } from './property';
import { fieldPath } from './rule-error';
import { exists, inWorkspace, type RuleScope } from './scope';

const SQL_OP = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * The events of an email-engagement leaf, counted per email as the email reports count them:
 * an email opened three times (or prefetched by a mail client) is one email opened, and a click
 * counts as an open (its images may have been blocked). With `humanOnly`, a machine's opens and
 * clicks (Apple's privacy proxy, a link scanner) count for nothing: a click by a scanner is no
 * open either.
 */
function emailScan(leaf: Extract<ConditionLeaf, { kind: 'email' }>): EventScan {
  return {
    event: `email.${leaf.action}`,
    alsoEvents: leaf.action === 'opened' ? ['email.clicked'] : undefined,
    perMessage: true,
    templateId: leaf.templateId,
    within: leaf.within,
    sinceEntry: leaf.sinceEntry,
    humanOnly: leaf.humanOnly === true && canBeMachine(leaf.action),
  };
}

function membership(segmentId: string, scope: RuleScope, field: string): string {
  const id = scope.params.uuid(segmentIdOf(segmentId, field));
  return exists(
    scope,
    `select 1 from segment_members m where m.segment_id = ${id} and m.contact_id = ${scope.contact}.id`,
  );
}

function tagged(tag: string, scope: RuleScope): string {
  return `${scope.contact}.tags @> array[${scope.params.text(tag.trim())}]`;
}

function compileLeaf(leaf: ConditionLeaf, scope: RuleScope, field: string): string {
  const p = scope.params;
  switch (leaf.kind) {
    case 'property':
      return compareProperty(
        leaf,
        contactAccessor(leaf.property, scope, fieldPath(field, 'property')),
        scope,
        field,
      );
    case 'tag':
      return leaf.op === 'has' ? tagged(leaf.tag, scope) : `not ${tagged(leaf.tag, scope)}`;
    case 'score':
      return `${scope.contact}.score ${SQL_OP[leaf.op]} ${p.number(leaf.value)}`;
    case 'segment':
      return leaf.op === 'in'
        ? membership(leaf.segmentId, scope, field)
        : `not ${membership(leaf.segmentId, scope, field)}`;
    case 'event_count':
      return compileEventCount(
        { event: leaf.event, where: leaf.where, within: leaf.within, sinceEntry: leaf.sinceEntry },
        leaf.op,
        leaf.count,
        scope,
        field,
      );
    case 'email':
      return compileEventCount(emailScan(leaf), leaf.op, leaf.count, scope, field);
    case 'event_last':
      return compileEventLast(
        leaf.event,
        rollupLast(leaf.event, leaf.humanOnly),
        leaf.op,
        leaf.duration,
        leaf.includeNever !== false,
        scope,
        field,
      );
    case 'event_aggregate':
      return `${eventAggregateSql({ event: leaf.event, within: leaf.within, sinceEntry: leaf.sinceEntry }, leaf.property, leaf.fn, scope, field)} ${SQL_OP[leaf.op]} ${p.number(leaf.value)}`;
    default:
      return assertNever(leaf);
  }
}

/**
 * A condition as a SQL boolean over the contacts row in scope. Every leaf is two-valued
 * (never NULL), so `not` is the exact complement and nested negation behaves.
 */
export function compilePredicate(condition: Condition, scope: RuleScope, field = ''): string {
  switch (condition.kind) {
    case 'all':
      return condition.conditions.length === 0
        ? 'true'
        : `(${condition.conditions.map((c, i) => compilePredicate(c, scope, fieldPath(field, 'conditions', i))).join(' and ')})`;
    case 'any':
      return condition.conditions.length === 0
        ? 'false'
        : `(${condition.conditions.map((c, i) => compilePredicate(c, scope, fieldPath(field, 'conditions', i))).join(' or ')})`;
    case 'not':
      return `(not ${compilePredicate(condition.condition, scope, fieldPath(field, 'condition'))})`;
    // Property comparisons and avg/min/max can be unknown (NULL): coalesced to false.
    case 'property':
      return `coalesce(${compileLeaf(condition, scope, field)}, false)`;
    case 'event_aggregate':
      return condition.fn === 'sum'
        ? compileLeaf(condition, scope, field)
        : `coalesce(${compileLeaf(condition, scope, field)}, false)`;
    // These are never NULL (EXISTS, counts, non-null columns), and left bare so that PostgreSQL
    // can turn a top-level EXISTS into a semi- or anti-join: hashed over the whole base, an
    // index probe per contact when re-checking a few.
    case 'tag':
    case 'score':
    case 'segment':
    case 'event_count':
    case 'event_last':
    case 'email':
      return compileLeaf(condition, scope, field);
    default:
      return assertNever(condition);
  }
}

/** The value a leaf looked at, for "why did this branch go that way" in a run's step log. */
function factOf(leaf: ConditionLeaf, scope: RuleScope, field: string): string {
  switch (leaf.kind) {
    case 'property':
      return contactAccessor(leaf.property, scope, fieldPath(field, 'property')).json;
    case 'tag':
      return tagged(leaf.tag, scope);
    case 'score':
      return `${scope.contact}.score`;
    case 'segment':
      return membership(leaf.segmentId, scope, field);
    case 'event_count':
      return `(select count(*) ${eventScanSql({ event: leaf.event, where: leaf.where, within: leaf.within, sinceEntry: leaf.sinceEntry }, scope, field)})`;
    case 'email':
      return eventCountSql(emailScan(leaf), scope, field);
    case 'event_last':
      return `(select r.${rollupLast(leaf.event, leaf.humanOnly)} from ${ROLLUPS} r where ${inWorkspace(scope, 'r')}r.contact_id = ${scope.contact}.id and r.name = ${scope.params.text(leaf.event)})`;
    case 'event_aggregate':
      return eventAggregateSql(
        { event: leaf.event, within: leaf.within, sinceEntry: leaf.sinceEntry },
        leaf.property,
        leaf.fn,
        scope,
        field,
      );
    default:
      return assertNever(leaf);
  }
}

/** Every leaf's deciding value as `{ field, sql }`; the field is the leaf's path in the rule. */
export function compileFacts(
  condition: Condition,
  scope: RuleScope,
  field = '',
): { field: string; sql: string }[] {
  switch (condition.kind) {
    case 'all':
    case 'any':
      return condition.conditions.flatMap((c, i) =>
        compileFacts(c, scope, fieldPath(field, 'conditions', i)),
      );
    case 'not':
      return compileFacts(condition.condition, scope, fieldPath(field, 'condition'));
    case 'property':
    case 'tag':
    case 'score':
    case 'segment':
    case 'event_count':
    case 'event_last':
    case 'event_aggregate':
    case 'email':
      return [{ field: field || 'condition', sql: factOf(condition, scope, field) }];
    default:
      return assertNever(condition);
  }
}
