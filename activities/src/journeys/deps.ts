import type { Queryable, Sql, TransactionSql } from '@relance/db';
import type { MailProvider } from '@relance/email';
import type { Condition } from '@relance/flow';
import type { JourneyRuntime } from '@relance/journeys';

/**
 * The contact facts the segment engine provides (`@relance/db`): one-contact condition
 * evaluation with the values that decided it, static membership changes written with their
 * change log (in a transaction of their own), and the re-check of a contact's score and dynamic
 * segments inside the caller's transaction. Passed in so the activities depend on the contract.
 */
export interface ContactFacts {
  evaluateCondition(
    sql: Queryable,
    input: {
      workspaceId: string;
      contactId: string;
      condition: Condition;
      now: Date;
      /** The run asking, for conditions counting "since they entered the journey". */
      runId?: string;
    },
  ): Promise<{ matched: boolean; values?: Record<string, unknown> }>;
  changeStaticMembership(
    sql: Sql,
    input: {
      workspaceId: string;
      contactId: string;
      add: string[];
      remove: string[];
      cause: string;
      now: Date;
      /** Also write the changes' journey outbox row in the same transaction. */
      outbox?: boolean;
    },
  ): Promise<{ changeIds: string[]; outboxIds?: string[] }>;
  settleContactsIn(
    tx: TransactionSql,
    input: { workspaceId: string; contactIds: readonly string[]; now: Date; cause: string },
  ): Promise<{ changeIds: string[]; changedContactIds: string[] }>;
}

/** What the journey activities touch. */
export interface JourneyActivityDeps {
  sql: Sql;
  /** Starts runs (bulk enrolment) and tells other runs about changes a flow action made. */
  runtime: Pick<
    JourneyRuntime,
    'startRuns' | 'segmentsChanged' | 'contactsChanged' | 'eventsRecorded'
  >;
  facts: ContactFacts;
  /** Delivers `action.notify` emails; without one, notifications are recorded only. */
  mailer?: { provider: MailProvider; from: string } | undefined;
  /** HTTP client for webhooks (injected for tests). */
  fetch?: typeof fetch;
  /**
   * An event that had happened longer than this before it was received (a replay, an import)
   * answers no wait, as it starts and wakes no run (RELANCE_JOURNEY_EVENT_MAX_AGE_HOURS; 72 h).
   */
  eventMaxAgeMs?: number;
}
