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
      /**
       * How text equality treats case: `stored` for a column kept lower-cased (email), compared
       * with the value lower-cased so its index applies; `exact` for identifiers matched as
       * written elsewhere too (external id); otherwise case is ignored, as for properties.
       */
      textCase?: 'stored' | 'exact';
    };

type BuiltinField = (typeof BUILTIN_FIELDS)[number];

function builtin(field: BuiltinField, c: string): Accessor {
  switch (field) {
    case '$email':
      return {
        kind: 'text',
        native: `${c}.email`,
        json: `to_jsonb(${c}.email)`,
        textCase: 'stored',
      };
    case '$external_id':
      return {
        kind: 'text',
        native: `${c}.external_id`,
        json: `to_jsonb(${c}.external_id)`,
        textCase: 'exact',
      };
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

type Scalar = string | number | boolean;

/**
 * "is one of" `values` (and "is", one value), for a jsonb value: strings compare ignoring case
 * (as "contains" does), numbers numerically whichever side is text ("42" is 42: CSV columns,
 * form fields and traits often carry numbers as text), an array when one of its elements does.
 */
function jsonMatchesAny(json: string, values: readonly Scalar[], scope: RuleScope): string {
  const p = scope.params;
  const strings = values.filter((v): v is string => typeof v === 'string');
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const booleans = values.filter((v): v is boolean => typeof v === 'boolean');
  const numericStrings = strings.filter((v) => NUMERIC.test(v)).map(Number);
  // Lower-cased once per statement, not per row (lower() of a parameter is folded; the list's
  // is an init plan).
  const texts =
    strings.length === 0
      ? ''
      : strings.length === 1
        ? `lower(${p.text(strings[0]!)})`
        : `any(array(select lower(v) from unnest(${p.textArray(strings)}) v))`;
  // One value is compared with `=`, several with `= any(…)`.
  const anyOf = (list: number[]) =>
    list.length === 0 ? '' : list.length === 1 ? p.number(list[0]!) : `any(${p.numbers(list)})`;
  const nums = anyOf(numbers);
  const numsOfStrings = anyOf(numericStrings);
  const bools = booleans.length > 0 ? p.json(booleans) : '';
  const one = (el: string) => {
    const tests: string[] = [];
    if (texts) tests.push(`lower(${el} #>> '{}') = ${texts}`);
    // A number typed as a number also matches the same number stored as text.
    if (nums) tests.push(`relance_num(${el}) = ${nums}`);
    // Text typed in that reads as a number matches that number stored as a number.
    if (numsOfStrings) {
      tests.push(`(jsonb_typeof(${el}) = 'number' and (${el})::numeric = ${numsOfStrings})`);
    }
    if (bools) tests.push(`${bools} @> jsonb_build_array(${el})`);
    return tests.length > 0 ? tests.join(' or ') : 'false';
  };
  return `(${one(json)} or (jsonb_typeof(${json}) = 'array'
    and exists (select 1 from jsonb_array_elements(${json}) el where ${one('el')})))`;
}

/** "is one of" for a built-in field (a column of its own type). */
function nativeMatchesAny(
  a: Exclude<Accessor, { kind: 'json' }>,
  values: readonly Scalar[],
  scope: RuleScope,
): string {
  const p = scope.params;
  const kind = a.kind;
  switch (kind) {
    case 'text': {
      const texts = values.map(String);
      if (a.textCase === 'stored') {
        const lowered = texts.map((v) => v.trim().toLowerCase());
        return lowered.length === 1
          ? `${a.native} = ${p.text(lowered[0]!)}`
          : `${a.native} = any(${p.textArray(lowered)})`;
      }
      if (a.textCase === 'exact') {
        return texts.length === 1
          ? `${a.native} = ${p.text(texts[0]!)}`
          : `${a.native} = any(${p.textArray(texts)})`;
      }
      return `lower(${a.native}) = any(array(select lower(v) from unnest(${p.textArray(texts)}) v))`;
    }
    case 'number': {
      const numeric = values
        .filter((v) => typeof v === 'number' || NUMERIC.test(String(v)))
        .map(Number);
      if (numeric.length === 0) return 'false';
      return numeric.length === 1
        ? `${a.native} = ${p.number(numeric[0]!)}`
        : `${a.native} = any(${p.numbers(numeric)})`;
    }
    case 'timestamp': {
      const texts = values.filter((v): v is string => typeof v === 'string');
      if (texts.length === 0) return 'false';
      return `(${texts.map((v) => `${a.native} = relance_parse_ts(${p.text(v)}, ${scope.timezone})`).join(' or ')})`;
    }
    default:
      return assertNever(kind);
  }
}

function matchesAny(a: Accessor, values: readonly Scalar[], scope: RuleScope): string {
  return a.kind === 'json'
    ? jsonMatchesAny(a.json, values, scope)
    : nativeMatchesAny(a, values, scope);
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
  // "less than "100"" from the API is a number: compared as text, "42" < "100" would be false.
  if (NUMERIC.test(value)) {
    const n = numberOf(a);
    return n ? `${n} ${sqlOp} ${p.number(Number(value))}` : 'false';
  }
  if (a.kind === 'number') return 'false';
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
      return matchesAny(a, [condition.value], scope);
    case 'neq':
      return not(matchesAny(a, [condition.value], scope));
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
      return matchesAny(a, condition.value, scope);
    case 'not_in':
      return not(matchesAny(a, condition.value, scope));
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
    case 'anniversary_in':
    case 'anniversary_within': {
      const t = instantOf(a, scope);
      if (!t) return 'false';
      const tz = scope.timezone;
      const since = `(${t} at time zone ${tz})::date`;
      const today = `(${scope.now} at time zone ${tz})::date`;
      const days = p.integer(condition.days);
      if (condition.op === 'anniversary_in') {
        return `relance_is_anniversary(${since}, ${today} + ${days})`;
      }
      // Any day from today to today + N: the date's anniversaries in this year and the next two
      // (a year added to 29 February gives the 28th in other years), each checked as
      // anniversary_in checks its one day.
      return `exists (select from (select ${since} as since, ${today} as today) anniv_from
        cross join generate_series(0, 2) anniv_year(k)
        cross join lateral (select (anniv_from.since + make_interval(years => extract(year from anniv_from.today)::int - extract(year from anniv_from.since)::int + anniv_year.k))::date as day) anniv
        where anniv.day between anniv_from.today and anniv_from.today + ${days}
          and relance_is_anniversary(anniv_from.since, anniv.day))`;
    }
    default:
      return assertNever(condition);
  }
}
