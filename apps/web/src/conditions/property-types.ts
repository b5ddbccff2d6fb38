import { PROPERTY_OPS, shapeOf, text, withPropertyOp, type Loose } from './condition-model';

// A property comparison follows the property's registered type (GET /api/properties): which
// comparisons make sense for it, and which input its value is typed in. A property the registry
// does not know yet (typed by hand before its first event) keeps every comparison and text input.

export type PropertyType = 'string' | 'number' | 'boolean' | 'date' | 'array' | 'object';

/** The registry's types, as a marketer reads them. */
export const TYPE_LABELS: Record<PropertyType, string> = {
  string: 'Text',
  number: 'Number',
  boolean: 'Yes / no',
  date: 'Date',
  array: 'List',
  object: 'Group of values',
};

const PRESENCE = ['exists', 'not_exists'];

/** The comparisons offered for each type, in the order the menu lists them. */
const OPS_BY_TYPE: Record<PropertyType, readonly string[]> = {
  string: ['eq', 'neq', 'contains', 'not_contains', 'starts_with', 'in', 'not_in', ...PRESENCE],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', ...PRESENCE],
  boolean: ['eq', 'neq', ...PRESENCE],
  date: [
    'before',
    'after',
    'within_last',
    'within_next',
    'more_than_ago',
    'anniversary_within',
    'anniversary_in',
    ...PRESENCE,
  ],
  // Lists (interests, categories) match when one of their elements does.
  array: ['contains', 'not_contains', 'in', 'not_in', ...PRESENCE],
  object: PRESENCE,
};

// Contact fields every workspace has, typed even before the registry has seen them.
const BUILTIN_TYPES: Record<string, PropertyType> = {
  $email: 'string',
  $external_id: 'string',
  $created_at: 'date',
  $timezone: 'string',
  $lifecycle_stage: 'string',
  $score: 'number',
};

/**
 * The registered type of `property` (a contact's, or an event's when `contact` is false), or
 * undefined when nothing is known about it.
 */
export function typeOfProperty(
  property: string,
  known: readonly { name: string; type: PropertyType }[],
  { contact }: { contact: boolean },
): PropertyType | undefined {
  const registered = known.find((p) => p.name === property)?.type;
  return registered ?? (contact ? BUILTIN_TYPES[property] : undefined);
}

/** The comparisons that make sense for a property of `type` (all of them for an unknown one). */
export function opsForType(type: PropertyType | undefined): typeof PROPERTY_OPS {
  if (type === undefined) return PROPERTY_OPS;
  const allowed = OPS_BY_TYPE[type];
  return allowed.map((op) => PROPERTY_OPS.find((o) => o.op === op)!);
}

/** The input a comparison's value is typed in. */
export type ValueInput =
  'text' | 'number' | 'boolean' | 'chips' | 'date' | 'duration' | 'days' | 'none';

export function inputFor(type: PropertyType | undefined, op: unknown): ValueInput {
  const shape = shapeOf(op);
  switch (shape) {
    case 'text':
      if (type === 'number') return 'number';
      if (type === 'boolean') return 'boolean';
      return 'text';
    case 'list':
      return 'chips';
    case 'number':
    case 'date':
    case 'duration':
    case 'days':
    case 'none':
      return shape;
    default: {
      const never: never = shape;
      return never;
    }
  }
}

/** Whether `value` can stand as the value of a comparison typed in `input`. */
function fits(input: ValueInput, value: unknown, type: PropertyType | undefined): boolean {
  switch (input) {
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'text':
      return typeof value === 'string';
    case 'chips':
      return (
        Array.isArray(value) &&
        (type !== 'number' || value.every((v: unknown) => typeof v === 'number'))
      );
    case 'date':
    case 'duration':
      return typeof value === 'string';
    case 'days':
    case 'none':
      return true;
    default: {
      const never: never = input;
      return never;
    }
  }
}

/** An empty value of the right kind for `input`. */
function emptyValueFor(input: ValueInput): unknown {
  switch (input) {
    case 'number':
      return 0;
    case 'boolean':
      return true;
    case 'chips':
      return [];
    case 'duration':
      return '30d';
    case 'text':
    case 'date':
      return '';
    case 'days':
    case 'none':
      return undefined;
    default: {
      const never: never = input;
      return never;
    }
  }
}

