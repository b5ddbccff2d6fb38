// Conditions rendered as the phrase after "If": "clicked any email in the last 15 days".

import { assertNever } from './assert-never';
import { type DescribeContext, listOf, quoted, segmentName, templateName } from './common';
import {
  canBeMachine,
  eventCanBeMachine,
  contactPropertyLabel,
  type CompareOp,
  type Condition,
  type ConditionLeaf,
  type CountOp,
  type EmailAction,
  type EventFilter,
  type PropertyCondition,
  type Scalar,
} from './condition';
import { eventWords } from './event-words';
import { describeDuration, formatDuration } from './parse-duration';

const COMPARE: Record<CompareOp, string> = {
  eq: 'is',
  neq: 'is not',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
};

// [past tense, negative] for "clicked any email" / "did not click any email".
const EMAIL_VERBS: Record<EmailAction, readonly [string, string]> = {
  sent: ['was sent', 'was not sent'],
  delivered: ['received', 'did not receive'],
  opened: ['opened', 'did not open'],
  clicked: ['clicked', 'did not click'],
  bounced: ['bounced on', 'did not bounce on'],
  complained: ['complained about', 'did not complain about'],
  unsubscribed: ['unsubscribed from', 'did not unsubscribe from'],
};

// The words the condition editor offers for them (total, average, smallest, largest).
const AGGREGATES = { sum: 'total', avg: 'average', min: 'smallest', max: 'largest' } as const;

/** A duration as prose: `15d` → "15 days". */
export function spanOf(duration: string): string {
  return describeDuration(duration) ?? formatDuration(0);
}

function valueOf(value: Scalar): string {
  return typeof value === 'string' ? quoted(value) : String(value);
}

// "the last week" rather than "the last 1 week".
function lastSpan(duration: string): string {
  const span = spanOf(duration);
  return /^1 [a-z]+$/.test(span) ? span.slice(2) : span;
}

/** " in the last 30 days", " since they entered the journey", or nothing for ever. */
function within(leaf: { within?: string | undefined; sinceEntry?: true | undefined }): string {
  if (leaf.within) return ` in the last ${lastSpan(leaf.within)}`;
  return leaf.sinceEntry ? ' since they entered the journey' : '';
}

function times(op: CountOp, count: number): string {
  const n = `${count} time${count === 1 ? '' : 's'}`;
  switch (op) {
    case 'at_least':
      return `at least ${n}`;
    case 'at_most':
      return `at most ${n}`;
    case 'exactly':
      return `exactly ${n}`;
    default:
      return assertNever(op);
  }
}

// "None" reads better than "at most 0 times".
function isNone(op: CountOp, count: number): boolean {
  return count === 0 && (op === 'at_most' || op === 'exactly');
}

/**
 * A property comparison as prose: "plan is 'pro'", "signed_up_at is within the last 30 days",
 * "date added is within the last week". A contact's built-in fields read by their labels; an
 * event's properties (`of: 'event'`) always by their names.
 */
export function describeProperty(
  condition: PropertyCondition,
  of: 'contact' | 'event' = 'contact',
): string {
  const name =
    of === 'contact' && condition.property.startsWith('$')
      ? lowerFirst(contactPropertyLabel(condition.property))
      : condition.property;
  switch (condition.op) {
    case 'eq':
    case 'neq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return `${name} ${COMPARE[condition.op]} ${valueOf(condition.value)}`;
    case 'contains':
      return `${name} contains ${quoted(condition.value)}`;
    case 'not_contains':
      return `${name} does not contain ${quoted(condition.value)}`;
    case 'starts_with':
      return `${name} starts with ${quoted(condition.value)}`;
    case 'in':
      return `${name} is ${listOf(condition.value.map(valueOf), 'or')}`;
    case 'not_in':
      return `${name} is not ${listOf(condition.value.map(valueOf), 'or')}`;
    case 'exists':
      return `${name} is set`;
    case 'not_exists':
      return `${name} is not set`;
    case 'before':
      return `${name} is before ${condition.value}`;
    case 'after':
      return `${name} is after ${condition.value}`;
    case 'within_last':
      return `${name} is within the last ${lastSpan(condition.value)}`;
    case 'within_next':
      return `${name} is within the next ${lastSpan(condition.value)}`;
    case 'more_than_ago':
      return `${name} is more than ${spanOf(condition.value)} ago`;
    case 'anniversary_in':
      return condition.days === 0
        ? `${name} has its anniversary today`
        : `${name} has its anniversary in ${condition.days} day${condition.days === 1 ? '' : 's'}`;
    case 'anniversary_within':
      return condition.days === 0
        ? `${name} is today`
        : condition.days === 1
          ? `${name} is today or tomorrow`
          : `${name} is in the next ${condition.days} days`;
    default:
      return assertNever(condition);
  }
}

