import {
  canBeMachine,
  Condition,
  EmailAction,
  eventCanBeMachine,
  type CompareOp,
  type CountOp,
} from '@relance/flow';

// The condition builder's view of the shared condition language: groups with a mode, leaves
// with defaults, and property operators with the kind of value each one takes. Conditions being
// edited may be incomplete, so they are handled as loose records here and checked by zod.

export type Loose = Record<string, unknown>;

/** What a condition is about: a contact (flows, segments) or an event's properties (filters). */
export interface ConditionScope {
  kind: 'contact' | 'event';
  /** For event filters: the event whose properties are offered. */
  event?: string | undefined;
}
export type GroupMode = 'all' | 'any' | 'none';

export interface GroupView {
  mode: GroupMode;
  items: Loose[];
  /** The dotted path of item `i`, relative to the group. */
  itemPath: (i: number) => string;
}

/** A config value shown in a text input: strings and numbers as written, anything else empty. */
export function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

export function isGroup(condition: Loose): boolean {
  return condition.kind === 'all' || condition.kind === 'any' || condition.kind === 'not';
}

function list(value: unknown): Loose[] {
  return Array.isArray(value) ? (value as Loose[]) : [];
}

/** all / any as they are; not(any(…)) as "none of"; any other not(x) as "none of [x]". */
export function asGroup(condition: Loose): GroupView {
  if (condition.kind === 'all' || condition.kind === 'any') {
    return {
      mode: condition.kind,
      items: list(condition.conditions),
      itemPath: (i) => `conditions.${i}`,
    };
  }
  if (condition.kind === 'not') {
    const inner = (condition.condition ?? {}) as Loose;
    if (inner.kind === 'any') {
      return {
        mode: 'none',
        items: list(inner.conditions),
        itemPath: (i) => `condition.conditions.${i}`,
      };
    }
    return { mode: 'none', items: [inner], itemPath: () => 'condition' };
  }
  // A lone leaf at the root reads as a group of one.
  return { mode: 'all', items: [condition], itemPath: () => '' };
}

export function fromGroup(mode: GroupMode, items: Loose[]): Loose {
  if (mode === 'none') return { kind: 'not', condition: { kind: 'any', conditions: items } };
  return { kind: mode, conditions: items };
}

export const LEAF_KINDS = [
  { kind: 'property', label: 'Property' },
  { kind: 'event_last', label: 'Last time they did something' },
  { kind: 'event_count', label: 'How often they did something' },
  { kind: 'email', label: 'Email engagement' },
  { kind: 'segment', label: 'Segment membership' },
  { kind: 'tag', label: 'Tag' },
  { kind: 'score', label: 'Lead score' },
  { kind: 'event_aggregate', label: 'Total or average of an event value' },
] as const;
export type LeafKind = (typeof LEAF_KINDS)[number]['kind'];

