// Zod's issues rewritten for marketers: plain sentences, anchored to the node and field they are
// about. Schemas word their important messages themselves ("This email step has no template");
// `plainMessage` covers the rest as the per-parse error map.

import type { z } from 'zod';
import { listOf } from './common';

/** One problem with a flow, in words a marketer understands. */
export interface FlowProblem {
  /** The node the problem is about, when it is about one. */
  nodeId?: string;
  /**
   * Dotted path of the offending field: relative to the node when `nodeId` is set
   * (`config.templateId`, `ports.timeout` for an unconnected port), else from the document root
   * (`settings.quietHours.end`, `edges.2.to`).
   */
  field?: string;
  message: string;
}

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

// What a missing field is called when the schema did not word it.
const REQUIRED: Record<string, string> = {
  event: 'Choose an event',
  tag: 'Choose a tag',
  segmentId: 'Choose a segment',
  templateId: 'Choose an email template',
  action: 'Choose what the contact did with the email',
  count: 'Enter how many times',
  days: 'Enter a number of days',
  fn: 'Choose total, average, smallest or largest',
  delta: 'Enter how many points to add or remove',
  url: 'Enter the address to call',
  subject: 'Enter a subject',
  property: 'Choose a property',
  condition: 'Set up the condition',
  conditions: 'Add at least one condition',
  duration: 'Enter how long, such as 3 days (3d), 2 hours (2h) or 1 week (1w)',
  timeout: 'Enter the longest time to wait, such as 7d',
  time: 'Enter a time such as 09:00',
  cases: 'Add at least one case',
  branches: 'Add the split branches',
  percent: 'Enter a percentage',
  kind: 'Choose a type',
  op: 'Choose a comparison',
  value: 'Enter a value',
  config: 'This step has no settings yet',
  id: 'Every item needs an id',
  from: 'A connection needs the step it starts from',
  to: 'A connection needs the step it leads to',
  per: 'Enter the period, such as 1w',
  start: 'Enter when quiet hours start, such as 22:00',
  end: 'Enter when quiet hours end, such as 08:00',
};

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of fields',
  record: 'a group of fields',
  null: 'empty',
};

function lastKey(path: readonly PropertyKey[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    if (typeof path[i] === 'string') return path[i] as string;
  }
  return undefined;
}

function humanize(key: string | undefined): string {
  if (!key) return 'This value';
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_.]/g, ' ');
  return `"${words.toLowerCase()}"`;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** Words any zod issue plainly; used as the per-parse error map, so schema wording wins. */
