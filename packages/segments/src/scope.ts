import type { SqlParams } from './params';

/** Where a predicate is compiled: the contacts row it reads and the instant it is true at. */
export interface RuleScope {
  params: SqlParams;
  /** Alias of the `contacts` row the predicate tests. */
  contact: string;
  /**
   * SQL for the workspace id: repeated inside event and rollup subqueries so that PostgreSQL can
   * read them through the (workspace_id, name, time) indexes when it hashes them for a whole base.
   */
  workspace: string;
  /** SQL for the contact's time zone (the contact's own, else the workspace's). */
  timezone: string;
  /** SQL for the instant the rule is evaluated at (a timestamptz): a parameter, never now(). */
  readonly now: string;
  /**
   * SQL for `now` shifted by `ms` (negative: the past), computed here and sent as a parameter,
   * so a window's edge is one constant rather than an interval sum PostgreSQL redoes per row.
   */
  shift(ms: number): string;
  /**
   * A few contacts are checked, not the whole base: existence tests become per-row index probes,
   * which PostgreSQL would otherwise hash over every matching row when they sit under OR or NOT.
   */
  probe?: boolean;
  /**
   * Over the whole base only: aggregates of the contacts' events are read from grouped joins
   * (see GroupedAggregates) instead of a subquery per contact.
   */
  grouped?: GroupedAggregates | undefined;
  /**
   * A journey run's condition only: SQL for a boolean over the events row `e`, true for the
   * events after the run's entry ("since they entered the journey"). Absent elsewhere: a
   * segment has no entry.
   */
  sinceEntry?: (() => string) | undefined;
}

/**
 * The aggregates a whole-base statement reads, each computed once for every contact in one
 * grouped pass over the events (a hash of the rows of that name and window) and joined to the
 * contacts, rather than by a subquery run once per contact. A leaf asking for an aggregate
 * another leaf already asked for ("spent from 100 up to 500": the same sum twice) reads the
 * same join.
 */
export class GroupedAggregates {
  private readonly joins = new Map<string, { alias: string; sql: string }>();

  /**
   * The alias of the join computing `key` (its column `v`); `build` gives the grouped query
   * (`select e.contact_id, … as v from events e … group by e.contact_id`) the first time only.
   */
  alias(key: string, build: () => string): string {
    let join = this.joins.get(key);
    if (!join) {
      join = { alias: `agg${this.joins.size + 1}`, sql: '' };
      join.sql = build();
      this.joins.set(key, join);
    }
    return join.alias;
  }

  /** `left join (…) aggN on aggN.contact_id = <contact>.id` for each aggregate asked for. */
  sql(contact: string): string {
    return [...this.joins.values()]
      .map((j) => `\nleft join (${j.sql}) ${j.alias} on ${j.alias}.contact_id = ${contact}.id`)
      .join('');
  }
}

/**
 * `alias.workspace_id = … and ` for a subquery over the contact's events or rollups. Over the
 * whole base it lets PostgreSQL read them through the (workspace_id, name, time) indexes; when
 * probing a few contacts it is left out, so each probe can only take the contact's own keys.
 * With it the planner could pick the workspace index there, and after a burst of ingestion
 * (statistics not yet refreshed, rollup index entries not yet vacuumed) every probe walked all
 * the rows of the event name: a settle of 1,000 contacts took 19 s instead of milliseconds.
 */
export function inWorkspace(scope: RuleScope, alias: string): string {
  return scope.probe ? '' : `${alias}.workspace_id = ${scope.workspace} and `;
}

/** `exists (query)`, or its per-row probe form in a probing scope. */
export function exists(scope: RuleScope, query: string): string {
  return scope.probe ? `((${query} limit 1) is not null)` : `exists (${query})`;
}

/** `not exists (query)`, or its per-row probe form in a probing scope. */
export function notExists(scope: RuleScope, query: string): string {
  return scope.probe ? `((${query} limit 1) is null)` : `not exists (${query})`;
}

/** A `shift` over a known instant, one parameter per distinct offset. */
export function shifter(params: SqlParams, at: Date): (ms: number) => string {
  const made = new Map<number, string>();
  return (ms) => {
    let sql = made.get(ms);
    if (!sql) made.set(ms, (sql = params.timestamp(new Date(at.getTime() + ms))));
    return sql;
  };
}
