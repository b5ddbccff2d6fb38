import { z } from 'zod';
import { Condition } from '@relance/flow';

/** The kinds a condition can have, in the order a developer meets them in the docs. */
const KINDS = [
  'all',
  'any',
  'not',
  'property',
  'tag',
  'score',
  'segment',
  'event_count',
  'event_last',
  'event_aggregate',
  'email',
] as const;

interface RawIssue {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  errors?: readonly (readonly RawIssue[])[];
  values?: readonly unknown[];
  options?: readonly unknown[];
  expected?: string;
  input?: unknown;
  note?: string;
  format?: string;
}

interface Found {
  path: PropertyKey[];
  message: string;
}

const EXAMPLE = '{ "kind": "tag", "op": "has", "tag": "vip" }';

const list = (values: readonly unknown[]) => values.map((v) => String(v)).join(', ');

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true/false',
  array: 'a list',
  object: 'an object',
};

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (at, key) =>
      typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined,
    value,
  );
}

/** The kinds a union's branches take (a `where` filter: property, all, any, not). */
function kindsOf(branches: readonly (readonly RawIssue[])[]): string[] {
  const kinds = branches.flatMap((b) =>
    b.flatMap((i): string[] => {
      if (i.code === 'invalid_value' && i.path.length === 1 && i.path[0] === 'kind') {
        return (i.values ?? []).map(String);
      }
      if (i.note === 'No matching discriminator') return ['property'];
      if (i.code === 'invalid_union' && i.path.length === 0 && i.errors) return kindsOf(i.errors);
      return [];
    }),
  );
  return [...new Set(kinds)];
}

/** zod's own words ("Invalid input: expected string, received undefined") in plain words. */
function plain(issue: RawIssue): string {
  if (issue.note === 'No matching discriminator' && issue.options) {
    return `Choose one of ${list(issue.options)}`;
  }
  if (issue.code === 'invalid_value' && issue.values) return `Choose one of ${list(issue.values)}`;
  if (issue.code === 'invalid_format' && (issue.format === 'datetime' || issue.format === 'date')) {
    return 'Send a date, such as 2025-06-15, or a date and time, such as 2025-06-15T09:30:00Z';
  }
  if (issue.code === 'invalid_type' && issue.expected) {
    const want = TYPE_WORDS[issue.expected] ?? issue.expected;
    return issue.message.endsWith('received undefined') ? `Missing: send ${want}` : `Send ${want}`;
  }
  return issue.message;
}

/** Whether a union's branch was written for another kind (or, for property, no property op). */
function otherKind(branch: readonly RawIssue[], kind: unknown): boolean {
  return branch.some(
    (i) =>
      (i.code === 'invalid_value' && i.path.length === 1 && i.path[0] === 'kind') ||
      (kind !== 'property' && i.note === 'No matching discriminator'),
  );
}

/**
 * The issues of the branch of zod's unions meant for the value's kind, instead of zod's
 * "Invalid input" for the union as a whole: `{ kind: "tag" }` is missing `op` and `tag`.
 */
function flatten(issues: readonly RawIssue[], base: PropertyKey[], value: unknown): Found[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
      // The value the union was checking: a `where` filter's kind is its own, not the leaf's.
      const here = valueAt(value, issue.path);
      const kind =
        typeof here === 'object' && here !== null ? (here as { kind?: unknown }).kind : undefined;
      const branches = issue.errors.filter((b) => !otherKind(b, kind));
      // A value of several types (text, a number or true/false) fails every branch alike.
      if (
        branches.length === 0 ||
        branches.every((b) => b.every((i) => i.path.length === 0 && i.code === 'invalid_type'))
      ) {
        const wanted = issue.errors.flatMap((b) =>
          b.filter((i) => i.code === 'invalid_type' && i.expected).map((i) => i.expected!),
        );
        if (wanted.length === issue.errors.length) {
          return [
            {
              path,
              message: `Send ${list(wanted.map((w) => TYPE_WORDS[w] ?? w)).replace(/, ([^,]*)$/, ' or $1')}`,
            },
          ];
        }
        const kinds = kindsOf(issue.errors);
        if (branches.length === 0 && kinds.length > 0 && !kinds.includes(kind as string)) {
          return [{ path: [...path, 'kind'], message: `Set kind to one of ${list(kinds)}` }];
        }
        return [{ path, message: plain(issue) }];
      }
      const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
      return flatten(best, path, here);
    }
    return [{ path, message: plain(issue) }];
  });
}

/** Every problem of a rule, each at its path below the rule (`conditions.1.tag`). */
function explain(value: unknown, path: PropertyKey[]): Found[] {
  if (value === undefined || value === null) {
    return [{ path, message: `Send a condition, such as ${EXAMPLE}` }];
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return [{ path, message: `A condition is an object with a kind, such as ${EXAMPLE}` }];
  }
  const node = value as Record<string, unknown>;
  if (!KINDS.includes(node.kind as (typeof KINDS)[number])) {
    return [{ path: [...path, 'kind'], message: `Set kind to one of ${list(KINDS)}` }];
  }
  if (node.kind === 'all' || node.kind === 'any') {
    if (!Array.isArray(node.conditions) || node.conditions.length === 0) {
      return [{ path: [...path, 'conditions'], message: 'Add at least one condition, as a list' }];
    }
    return node.conditions.flatMap((c, i) => explain(c, [...path, 'conditions', i]));
  }
  if (node.kind === 'not') return explain(node.condition, [...path, 'condition']);
  const parsed = Condition.safeParse(value);
  if (parsed.success) return [];
  return flatten(parsed.error.issues, path, value);
}

/**
 * The rule language's `Condition`, whose failures name the field of the condition at fault and
 * say what to send (`rule.conditions.1.tag: Missing: send text`), where the union alone says
 * "Invalid input" for the whole rule.
 */
export const Rule: z.ZodType<Condition, unknown> = z.unknown().transform((value, ctx) => {
  const parsed = Condition.safeParse(value);
  if (parsed.success) return parsed.data;
  const found = explain(value, []);
  const issues = found.length > 0 ? found : toFound(parsed.error.issues);
  for (const issue of issues) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
  return z.NEVER;
});

const toFound = (issues: readonly RawIssue[]): Found[] =>
  issues.map((i) => ({ path: [...i.path], message: plain(i) }));
