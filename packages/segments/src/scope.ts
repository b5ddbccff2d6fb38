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
