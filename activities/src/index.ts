import type { Config } from '@relance/config';
import type { Sql } from '@relance/db';

/** What activities may touch: every side effect reachable from a workflow goes through these. */
export interface ActivityDeps {
  sql: Sql;
  config: Config;
  /** Injected so tests can move time; defaults to the wall clock. */
  now?: () => Date;
}

/** The worker's activities, built from their dependencies (no hidden singletons). */
export function createActivities(_deps: ActivityDeps) {
  return {};
}

export type Activities = ReturnType<typeof createActivities>;
