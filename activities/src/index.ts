import type { Config } from '@relance/config';
import type { Sql } from '@relance/db';
import { createJourneyActivities, type JourneyActivityDeps } from './journeys';
import { createSegmentActivities } from './segments';
import { createEmailActivities, type EmailActivityOptions } from './send-email';
import { createTagActivities } from './tags';

/** What activities may touch: every side effect reachable from a workflow goes through these. */
export interface ActivityDeps {
  sql: Sql;
  config: Config;
  /** Injected so tests can move time; defaults to the wall clock. */
  now?: () => Date;
  /** The journey runtime's client side, the segment engine's contact facts and the mailer. */
  journeys: Omit<JourneyActivityDeps, 'sql'>;
  /**
   * How `sendEmail` delivers and signs links; by default the dev outbox, links signed with
   * RELANCE_SECRET, and the journey runtime told about `email.sent`.
   */
  email?: Partial<Omit<EmailActivityOptions, 'sql' | 'now' | 'config'>>;
}

/** The worker's activities, built from their dependencies (no hidden singletons). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createJourneyActivities({ sql: deps.sql, ...deps.journeys }),
    ...createEmailActivities({
      sql: deps.sql,
      config: deps.config,
      dispatcher: deps.journeys.runtime,
      ...deps.email,
      ...(deps.now ? { now: deps.now } : {}),
    }),
    // The segment clock's changes go to the same journey runtime.
    ...createSegmentActivities({
      sql: deps.sql,
      dispatcher: deps.journeys.runtime,
      ...(deps.now ? { now: deps.now } : {}),
    }),
    ...createTagActivities({
      sql: deps.sql,
      dispatcher: deps.journeys.runtime,
      ...(deps.now ? { now: deps.now } : {}),
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
