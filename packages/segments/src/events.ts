import {
  assertNever,
  eventCanBeMachine,
  parseDuration,
  type CountOp,
  type EventFilter,
} from '@relance/flow';
import { UUID } from './params';
import { compareProperty, eventAccessor } from './property';
import { fieldPath, SegmentRuleError } from './rule-error';
import { exists, inWorkspace, notExists, type RuleScope } from './scope';

/** Which events a leaf looks at: one name, optionally filtered, optionally within a window. */
export interface EventScan {
  event: string;
  /** Other event names counted as `event` too: a click is an open (the email reports say so). */
  alsoEvents?: readonly string[] | undefined;
  /**
   * Count emails, not events: events naming the same `messageId` count once (a re-open, an
   * image prefetch, a second link clicked). An event without a message counts on its own.
   */
  perMessage?: boolean | undefined;
  where?: EventFilter | undefined;
  /** Email engagement for one template: the `templateId` property of email.* events. */
  templateId?: string | undefined;
  /**
   * Leave out the events flagged as a machine's (`machine: true`: Apple Mail Privacy
   * Protection's proxy, link scanners), read from the event as the reports read them (0075).
   * "Any" or "none" without a template reads the rollups' person-only last time
   * (`human_last_at`, 0090); counts, templates and filters read the events.
   */
  humanOnly?: boolean | undefined;
  within?: string | undefined;
  /** Only the events after the journey run's entry (journey conditions only). */
  sinceEntry?: boolean | undefined;
}

export const ROLLUPS = 'contact_event_rollups';

/**
 * Which rollup column "last performed E" reads: `last_at`, or for a person's opens and clicks
 * `human_last_at`, the last of the contact's events of that name not flagged as a machine's,
 * written in the same statement as the rest of the row (0090; null while there is none). Both
 * have a (workspace, name, time) index the whole base reads alone.
 */
export type RollupLast = 'last_at' | 'human_last_at';

/** The rollup column "last performed E" reads: the person-only one for `humanOnly` opens and clicks. */
export function rollupLast(event: string, humanOnly: boolean | undefined): RollupLast {
  return humanOnly === true && eventCanBeMachine(event) ? 'human_last_at' : 'last_at';
}

/** The names a scan reads: its event and the ones counted as it. */
function namesOf(scan: EventScan): readonly string[] {
  return [scan.event, ...(scan.alsoEvents ?? [])];
}

/** `alias.name = …` for one name, `alias.name = any(…)` for several (both use the name indexes). */
function nameTest(names: readonly string[], alias: string, scope: RuleScope): string {
  return names.length === 1
    ? `${alias}.name = ${scope.params.text(names[0]!)}`
    : `${alias}.name = any(${scope.params.textArray(names)})`;
}

/** An event not flagged as a machine's; one without the flag (older, or sent by the API) is a person's. */
const HUMAN = `coalesce(e.properties ->> 'machine', '') <> 'true'`;

/** What a per-message count counts distinct: the email an event is about, else the event. */
const MESSAGE_KEY = `coalesce(e.properties ->> 'messageId', e.id::text)`;

/** `count(*)`, or the number of distinct emails of a per-message scan. */
function countSql(scan: EventScan): string {
  return scan.perMessage ? `count(distinct ${MESSAGE_KEY})` : 'count(*)';
}

/** SQL counting the contact's events of a scan (its messages for a per-message scan). */
export function eventCountSql(scan: EventScan, scope: RuleScope, field: string): string {
  return `(select ${countSql(scan)} ${eventScanSql(scan, scope, field)})`;
}

/** Milliseconds of a duration written in a rule; a rule error naming the field otherwise. */
export function durationMs(text: string, field: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new SegmentRuleError(field, `Not a duration: ${text}`);
  return ms;
}

/** An event filter as a two-valued predicate over the event row `alias`. */
export function compileEventFilter(
  filter: EventFilter,
  alias: string,
  scope: RuleScope,
  field: string,
): string {
  switch (filter.kind) {
    case 'all':
      return filter.conditions.length === 0
        ? 'true'
        : `(${filter.conditions.map((f, i) => compileEventFilter(f, alias, scope, fieldPath(field, 'conditions', i))).join(' and ')})`;
    case 'any':
      return filter.conditions.length === 0
        ? 'false'
        : `(${filter.conditions.map((f, i) => compileEventFilter(f, alias, scope, fieldPath(field, 'conditions', i))).join(' or ')})`;
    case 'not':
      return `(not ${compileEventFilter(filter.condition, alias, scope, fieldPath(field, 'condition'))})`;
    case 'property':
      return `coalesce(${compareProperty(filter, eventAccessor(filter.property, alias, scope, fieldPath(field, 'property')), scope, field)}, false)`;
    default:
      return assertNever(filter);
  }
}