export function plainMessage(issue: RawIssue): string {
  const key = lastKey(issue.path ?? []);
  const field = humanize(key);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return (key && REQUIRED[key]) ?? `Fill in ${field}`;
      return `${field} should be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') {
        return min <= 1 ? `Fill in ${field}` : `${field} needs at least ${min} characters`;
      }
      if (issue.origin === 'array') {
        return min <= 1
          ? `Add at least one item to ${field}`
          : `Add at least ${min} items to ${field}`;
      }
      return `${field} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `${field} is at most ${max} characters`;
      if (issue.origin === 'array') return `${field} holds at most ${max} items`;
      return `${field} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${max}`;
    }
    case 'invalid_format':
      if (issue.format === 'email') return 'Enter a valid email address';
      if (issue.format === 'date' || issue.format === 'datetime') {
        return `${field} must be a date such as 2025-05-17`;
      }
      return `${field} is not written correctly`;
    case 'not_multiple_of':
      return `${field} must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length === 1 ? '' : 's'} ${listOf(issue.keys.map(quote))}: check the spelling or remove ${issue.keys.length === 1 ? 'it' : 'them'}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `${field} must be ${quote(issue.values[0])}`
        : `${field} must be ${listOf(issue.values.map(quote), 'or')}`;
    case 'invalid_union':
      return `${field} is not valid`;
    case 'invalid_key':
      return `${field} has a name that is not allowed`;
    case 'invalid_element':
      return `${field} contains a value that is not allowed`;
    case 'custom':
      return issue.message ?? `${field} is not valid`;
    default:
      return `${field} is not valid`;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function kindOf(value: unknown): unknown {
  return value !== null && typeof value === 'object'
    ? (value as Record<string, unknown>).kind
    : undefined;
}

// An alternative of a union "does not apply" when it failed on the tag that selects it: its
// `kind` literal, its `op` discriminator (property conditions), or the value's very type.
function notApplicable(alternative: readonly Issue[], value: unknown): boolean {
  if (alternative.length === 0) return false;
  if (alternative.some((i) => i.code === 'invalid_value' && isPath(i.path, 'kind'))) return true;
  if (alternative.every((i) => i.code === 'invalid_type' && i.path.length === 0)) return true;
  const [only] = alternative;
  if (alternative.length === 1 && only?.code === 'invalid_union' && only.path.length === 0) {
    if (only.errors.length > 0) return only.errors.every((alt) => notApplicable(alt, value));
    return only.discriminator !== undefined && kindOf(value) !== 'property';
  }
  return alternative.some(
    (i) =>
      i.code === 'invalid_union' &&
      i.errors.length === 0 &&
      isPath(i.path, 'op') &&
      kindOf(value) !== 'property',
  );
}

function isPath(path: readonly PropertyKey[], key: string): boolean {
  return path.length === 1 && path[0] === key;
}

function problemAt(
  path: readonly PropertyKey[],
  message: string,
): { path: PropertyKey[]; message: string } {
  return { path: [...path], message };
}

function discriminatorMessage(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: readonly PropertyKey[],
  root: unknown,
): string {
  const value = valueAt(root, path);
  const isNodeKind = path.length === 3 && path[0] === 'nodes' && path[2] === 'kind';
  if (isNodeKind) {
    return value === undefined
      ? 'Every step needs a kind'
      : `There is no step type ${quote(value)}`;
  }
  const options = 'options' in issue && issue.options ? issue.options.map(quote) : [];
  if (value === undefined) return REQUIRED[lastKey(path) ?? ''] ?? 'Choose a type';
  return `${quote(value)} is not allowed here; use ${listOf(options, 'or')}`;
}

function flatten(
  issue: Issue,
  prefix: readonly PropertyKey[],
  root: unknown,
): { path: PropertyKey[]; message: string }[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union') return [problemAt(path, issue.message)];
  if (issue.errors.length === 0) {
    return issue.discriminator !== undefined
      ? [problemAt(path, discriminatorMessage(issue, path, root))]
      : [problemAt(path, issue.message)];
  }
  const value = valueAt(root, path);
  const candidates = issue.errors
    .filter((alternative) => !notApplicable(alternative, value))
    .sort((a, b) => a.length - b.length);
  const best = candidates[0];
  if (best) return best.flatMap((inner) => flatten(inner, path, root));
  const kind = kindOf(value);
  const message =
    value === undefined
      ? (REQUIRED[lastKey(path) ?? ''] ?? 'Fill this in')
      : typeof kind === 'string'
        ? `There is no condition type ${quote(kind)}`
        : 'This condition is incomplete: choose what to check';
  return [problemAt(path, message)];
}

/** Turns zod issues from parsing `root` (a whole document) into node-anchored problems. */
export function problemsFromIssues(issues: readonly Issue[], root: unknown): FlowProblem[] {
  const nodes = valueAt(root, ['nodes']);
  return issues
    .flatMap((issue) => flatten(issue, [], root))
    .map(({ path, message }) => {
      if (path[0] === 'nodes' && typeof path[1] === 'number' && Array.isArray(nodes)) {
        const id = idOf(nodes[path[1]]);
        const rest = path.slice(2);
        if (id !== undefined && !(rest.length === 1 && rest[0] === 'id')) {
          return rest.length > 0
            ? { nodeId: id, field: rest.map(String).join('.'), message }
            : { nodeId: id, message };
        }
      }
      return path.length > 0 ? { field: path.map(String).join('.'), message } : { message };
    });
}

function idOf(node: unknown): string | undefined {
  const id = (node as Record<string, unknown> | null)?.id;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
}
