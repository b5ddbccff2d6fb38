import { assertNever, BUILTIN_FIELDS, parseDuration, type PropertyCondition } from '@relance/flow';
import { SegmentRuleError } from './rule-error';
import type { RuleScope } from './scope';

/**
 * How a property is read. Custom properties are jsonb; built-in contact fields are columns with
 * a native type, compared natively so that indexes and exact types apply.
 */
export type Accessor =
  | { kind: 'json'; json: string }
  | {
      kind: 'text' | 'number' | 'timestamp';
      native: string;
      json: string;
      /** Stored lower-cased (email), so compared values are lower-cased too. */
      lowercase?: boolean;
    };

type BuiltinField = (typeof BUILTIN_FIELDS)[number];

function builtin(field: BuiltinField, c: string): Accessor {
  switch (field) {
    case '$email':
      return { kind: 'text', native: `${c}.email`, json: `to_jsonb(${c}.email)`, lowercase: true };
    case '$external_id':
      return { kind: 'text', native: `${c}.external_id`, json: `to_jsonb(${c}.external_id)` };
    case '$timezone':
      return { kind: 'text', native: `${c}.timezone`, json: `to_jsonb(${c}.timezone)` };
    case '$lifecycle_stage':
      return {
        kind: 'text',
        native: `${c}.lifecycle_stage`,
        json: `to_jsonb(${c}.lifecycle_stage)`,
      };
    case '$score':
      return { kind: 'number', native: `${c}.score`, json: `to_jsonb(${c}.score)` };
    case '$created_at':
      return { kind: 'timestamp', native: `${c}.created_at`, json: `to_jsonb(${c}.created_at)` };
    default:
      return assertNever(field);
  }
}

/** Reads `path` from a jsonb column: one key with `->`, nested keys with `#>`. */
function jsonPath(column: string, path: string, scope: RuleScope): string {
  const parts = path.split('.');
  return parts.length === 1
    ? `${column} -> ${scope.params.text(path)}`
    : `${column} #> ${scope.params.textArray(parts)}`;
}

/** A contact property or built-in field (`$email`, `$score`, …). */
export function contactAccessor(path: string, scope: RuleScope, field: string): Accessor {
  if (path.startsWith('$')) {
    if (!(BUILTIN_FIELDS as readonly string[]).includes(path)) {
      throw new SegmentRuleError(
        field,
        `Unknown contact field ${path}: use one of ${BUILTIN_FIELDS.join(', ')} or a property name without $`,
      );
    }
    return builtin(path as BuiltinField, scope.contact);
  }
  return { kind: 'json', json: `(${jsonPath(`${scope.contact}.properties`, path, scope)})` };
}