// "a number", "a yes / no value": the type as the object of a sentence.
const KIND_PHRASES: Record<PropertyType, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'a yes / no value',
  date: 'a date',
  array: 'a list',
  object: 'a group of values',
};
const kindOf = (type: PropertyType) => KIND_PHRASES[type];

const labelOf = (op: unknown) => PROPERTY_OPS.find((o) => o.op === op)?.label ?? String(op);

/**
 * Makes a comparison fit a property of `type` after the property changed: an operator the type
 * does not offer becomes the type's first one and a value of the wrong kind is cleared, with a
 * note saying what changed so the marketer is not surprised. Unchanged when it already fits.
 */
export function fitToType(
  condition: Loose,
  type: PropertyType | undefined,
): { condition: Loose; note: string | null } {
  if (type === undefined) return { condition, note: null };
  const notes: string[] = [];
  let next = condition;
  const ops = opsForType(type);
  if (!ops.some((o) => o.op === condition.op)) {
    const op = ops[0]!.op;
    notes.push(
      `“${labelOf(condition.op)}” does not apply to ${kindOf(type)}: changed to “${labelOf(op)}”.`,
    );
    next = withPropertyOp(condition, op);
  }
  const input = inputFor(type, next.op);
  if (input !== 'days' && input !== 'none' && !fits(input, next.value, type)) {
    const had = Array.isArray(next.value) ? next.value.join(', ') : text(next.value);
    if (had !== '') notes.push(`“${had}” is not ${kindOf(type)}: value reset.`);
    next = { ...next, value: emptyValueFor(input) };
  }
  return { condition: next, note: notes.length > 0 ? notes.join(' ') : null };
}

/** A value typed into the chip input, as the property's type reads it (null if it cannot). */
export function chipValue(typed: string, type: PropertyType | undefined): string | number | null {
  const trimmed = typed.trim();
  if (trimmed === '') return null;
  if (type === 'number') {
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : null;
  }
  // A property of unknown type keeps what was typed: "02139" stays a zip code. Segments match
  // text that reads as a number against numbers stored as numbers, so 3 still matches 3.
  return trimmed;
}

/**
 * What a marketer may not expect of a comparison as it stands, said under it: a group (address)
 * is compared by one of its values (address.country); an empty text looks for an empty value, not for contacts without one; a date of the past such as a birthday
 * is never "within the next" days; an anniversary "exactly N days away" is the one day, not the
 * days up to it, which "is in the next N days" finds.
 */
export function comparisonHint(condition: Loose, type: PropertyType | undefined): string | null {
  const property = text(condition.property).trim() || 'property';
  const { op } = condition;
  if (type === 'object') {
    // Segment's identify sends address as a group: { city, country, postalCode, state, street }.
    const example = property === 'address' ? 'address.country' : `${property}.name`;
    return `“${property}” holds a group of values: to compare one of them, write its name after a dot, such as ${example}.`;
  }
  if (shapeOf(op) === 'text' && type !== 'number' && type !== 'boolean' && condition.value === '') {
    const instead =
      op === 'eq'
        ? ` For contacts without a ${property}, choose “is not set”.`
        : op === 'neq'
          ? ` For contacts with any ${property}, choose “is set”.`
          : '';
    return `Type the value to compare with: as it is, this looks for an empty ${property}.${instead}`;
  }
  if (op === 'within_next') {
    return `Only dates still ahead, such as a renewal or a trial’s end, are within the next days. For a birthday or a signup date coming round again, choose “is in the next … days”.`;
  }
  if (op === 'anniversary_in' && typeof condition.days === 'number' && condition.days > 0) {
    const n = condition.days;
    return `The one day ${n} day${n === 1 ? '' : 's'} from today, in each contact’s time zone: not the days before it. For any day from today to then, choose “is in the next … days”.`;
  }
  if (op === 'anniversary_within' && typeof condition.days === 'number' && condition.days > 0) {
    const n = condition.days;
    return `Any day from today to ${n} day${n === 1 ? '' : 's'} from today, both included, in each contact’s time zone, every year.`;
  }
  return null;
}
