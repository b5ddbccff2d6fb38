import { z } from 'zod';
import { assertNever } from './assert-never';
import { Duration } from './duration';

export { assertNever };

/**
 * One condition language for flows (logic.condition, wait.condition, goals, exits) and
 * dynamic segments. A flow condition is evaluated for one contact; a segment rule is the same
 * tree evaluated over the whole base (packages/segments compiles it to SQL).
 */

export const CompareOp = z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']);
export type CompareOp = z.infer<typeof CompareOp>;

export const CountOp = z.enum(['at_least', 'at_most', 'exactly']);
export type CountOp = z.infer<typeof CountOp>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
export type Scalar = z.infer<typeof Scalar>;

/**
 * A property path: `plan`, `address.city` (dots walk into nested objects) or a built-in contact
 * field prefixed with `$`: `$email`, `$external_id`, `$created_at`, `$timezone`,
 * `$lifecycle_stage`, `$score`.
 */
export const PropertyPath = z
  .string()
  .trim()
  // An empty name is only to be chosen: how names are written is said once something is typed.
  .min(1, { message: 'Choose a property', abort: true })
  .max(200)
  .regex(
    /^\$?[A-Za-z_][\w-]*(\.[\w-]+)*$/,
    'Property names use letters, digits, _ and - (dots for nested fields)',
  );
export type PropertyPath = z.infer<typeof PropertyPath>;

export const BUILTIN_FIELDS = [
  '$email',
  '$external_id',
  '$created_at',
  '$timezone',
  '$lifecycle_stage',
  '$score',
] as const;

/** The built-in contact fields as a marketer reads them, wherever a screen names them. */
export const BUILTIN_FIELD_LABELS: Record<(typeof BUILTIN_FIELDS)[number], string> = {
  $email: 'Email',
  $external_id: 'External id',
  $created_at: 'Date added',
  $timezone: 'Time zone',
  $lifecycle_stage: 'Lifecycle stage',
  $score: 'Score',
};

/** A contact property's name as shown: the label of a built-in field, any other as it is named. */
export function contactPropertyLabel(path: string): string {
  return Object.hasOwn(BUILTIN_FIELD_LABELS, path)
    ? BUILTIN_FIELD_LABELS[path as keyof typeof BUILTIN_FIELD_LABELS]
    : path;
}

/** A comparison on one property of a contact (or of an event, inside `where`). */
export const PropertyCondition = z.discriminatedUnion('op', [
  z.object({ kind: z.literal('property'), property: PropertyPath, op: CompareOp, value: Scalar }),
  z.object({
    kind: z.literal('property'),
    property: PropertyPath,
    op: z.enum(['contains', 'not_contains', 'starts_with']),
    value: z.string(),
  }),
  z.object({
    kind: z.literal('property'),
    property: PropertyPath,
    op: z.enum(['in', 'not_in']),
    value: z.array(Scalar).min(1, 'Add at least one value'),
  }),
  z.object({
    kind: z.literal('property'),
    property: PropertyPath,
    op: z.enum(['exists', 'not_exists']),
  }),
  // Dates: absolute (ISO date or date-time) comparisons …
  z.object({
    kind: z.literal('property'),
    property: PropertyPath,
    op: z.enum(['before', 'after']),
    value: z.iso.datetime({ offset: true }).or(z.iso.date()),
  }),
  // … relative windows around now ("signed up within the last 30d", "renews within the next 7d") …
  z.object({
    kind: z.literal('property'),
    property: PropertyPath,
    op: z.enum(['within_last', 'within_next', 'more_than_ago']),
    value: Duration,
  }),
  // … and yearly anniversaries (birthdays, signup anniversaries), in the contact's time zone:
  // exactly N days from today (`anniversary_in`), or on any day from today to today + N
  // (`anniversary_within`, "birthday in the next 7 days"); 0 means today.
  z.object({
    kind: z.literal('property'),
    property: PropertyPath,
    op: z.enum(['anniversary_in', 'anniversary_within']),
    days: z.number().int().min(0).max(366),
  }),
]);
export type PropertyCondition = z.infer<typeof PropertyCondition>;

