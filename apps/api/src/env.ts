import type { Client } from '@temporalio/client';
import type { JourneyDispatcher, Sql } from '@relance/db';
import type { MailProvider } from '@relance/email';
import type { Settler } from './ingest/settler';

/** Everything the HTTP app needs, handed in by the composition root (main.ts or a test). */
export interface AppDeps {
  sql: Sql;
  /** Starts and signals journey runs when events or segment changes are recorded. */
  dispatcher: JourneyDispatcher;
  temporal: { client: Client; namespace: string; taskQueue: string };
  auth: { adminToken: string };
  /** The workspace admin-token requests act on until user accounts exist. */
  workspaceId: string;
  publicUrl: string;
  /** HMAC key for signed links (tracking, unsubscribe, preferences). */
  signingSecret: string;
  /**
   * Delivers test sends and double opt-in emails (SMTP or the dev outbox, rate-limited);
   * `from` is the deployment's sender (MAIL_FROM), which names the List-Unsubscribe mailbox.
   */
  mail: { provider: MailProvider; from?: string | undefined };
  version: string;
  /** Directory of the built web app; absent in API-only tests. */
  webRoot?: string | undefined;
  log?: (line: string) => void;
  /** The current time for ingestion and segment evaluation; tests inject a fixed clock. */
  clock?: () => Date;
  /** Ingestion's settler; main passes its own so that a shutdown waits for it to be idle. */
  settler?: Settler;
}

/** Hono's per-request variables. */
export interface AppEnv {
  Variables: {
    requestId: string;
    workspaceId: string;
  };
}