// "If lifecycle stage is …": a label starts a sentence only at the start of one.
function lowerFirst(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** An event filter as prose, for "where …" clauses. */
export function describeFilter(filter: EventFilter): string {
  switch (filter.kind) {
    case 'property':
      return describeProperty(filter, 'event');
    case 'all':
    case 'any':
      return group(filter.conditions, filter.kind, describeFilter);
    case 'not':
      return `not (${describeFilter(filter.condition)})`;
    default:
      return assertNever(filter);
  }
}

/**
 * A group's parts joined by "and" / "or". A nested group of several parts keeps its brackets so
 * that "a and (b or c)" stays unambiguous; a single condition never has any, be it the whole
 * sentence or a list ("country is 'France' or 'Belgium'") or a name ("is in Benelux and France").
 */
function group<T extends EventFilter | Condition>(
  parts: readonly T[],
  kind: 'all' | 'any',
  describe: (part: T) => string,
): string {
  return parts
    .map((part) => {
      const text = describe(part);
      return parts.length > 1 && isCompound(part) ? `(${text})` : text;
    })
    .join(kind === 'all' ? ' and ' : ' or ');
}

/** Whether a condition reads as several joined by "and" / "or" (a lone one reads as itself). */
function isCompound(condition: EventFilter | Condition): boolean {
  if (condition.kind !== 'all' && condition.kind !== 'any') return false;
  const { conditions } = condition as { conditions: readonly (EventFilter | Condition)[] };
  return conditions.length > 1 || (conditions.length === 1 && isCompound(conditions[0]!));
}

// "…, counting only opens by a person": Apple's privacy proxy and link scanners left out.
function byPerson(leaf: Extract<ConditionLeaf, { kind: 'email' | 'event_last' }>): string {
  if (leaf.humanOnly !== true) return '';
  const opens = leaf.kind === 'email' ? leaf.action === 'opened' : leaf.event === 'email.opened';
  const applies = leaf.kind === 'email' ? canBeMachine(leaf.action) : eventCanBeMachine(leaf.event);
  return applies ? `, counting only ${opens ? 'opens' : 'clicks'} by a person` : '';
}

// "clicked an email" for an event the app knows, "did page.viewed" for one of the workspace's.
function eventPhrases(event: string, ctx: DescribeContext) {
  return (
    eventWords(event, ctx) ?? {
      did: `did ${event}`,
      didNot: `did not do ${event}`,
      last: `last did ${event}`,
    }
  );
}

// "total amount of orders placed", "average score of the times they submitted a signup form",
// "total amount of purchase events": the events as the other sentences name them.
function aggregateOf(
  leaf: Extract<ConditionLeaf, { kind: 'event_aggregate' }>,
  ctx: DescribeContext,
) {
  const fn = AGGREGATES[leaf.fn];
  // "total of orders placed", not "total total of orders placed".
  const what = leaf.property.toLowerCase() === fn ? fn : `${fn} ${leaf.property}`;
  const words = eventWords(leaf.event, ctx);
  if (!words) return `${what} of ${leaf.event} events`;
  // Known without the workspace's context: one of Relance's own; with it only, its orders.
  return eventWords(leaf.event)
    ? `${what} of the times they ${words.did}`
    : `${what} of orders placed`;
}

function describeLeaf(leaf: ConditionLeaf, ctx: DescribeContext): string {
  switch (leaf.kind) {
    case 'property':
      return describeProperty(leaf);
    case 'tag':
      return leaf.op === 'has' ? `has tag ${quoted(leaf.tag)}` : `lacks tag ${quoted(leaf.tag)}`;
    case 'score':
      return `score ${COMPARE[leaf.op]} ${leaf.value}`;
    case 'segment':
      return `${leaf.op === 'in' ? 'is in' : 'is not in'} ${segmentName(ctx, leaf.segmentId)}`;
    case 'event_count': {
      const where = leaf.where ? ` where ${describeFilter(leaf.where)}` : '';
      const span = within(leaf);
      const { did, didNot } = eventPhrases(leaf.event, ctx);
      if (isNone(leaf.op, leaf.count)) return `${didNot}${where}${span}`;
      if (leaf.op === 'at_least' && leaf.count === 1) return `${did}${where}${span}`;
      return `${did}${where} ${times(leaf.op, leaf.count)}${span}`;
    }
    case 'event_last': {
      const { did, last } = eventPhrases(leaf.event, ctx);
      return leaf.op === 'within'
        ? `${did} in the last ${lastSpan(leaf.duration)}${byPerson(leaf)}`
        : `${last} more than ${spanOf(leaf.duration)} ago${leaf.includeNever ? `, or never and joined more than ${spanOf(leaf.duration)} ago` : ''}${byPerson(leaf)}`;
    }
    case 'event_aggregate':
      return `${aggregateOf(leaf, ctx)}${within(leaf)} ${COMPARE[leaf.op]} ${leaf.value}`;
    case 'email': {
      const [past, negative] = EMAIL_VERBS[leaf.action];
      const what = leaf.templateId ? quoted(templateName(ctx, leaf.templateId)) : 'any email';
      const span = within(leaf) + byPerson(leaf);
      if (isNone(leaf.op, leaf.count)) return `${negative} ${what}${span}`;
      if (leaf.op === 'at_least' && leaf.count === 1) return `${past} ${what}${span}`;
      if (!leaf.templateId) {
        const bound = leaf.op === 'exactly' ? 'exactly' : leaf.op.replace('_', ' ');
        return `${past} ${bound} ${leaf.count} email${leaf.count === 1 ? '' : 's'}${span}`;
      }
      return `${past} ${what} ${times(leaf.op, leaf.count)}${span}`;
    }
    default:
      return assertNever(leaf);
  }
}

/** A condition as the phrase after "If": "clicked any email in the last 15 days". */
export function describeCondition(condition: Condition, ctx: DescribeContext = {}): string {
  switch (condition.kind) {
    case 'all':
    case 'any':
      return group(condition.conditions, condition.kind, (c) => describeCondition(c, ctx));
    case 'not':
      return `not (${describeCondition(condition.condition, ctx)})`;
    case 'property':
    case 'tag':
    case 'score':
    case 'segment':
    case 'event_count':
    case 'event_last':
    case 'event_aggregate':
    case 'email':
      return describeLeaf(condition, ctx);
    default:
      return assertNever(condition);
  }
}