/** A filter over event properties: nested all/any/not of property comparisons. */
export type EventFilter =
  | PropertyCondition
  | { kind: 'all'; conditions: EventFilter[] }
  | { kind: 'any'; conditions: EventFilter[] }
  | { kind: 'not'; condition: EventFilter };
export const EventFilter: z.ZodType<EventFilter> = z.lazy(() =>
  z.union([
    PropertyCondition,
    z.object({ kind: z.literal('all'), conditions: z.array(EventFilter) }),
    z.object({ kind: z.literal('any'), conditions: z.array(EventFilter) }),
    z.object({ kind: z.literal('not'), condition: EventFilter }),
  ]),
);

export const EventName = z
  .string()
  .trim()
  .min(1, 'Choose an event')
  .max(200, 'Event names are at most 200 characters');

export const EMAIL_ACTIONS = [
  'sent',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'complained',
  'unsubscribed',
] as const;
export const EmailAction = z.enum(EMAIL_ACTIONS);
export type EmailAction = z.infer<typeof EmailAction>;

/**
 * Whether an email action can be a machine's rather than a person's (the tracking routes flag
 * Apple's privacy proxy and link scanners on opens and clicks only), so `humanOnly` applies.
 */
export function canBeMachine(action: EmailAction): action is 'opened' | 'clicked' {
  return action === 'opened' || action === 'clicked';
}

/** The events a machine can make (see {@link canBeMachine}): `email.opened` and `email.clicked`. */
export const MACHINE_EVENTS = ['email.opened', 'email.clicked'] as const;

/** Whether an event can be a machine's, so that `humanOnly` applies to "last performed" it. */
export function eventCanBeMachine(event: string): event is (typeof MACHINE_EVENTS)[number] {
  return (MACHINE_EVENTS as readonly string[]).includes(event);
}

/**
 * "since they entered the journey": counts only the events recorded after the run's entry (its
 * trigger event, for an event trigger; whatever the contact had done before, otherwise), as a
 * wait for an event does. Journey conditions only (if/else, switch, waits, exits, goals): a
 * segment has no entry, and its rule is refused naming the field.
 */
const SinceEntry = z.literal(true, { error: 'Since entry is true or left out' }).optional();

function oneWindow(leaf: { within?: string | undefined; sinceEntry?: true | undefined }) {
  return leaf.within === undefined || leaf.sinceEntry === undefined;
}
const ONE_WINDOW = {
  path: ['sinceEntry'],
  message: 'Choose a time window or "since they entered the journey", not both',
};

const Leaf = z.union([
  PropertyCondition,
  z.object({
    kind: z.literal('tag'),
    op: z.enum(['has', 'lacks']),
    tag: z.string().trim().min(1, 'Choose a tag'),
  }),
  z.object({ kind: z.literal('score'), op: CompareOp, value: z.number() }),
  z.object({
    kind: z.literal('segment'),
    op: z.enum(['in', 'not_in']),
    segmentId: z.string().min(1, 'Choose a segment'),
  }),
  // "performed E [where …] at least / at most / exactly N times [within D | since they entered
  // the journey | ever]"; zero allowed.
  z
    .object({
      kind: z.literal('event_count'),
      event: EventName,
      where: EventFilter.optional(),
      op: CountOp,
      count: z.number().int().min(0),
      within: Duration.optional(),
      sinceEntry: SinceEntry,
    })
    .refine(oneWindow, ONE_WINDOW),
  // "last performed E more than D ago / within D". For `more_than`, a contact who never
  // performed E counts from when they became a contact (no click for 15 days includes someone
  // who joined 20 days ago and never clicked), unless `includeNever` is false. `humanOnly`
  // (email.opened and email.clicked only) leaves out the events flagged as a machine's, as on
  // the email leaf: a link scanner clicking on delivery does not make a contact active.
  z
    .object({
      kind: z.literal('event_last'),
      event: EventName,
      op: z.enum(['more_than', 'within']),
      duration: Duration,
      includeNever: z.boolean().default(true),
      humanOnly: z.boolean().optional(),
    })
    .refine((leaf) => leaf.humanOnly !== true || eventCanBeMachine(leaf.event), {
      path: ['humanOnly'],
      message:
        'Only email.opened and email.clicked can leave out machines: turn this off for other events',
    }),
  // "spent more than 500 in the last year": sum of order.completed.amount within 1y.
  z
    .object({
      kind: z.literal('event_aggregate'),
      event: EventName,
      property: PropertyPath,
      fn: z.enum(['sum', 'avg', 'min', 'max']),
      op: CompareOp,
      value: z.number(),
      within: Duration.optional(),
      sinceEntry: SinceEntry,
    })
    .refine(oneWindow, ONE_WINDOW),
  // Email engagement, optionally for one template: "opened at least 3 emails in 30 days".
  // `humanOnly` leaves out the opens and clicks flagged as a machine's (Apple Mail Privacy
  // Protection's proxy, link scanners: `machine: true` on the event). Absent, they count, as
  // they always have, so stored rules keep their meaning.
  z
    .object({
      kind: z.literal('email'),
      action: EmailAction,
      templateId: z.string().optional(),
      op: CountOp,
      count: z.number().int().min(0),
      within: Duration.optional(),
      sinceEntry: SinceEntry,
      humanOnly: z.boolean().optional(),
    })
    .refine(oneWindow, ONE_WINDOW)
    .refine((leaf) => leaf.humanOnly !== true || canBeMachine(leaf.action), {
      path: ['humanOnly'],
      message: 'Only opens and clicks can leave out machines: turn this off for other actions',
    }),
]);
export type ConditionLeaf = z.infer<typeof Leaf>;