/** A property of the event row `alias` (inside "performed E where …"). */
export function eventAccessor(
  path: string,
  alias: string,
  scope: RuleScope,
  field: string,
): Accessor {
  if (path.startsWith('$')) {
    throw new SegmentRuleError(field, `Event properties have no built-in field ${path}`);
  }
  return { kind: 'json', json: `(${jsonPath(`${alias}.properties`, path, scope)})` };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?\s*$/;
const SQL_OP = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** The property as an instant: jsonb strings parsed in the contact's time zone. */
function instantOf(a: Accessor, scope: RuleScope): string | null {
  switch (a.kind) {
    case 'json':
      return `relance_ts(${a.json}, ${scope.timezone})`;
    case 'timestamp':
      return a.native;
    case 'text':
      return `relance_parse_ts(${a.native}, ${scope.timezone})`;
    case 'number':
      return null;
    default:
      return assertNever(a);
  }
}

function textOf(a: Accessor): string {
  return a.kind === 'json'
    ? `(case when jsonb_typeof(${a.json}) = 'string' then ${a.json} #>> '{}' end)`
    : `${a.native}::text`;
}

function numberOf(a: Accessor): string | null {
  switch (a.kind) {
    case 'json':
      return `relance_num(${a.json})`;
    case 'number':
      return a.native;
    case 'text':
      return `relance_num(to_jsonb(${a.native}))`;
    case 'timestamp':
      return null;
    default:
      return assertNever(a);
  }
}

/** `value` at the start of the next day, for "after 2024-01-01" meaning from 2 January on. */
function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

function equals(a: Accessor, value: string | number | boolean, scope: RuleScope): string {
  const p = scope.params;
  switch (a.kind) {
    case 'json': {
      const x = p.json(value);
      const same = `(${a.json} = ${x} or ${a.json} @> jsonb_build_array(${x}))`;
      // Numbers also match numeric strings ("42" from a CSV column): a marketer types 42.
      return typeof value === 'number'
        ? `(${same} or relance_num(${a.json}) = ${p.number(value)})`
        : same;
    }
    case 'text': {
      const text = a.lowercase ? String(value).trim().toLowerCase() : String(value);
      return `${a.native} = ${p.text(text)}`;
    }
    case 'number':
      return typeof value === 'number' || NUMERIC.test(String(value))
        ? `${a.native} = ${p.number(Number(value))}`
        : 'false';
    case 'timestamp':
      return typeof value === 'string'
        ? `${a.native} = relance_parse_ts(${p.text(value)}, ${scope.timezone})`
        : 'false';
    default:
      return assertNever(a);
  }
}

function ordered(
  a: Accessor,
  op: 'gt' | 'gte' | 'lt' | 'lte',
  value: string | number | boolean,
  scope: RuleScope,
): string {
  const p = scope.params;
  const sqlOp = SQL_OP[op];
  if (typeof value === 'number') {
    const n = numberOf(a);
    return n ? `${n} ${sqlOp} ${p.number(value)}` : 'false';
  }
  if (typeof value === 'boolean') {
    if (a.kind !== 'json') return 'false';
    return `(case when jsonb_typeof(${a.json}) = 'boolean' then (${a.json})::boolean end) ${sqlOp} ${p.boolean(value)}`;
  }
  if (ISO_DATE.test(value) || ISO_DATE_TIME.test(value)) {
    const t = instantOf(a, scope);
    return t ? `${t} ${sqlOp} relance_parse_ts(${p.text(value)}, ${scope.timezone})` : 'false';
  }
  if (a.kind === 'number') {
    return NUMERIC.test(value) ? `${a.native} ${sqlOp} ${p.number(Number(value))}` : 'false';
  }
  return `${textOf(a)} ${sqlOp} ${p.text(value)}`;
}

function contains(a: Accessor, value: string, prefix: boolean, scope: RuleScope): string {
  const x = `lower(${scope.params.text(value)})`;
  const test = (text: string) =>
    prefix ? `starts_with(lower(${text}), ${x})` : `strpos(lower(${text}), ${x}) > 0`;
  if (a.kind !== 'json') return test(a.native + '::text');
  // Arrays (interests, categories): an element equal to the value, or starting with it.
  const element = prefix ? `starts_with(lower(el), ${x})` : `lower(el) = ${x}`;
  return `(case jsonb_typeof(${a.json})
    when 'string' then ${test(`(${a.json} #>> '{}')`)}
    when 'array' then exists (select 1 from jsonb_array_elements_text(${a.json}) el where ${element})
    else false end)`;
}

function inList(a: Accessor, values: (string | number | boolean)[], scope: RuleScope): string {
  const normalised =
    a.kind !== 'json' && a.lowercase ? values.map((v) => String(v).trim().toLowerCase()) : values;
  const list = scope.params.json(normalised);
  if (a.kind !== 'json') return `${list} @> jsonb_build_array(${a.json})`;
  return `(case when jsonb_typeof(${a.json}) = 'array'
    then exists (select 1 from jsonb_array_elements(${a.json}) el where ${list} @> jsonb_build_array(el))
    else ${list} @> jsonb_build_array(${a.json}) end)`;
}

function present(a: Accessor): string {
  return a.kind === 'json'
    ? `(${a.json} is not null and ${a.json} <> 'null'::jsonb)`
    : `${a.native} is not null`;
}

const not = (expr: string) => `not coalesce(${expr}, false)`;

/**
 * One property comparison. The result may be NULL when the property is missing; callers wrap
 * leaves in coalesce(…, false) so that `not` is always the exact complement.
 */
export function compareProperty(
  condition: PropertyCondition,
  a: Accessor,
  scope: RuleScope,
  field: string,
): string {
  const p = scope.params;
  switch (condition.op) {
    case 'eq':
      return equals(a, condition.value, scope);
    case 'neq':
      return not(equals(a, condition.value, scope));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return ordered(a, condition.op, condition.value, scope);
    case 'contains':
      return contains(a, condition.value, false, scope);
    case 'not_contains':
      return not(contains(a, condition.value, false, scope));
    case 'starts_with':
      return contains(a, condition.value, true, scope);
    case 'in':
      return inList(a, condition.value, scope);
    case 'not_in':
      return not(inList(a, condition.value, scope));
    case 'exists':
      return present(a);
    case 'not_exists':
      return not(present(a));
    case 'before':
    case 'after': {
      const t = instantOf(a, scope);
      if (!t) return 'false';
      const bound =
        condition.op === 'after' && ISO_DATE.test(condition.value)
          ? nextDay(condition.value)
          : condition.value;
      const at = `relance_parse_ts(${p.text(bound)}, ${scope.timezone})`;
      return condition.op === 'before'
        ? `${t} < ${at}`
        : ISO_DATE.test(condition.value)
          ? `${t} >= ${at}`
          : `${t} > ${at}`;
    }
    case 'within_last':
    case 'within_next':
    case 'more_than_ago': {
      const t = instantOf(a, scope);
      if (!t) return 'false';
      const ms = parseDuration(condition.value);
      if (ms === null || ms <= 0) {
        throw new SegmentRuleError(`${field}.value`, `Not a duration: ${condition.value}`);
      }
      const now = scope.now;
      if (condition.op === 'within_last') return `(${t} > ${scope.shift(-ms)} and ${t} <= ${now})`;
      if (condition.op === 'within_next') return `(${t} >= ${now} and ${t} < ${scope.shift(ms)})`;
      return `${t} <= ${scope.shift(-ms)}`;
    }
    case 'anniversary_in': {
      const t = instantOf(a, scope);
      if (!t) return 'false';
      const tz = scope.timezone;
      return `relance_is_anniversary((${t} at time zone ${tz})::date, (${scope.now} at time zone ${tz})::date + ${p.integer(condition.days)})`;
    }
    default:
      return assertNever(condition);
  }
}