/** The tests on `events e` of a scan besides its contact: name, window, template, filter. */
function scanConditions(scan: EventScan, scope: RuleScope, field: string): string {
  const p = scope.params;
  let sql = nameTest(namesOf(scan), 'e', scope);
  if (scan.within !== undefined) {
    sql += ` and e.occurred_at > ${scope.shift(-durationMs(scan.within, fieldPath(field, 'within')))}`;
  }
  if (scan.sinceEntry) {
    if (!scope.sinceEntry) {
      throw new SegmentRuleError(
        fieldPath(field, 'sinceEntry'),
        'Only a journey can count since the contact entered it: choose a time window',
      );
    }
    sql += ` and ${scope.sinceEntry()}`;
  }
  if (scan.templateId !== undefined) {
    sql += ` and e.properties ->> 'templateId' = ${p.text(scan.templateId)}`;
  }
  if (scan.humanOnly) sql += ` and ${HUMAN}`;
  if (scan.where !== undefined) {
    sql += ` and ${compileEventFilter(scan.where, 'e', scope, fieldPath(field, 'where'))}`;
  }
  return sql;
}

/** `from events e where …` for the contact in scope. */
export function eventScanSql(scan: EventScan, scope: RuleScope, field: string): string {
  return `from events e where ${inWorkspace(scope, 'e')}e.contact_id = ${scope.contact}.id and ${scanConditions(scan, scope, field)}`;
}

/**
 * Over the whole base, the alias of a grouped pass computing `value` (column `v`) for every
 * contact from the workspace's events of the scan, shared by the leaves asking for the same
 * (`what` and the scan name it); undefined when probing a few contacts, or when the scan has an
 * event filter, which may read the contact's time zone and so stays per contact.
 */
function groupedPass(
  scan: EventScan,
  scope: RuleScope,
  field: string,
  what: readonly string[],
  value: () => string,
): string | undefined {
  if (!scope.grouped || scan.where !== undefined || scan.sinceEntry) return undefined;
  return scope.grouped.alias(
    JSON.stringify([...what, namesOf(scan), scan.within, scan.templateId, !!scan.humanOnly]),
    () =>
      `select e.contact_id, ${value()} as v from events e where e.workspace_id = ${scope.workspace} and ${scanConditions(scan, scope, field)} group by e.contact_id`,
  );
}

/** Rows of the contact's rollups for some event names (count, first_at, last_at). */
function rollupSql(names: string | readonly string[], scope: RuleScope): string {
  const list = typeof names === 'string' ? [names] : names;
  return `select 1 from ${ROLLUPS} r where ${inWorkspace(scope, 'r')}r.contact_id = ${scope.contact}.id and ${nameTest(list, 'r', scope)}`;
}

/**
 * "performed E at least / at most / exactly N times". Written as EXISTS / NOT EXISTS wherever
 * the count allows, so a top-level leaf becomes a semi- or anti-join over the whole base, and
 * reads the per-contact rollups instead of the events whenever no filter needs the rows.
 * Windows end at `now`: ingestion never stores events from the future (it clamps timestamps).
 */