/** A new leaf of `kind`, filled in as far as sensible defaults go. */
export function defaultLeaf(kind: LeafKind): Loose {
  switch (kind) {
    case 'property':
      return { kind, property: '', op: 'eq', value: '' };
    case 'tag':
      return { kind, op: 'has', tag: '' };
    case 'score':
      return { kind, op: 'gte', value: 50 };
    case 'segment':
      return { kind, op: 'in', segmentId: '' };
    case 'event_count':
      return { kind, event: '', op: 'at_least', count: 1, within: '30d' };
    case 'event_last':
      return { kind, event: '', op: 'more_than', duration: '15d', includeNever: true };
    case 'event_aggregate':
      return { kind, event: '', property: '', fn: 'sum', op: 'gt', value: 0, within: '1y' };
    case 'email':
      return { kind, action: 'opened', op: 'at_least', count: 1, within: '30d' };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** What a property operator compares against. */
export type ValueShape = 'text' | 'number' | 'list' | 'none' | 'date' | 'duration' | 'days';

export const PROPERTY_OPS: { op: string; label: string; shape: ValueShape }[] = [
  { op: 'eq', label: 'is', shape: 'text' },
  { op: 'neq', label: 'is not', shape: 'text' },
  { op: 'gt', label: 'is more than', shape: 'number' },
  { op: 'gte', label: 'is at least', shape: 'number' },
  { op: 'lt', label: 'is less than', shape: 'number' },
  { op: 'lte', label: 'is at most', shape: 'number' },
  { op: 'contains', label: 'contains', shape: 'text' },
  { op: 'not_contains', label: 'does not contain', shape: 'text' },
  { op: 'starts_with', label: 'starts with', shape: 'text' },
  { op: 'in', label: 'is one of', shape: 'list' },
  { op: 'not_in', label: 'is none of', shape: 'list' },
  { op: 'exists', label: 'is set', shape: 'none' },
  { op: 'not_exists', label: 'is not set', shape: 'none' },
  { op: 'before', label: 'is before', shape: 'date' },
  { op: 'after', label: 'is after', shape: 'date' },
  { op: 'within_last', label: 'is within the last', shape: 'duration' },
  { op: 'within_next', label: 'is within the next', shape: 'duration' },
  { op: 'more_than_ago', label: 'is more than … ago', shape: 'duration' },
  // Yearly dates (birthdays, signup anniversaries): any day up to N days ahead, or that one day.
  { op: 'anniversary_within', label: 'is in the next … days', shape: 'days' },
  { op: 'anniversary_in', label: 'is exactly … days away', shape: 'days' },
];

export function shapeOf(op: unknown): ValueShape {
  return PROPERTY_OPS.find((o) => o.op === op)?.shape ?? 'text';
}

/** Changes a property comparison's operator, keeping the value when it still fits. */
export function withPropertyOp(condition: Loose, op: string): Loose {
  const { kind, property } = condition;
  const before = shapeOf(condition.op);
  const after = shapeOf(op);
  const base: Loose = { kind, property, op };
  if (after === 'none') return base;
  if (after === 'days')
    return { ...base, days: typeof condition.days === 'number' ? condition.days : 7 };
  if (before === after) return { ...base, value: condition.value };
  switch (after) {
    case 'number': {
      const n = Number(condition.value);
      return { ...base, value: condition.value !== '' && Number.isFinite(n) ? n : 0 };
    }
    case 'list':
      return {
        ...base,
        value: condition.value === undefined || condition.value === '' ? [] : [condition.value],
      };
    case 'duration':
      return { ...base, value: '30d' };
    case 'date':
      return { ...base, value: '' };
    case 'text':
      return {
        ...base,
        value: Array.isArray(condition.value)
          ? String(condition.value[0] ?? '')
          : text(condition.value),
      };
    default: {
      const never: never = after;
      return never;
    }
  }
}

export const COMPARE_OPS: { op: CompareOp; label: string }[] = [
  { op: 'gte', label: 'at least' },
  { op: 'gt', label: 'more than' },
  { op: 'eq', label: 'exactly' },
  { op: 'neq', label: 'not' },
  { op: 'lte', label: 'at most' },
  { op: 'lt', label: 'less than' },
];

export const COUNT_OPS: { op: CountOp; label: string }[] = [
  { op: 'at_least', label: 'at least' },
  { op: 'at_most', label: 'at most' },
  { op: 'exactly', label: 'exactly' },
];

/** Whether an email leaf's action can be a machine's (opens, clicks): only then may it count people only. */
export function countsMachines(action: unknown): boolean {
  const parsed = EmailAction.safeParse(action);
  return parsed.success && canBeMachine(parsed.data);
}

/**
 * The opens or clicks a leaf is about, which machines can make, so that it may count a person's
 * only: an email leaf's action, or "last time they did" email.opened / email.clicked.
 */
export function machineAction(condition: Loose): 'opened' | 'clicked' | undefined {
  const action =
    condition.kind === 'email'
      ? condition.action
      : condition.kind === 'event_last' && typeof condition.event === 'string'
        ? eventCanBeMachine(condition.event)
          ? condition.event.slice('email.'.length)
          : undefined
        : undefined;
  return action === 'opened' || action === 'clicked' ? action : undefined;
}

/** Changes an email leaf's action; "by a person only" goes with an action machines do not make. */
export function withEmailAction(condition: Loose, action: string): Loose {
  const next: Loose = { ...condition, action };
  if (!countsMachines(action)) delete next.humanOnly;
  return next;
}

/** Changes an event leaf's event; "by a person only" goes with an event machines do not make. */
export function withEvent(condition: Loose, event: string): Loose {
  const next: Loose = { ...condition, event };
  if (machineAction(next) === undefined) delete next.humanOnly;
  return next;
}

/**
 * Turns "only count opens/clicks by a person" on or off. Off removes the field rather than
 * storing `false`, so a rule reads as it did before the option existed.
 */
export function withHumanOnly(condition: Loose, humanOnly: boolean): Loose {
  const next: Loose = { ...condition, humanOnly: true };
  if (!humanOnly) delete next.humanOnly;
  return next;
}

/**
 * The finished part of a condition being edited, and how many of its conditions are not finished
 * yet (no event chosen, no value), so the sentence can read what is there instead of vanishing
 * while one condition is being filled in.
 */
export function finishedPart(condition: Loose): {
  finished: Condition | null;
  unfinished: number;
} {
  const whole = Condition.safeParse(condition);
  if (whole.success) return { finished: whole.data, unfinished: 0 };
  if (condition.kind === 'all' || condition.kind === 'any') {
    const kept: Condition[] = [];
    let unfinished = 0;
    for (const item of list(condition.conditions)) {
      const part = finishedPart(item);
      unfinished += part.unfinished;
      if (part.finished) kept.push(part.finished);
    }
    const finished: Condition | null =
      kept.length === 0
        ? null
        : kept.length === 1
          ? kept[0]!
          : { kind: condition.kind, conditions: kept };
    return { finished, unfinished };
  }
  if (condition.kind === 'not') {
    const part = finishedPart((condition.condition ?? {}) as Loose);
    return {
      finished: part.finished && { kind: 'not', condition: part.finished },
      unfinished: part.unfinished,
    };
  }
  return { finished: null, unfinished: 1 };
}
