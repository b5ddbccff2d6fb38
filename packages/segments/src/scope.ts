import type { SqlParams } from './params';

/** Where a predicate is compiled: the contacts row it reads and the instant it is true at. */
export interface RuleScope {
  params: SqlParams;
  /** Alias of the `contacts` row the predicate tests. */
  contact: string;
  /** SQL for the contact's time zone (the contact's own, else the workspace's). */
  timezone: string;
  /** SQL for the instant the rule is evaluated at (a timestamptz): a parameter, never now(). */
  now: string;
}