export function compileEventCount(
  scan: EventScan,
  op: CountOp,
  count: number,
  scope: RuleScope,
  field: string,
): string {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new SegmentRuleError(fieldPath(field, 'count'), 'Counts are whole numbers from 0');
  }
  if (op === 'at_least' && count === 0) return 'true';
  const p = scope.params;
  // The rollups know nothing of a run's entry: "since they entered" reads the events.
  const plain =
    scan.where === undefined &&
    scan.templateId === undefined &&
    !scan.humanOnly &&
    !scan.sinceEntry;
  const zeroOrOne = (op === 'at_least' && count === 1) || (op !== 'at_least' && count === 0);
  // A person's opens or clicks have a last time of their own on the rollup (`human_last_at`,
  // written for every event not flagged as a machine's), so "no click by a person in 15 days"
  // reads it the same way.
  const byPersonRollup =
    scan.humanOnly === true &&
    scan.where === undefined &&
    scan.templateId === undefined &&
    !scan.sinceEntry &&
    namesOf(scan).every(eventCanBeMachine);
  if ((plain || byPersonRollup) && zeroOrOne) {
    // "any click (in the last 15 days)" is a rollup of one of the names (its last time inside
    // the window): one event is one email too.
    const last: RollupLast = byPersonRollup ? 'human_last_at' : 'last_at';
    const rollup = rollupSql(namesOf(scan), scope);
    const recent =
      scan.within === undefined
        ? everPerformed(rollup, last)
        : `${rollup} and r.${last} > ${scope.shift(-durationMs(scan.within, fieldPath(field, 'within')))}`;
    return op === 'at_least' ? exists(scope, recent) : notExists(scope, recent);
  }
  // The rollups count events, of one name: not what a per-message count asks.
  if (plain && scan.within === undefined && !scan.perMessage && !scan.alsoEvents?.length) {
    const rollup = rollupSql(scan.event, scope);
    switch (op) {
      case 'at_least':
        return exists(scope, `${rollup} and r.count >= ${p.integer(count)}`);
      case 'at_most':
        return notExists(scope, `${rollup} and r.count > ${p.integer(count)}`);
      case 'exactly':
        return exists(scope, `${rollup} and r.count = ${p.integer(count)}`);
      default:
        return assertNever(op);
    }
  }
  const sqlOp = op === 'at_least' ? '>=' : op === 'at_most' ? '<=' : '=';
  // Without a template a count reads only the (workspace, name, time) index, which carries the
  // contact id (migration 0025).
  const pass = zeroOrOne
    ? undefined
    : groupedPass(scan, scope, field, ['count', scan.perMessage ? 'messages' : 'events'], () =>
        countSql(scan),
      );
  if (pass) return `coalesce(${pass}.v, 0) ${sqlOp} ${p.integer(count)}`;
  const scanSql = eventScanSql(scan, scope, field);
  if (op === 'at_least' && count === 1) return exists(scope, `select 1 ${scanSql}`);
  if (op !== 'at_least' && count === 0) return notExists(scope, `select 1 ${scanSql}`);
  // Count no further than needed to decide: at most count + 1 rows (emails, when per message).
  const limit = op === 'at_least' ? count : count + 1;
  const rows = scan.perMessage ? `select distinct ${MESSAGE_KEY}` : 'select 1';
  const counted = `(select count(*) from (${rows} ${scanSql} limit ${p.integer(limit)}) n)`;
  return `${counted} ${sqlOp} ${p.integer(count)}`;
}

/** Rollup rows (`rows`) saying the contact performed their event: any row, or one with a person's. */
function everPerformed(rows: string, last: RollupLast): string {
  return last === 'last_at' ? rows : `${rows} and r.${last} is not null`;
}

/**
 * "last performed E more than D ago / within D", from the rollup of E (its `last` column: the
 * last time of any event, or of a person's, see {@link rollupLast}). For `more_than`, a contact
 * who never performed E counts from when they became a contact unless includeNever is false.
 */
export function compileEventLast(
  event: string,
  last: RollupLast,
  op: 'more_than' | 'within',
  duration: string,
  includeNever: boolean,
  scope: RuleScope,
  field: string,
): string {
  const rows = rollupSql(event, scope);
  const since = scope.shift(-durationMs(duration, fieldPath(field, 'duration')));
  if (op === 'within') return exists(scope, `${rows} and r.${last} > ${since}`);
  if (!includeNever) return exists(scope, `${rows} and r.${last} <= ${since}`);
  // The never-performed case is asked only of contacts who joined within D: a scalar probe that
  // runs for those rows alone, not a hash of every rollup built for a few. Keyed by contact and
  // name only (a contact's rollups are in its workspace), the primary key answers it.
  const performed = everPerformed(
    `select 1 from ${ROLLUPS} r where r.contact_id = ${scope.contact}.id and r.name = ${scope.params.text(event)}`,
    last,
  );
  return `(${notExists(scope, `${rows} and r.${last} > ${since}`)} and (${scope.contact}.created_at <= ${since} or ((${performed} limit 1) is not null)))`;
}

/**
 * The aggregate of a numeric event property (sum of nothing is 0; avg/min/max of nothing is
 * unknown): a subquery over the contact's events, or over the whole base a column of a grouped
 * join shared by every leaf asking for the same aggregate.
 */
export function eventAggregateSql(
  scan: EventScan,
  property: string,
  fn: 'sum' | 'avg' | 'min' | 'max',
  scope: RuleScope,
  field: string,
): string {
  const aggregate = () => {
    const value = `relance_num(${eventAccessor(property, 'e', scope, fieldPath(field, 'property')).json})`;
    return fn === 'sum' ? `coalesce(sum(${value}), 0)` : `${fn}(${value})`;
  };
  const pass = groupedPass(scan, scope, field, ['aggregate', property, fn], aggregate);
  // A contact without such events has no row in the pass.
  if (pass) return fn === 'sum' ? `coalesce(${pass}.v, 0)` : `${pass}.v`;
  return `(select ${aggregate()} ${eventScanSql(scan, scope, field)})`;
}

/** The segment id of a membership leaf, checked so that a bad id is a rule error, not a SQL error. */
export function segmentIdOf(segmentId: string, field: string): string {
  if (!UUID.test(segmentId)) {
    throw new SegmentRuleError(fieldPath(field, 'segmentId'), `No segment has the id ${segmentId}`);
  }
  return segmentId.toLowerCase();
}