export type Condition =
  | ConditionLeaf
  | { kind: 'all'; conditions: Condition[] }
  | { kind: 'any'; conditions: Condition[] }
  | { kind: 'not'; condition: Condition };

/** A condition tree: nested all/any/not over contact facts, event history and segments. */
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    Leaf,
    z.object({
      kind: z.literal('all'),
      conditions: z.array(Condition).min(1, 'Add at least one condition'),
    }),
    z.object({
      kind: z.literal('any'),
      conditions: z.array(Condition).min(1, 'Add at least one condition'),
    }),
    z.object({ kind: z.literal('not'), condition: Condition }),
  ]),
);

/** Every segment id a condition refers to (for validation, cycle checks and signal routing). */
export function segmentsOf(condition: Condition): string[] {
  switch (condition.kind) {
    case 'all':
    case 'any':
      return condition.conditions.flatMap(segmentsOf);
    case 'not':
      return segmentsOf(condition.condition);
    case 'segment':
      return [condition.segmentId];
    case 'property':
    case 'tag':
    case 'score':
    case 'event_count':
    case 'event_last':
    case 'event_aggregate':
    case 'email':
      return [];
    default:
      return assertNever(condition);
  }
}

/** A comparison whose answer changes as time passes alone: a date relative to now, an anniversary. */
export type TimedComparison = Extract<
  PropertyCondition,
  { op: 'within_last' | 'within_next' | 'more_than_ago' | 'anniversary_in' | 'anniversary_within' }
>;

/**
 * Whether a property comparison can change answer with no new data, as time passes (the segment
 * tick and a waiting run look again for these); comparisons with fixed values cannot.
 */
export function isTimedComparison(condition: PropertyCondition): condition is TimedComparison {
  switch (condition.op) {
    case 'within_last':
    case 'within_next':
    case 'more_than_ago':
    case 'anniversary_in':
    case 'anniversary_within':
      return true;
    case 'eq':
    case 'neq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
    case 'contains':
    case 'not_contains':
    case 'starts_with':
    case 'in':
    case 'not_in':
    case 'exists':
    case 'not_exists':
    case 'before':
    case 'after':
      return false;
    default:
      return assertNever(condition);
  }
}

/** Every event name a condition depends on (so runs can be signalled when one arrives). */
export function eventsOf(condition: Condition): string[] {
  switch (condition.kind) {
    case 'all':
    case 'any':
      return condition.conditions.flatMap(eventsOf);
    case 'not':
      return eventsOf(condition.condition);
    case 'event_count':
    case 'event_last':
    case 'event_aggregate':
      return [condition.event];
    case 'email':
      // A click counts as an open (images may have been blocked), as segments and reports count.
      return condition.action === 'opened'
        ? ['email.opened', 'email.clicked']
        : [`email.${condition.action}`];
    case 'property':
    case 'tag':
    case 'score':
    case 'segment':
      return [];
    default:
      return assertNever(condition);
  }
}
