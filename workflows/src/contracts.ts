// The contract between the journey runtime and everything that starts, signals or serves it:
// workflow ids, inputs, signal and query names, and the send-email activity's shape. Plain
// types and pure functions only, so the API, the dispatcher and activities import it freely.

import type { RunResume } from './run-state';

/** Workflow type of the journey interpreter: one run of one contact through one journey. */
export const JOURNEY_RUN_WORKFLOW = 'journeyRun';
/** Workflow type of the bulk enrolment batch iterator. */
export const BULK_ENROLMENT_WORKFLOW = 'bulkEnrolment';
/** Workflow type of the scanner that starts runs of a date-triggered journey. */
export const DATE_TRIGGER_WORKFLOW = 'dateTriggerScan';

/**
 * The business-key workflow id of a run: `run:{journeyId}:{contactId}[:{entryKey}]`. Two
 * triggers for the same contact (and key) map to the same id, so Temporal refuses the second
 * start while the first run is going. The key is URI-encoded so a `:` in it cannot collide.
 */
export function runWorkflowId(
  journeyId: string,
  contactId: string,
  entryKey?: string | null,
): string {
  const base = `run:${journeyId}:${contactId}`;
  return entryKey ? `${base}:${encodeURIComponent(entryKey)}` : base;
}

/** Workflow id of a bulk enrolment. */
export function enrolmentWorkflowId(enrolmentId: string): string {
  return `enrol:${enrolmentId}`;
}

/** Workflow id of a journey's date-trigger scanner: one per journey, whatever its version. */
export function dateTriggerWorkflowId(journeyId: string): string {
  return `date-trigger:${journeyId}`;
}

/** Input of `dateTriggerScan`. */
export interface DateTriggerInput {
  v: 1;
  journeyId: string;
  /** Epoch ms up to which occurrences have been started; carried over continue-as-new. */
  scannedUntil?: number;
}

/** Why a run began: ids only, never payloads (the run reads what it needs from Postgres). */
export type RunEntry =
  | { kind: 'event'; eventId: string; name: string; key: string | null }
  | {
      kind: 'segment';
      changeId: string;
      segmentId: string;
      change: 'entered' | 'exited';
    }
  | { kind: 'manual'; enrolmentId: string | null }
  /** A date on the contact came round; `key` is its local date, one run per occurrence. */
  | { kind: 'date'; key: string; occurrence: string };

/** The entry key a run is admitted under ('' when its trigger has none). */
export function entryKeyOf(entry: RunEntry): string {
  switch (entry.kind) {
    case 'event':
      return entry.key ?? '';
    case 'date':
      return entry.key;
    case 'segment':
    case 'manual':
      return '';
    default: {
      const unreachable: never = entry;
      throw new Error(`Unknown entry ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Input of `journeyRun`. Versioned: an interpreter must still read every `v` it ever accepted. */
export interface JourneyRunInput {
  v: 1;
  journeyVersionId: string;
  contactId: string;
  entry: RunEntry;
  /** Only set by the run itself when it continues as new: where to pick up. */
  resume?: RunResume;
}

/** How a run ended. `rejected`: the entry policy (or a paused journey) refused it at start. */
export type RunOutcome =
  | { status: 'completed' | 'exited' | 'converted' | 'failed' | 'cancelled'; runId: string }
  | { status: 'rejected'; reason: string };

/** Signal and query names of `journeyRun` and `bulkEnrolment`. */
export const SIGNALS = {
  /** Something about the contact changed: `RunNotification`. */
  notify: 'journeyRun.notify',
  /** The journey was resumed: runs held before an action go on. */
  resume: 'journeyRun.resume',
  /** Publish moved waiting runs to a new version: `MoveToVersion`. */
  moveToVersion: 'journeyRun.moveToVersion',
} as const;

export const QUERIES = {
  /** `RunView`: where a run is now. */
  run: 'journeyRun.view',
  /** `EnrolmentProgress`. */
  enrolment: 'bulkEnrolment.progress',
} as const;

/**
 * A wake-up for a run: an event was recorded, a segment membership changed, or the contact's
 * facts changed. Ids only; the run re-reads Postgres to decide what it means.
 */
export type RunNotification =
  | { kind: 'event'; eventId: string; name: string }
  | { kind: 'segment'; changeId: string; segmentId: string; change: 'entered' | 'exited' }
  | { kind: 'contact' };

/** Carry a waiting run over to another version of its journey (same node id and kind). */
export interface MoveToVersion {
  journeyVersionId: string;
}

/** What the `journeyRun.view` query answers. */
export interface RunView {
  runId: string;
  versionId: string;
  nodeId: string | null;
  state: 'starting' | 'running' | 'waiting' | 'held' | 'ended';
  /** Epoch ms the current wait ends at, when it has a deadline. */
  waitingUntil: number | null;
}

/** Input of `bulkEnrolment`: enrol every current member of a segment at a bounded rate. */
export interface BulkEnrolmentInput {
  v: 1;
  enrolmentId: string;
  /** Contacts started per second, at most. */
  ratePerSecond: number;
  /** Contacts per batch activity. */
  batchSize: number;
  /** Carried over continue-as-new. */
  progress?: EnrolmentProgress;
}

/** Progress of a bulk enrolment (also recorded in `journey_enrolments` after every batch). */
export interface EnrolmentProgress {
  processed: number;
  started: number;
  skipped: number;
  /** Contact id the next batch starts after; null before the first batch. */
  cursor: string | null;
  done: boolean;
}

// ── The send-email activity (implemented by the email package in activities/src/send-email.ts) ──

/** One email send from a flow step. */
export interface SendEmailInput {
  workspaceId: string;
  contactId: string;
  templateId: string;
  topic?: string;
  /**
   * `{workflowId}:{runId}:{nodeId}:{visit}`, the same on every retry and on every call after a
   * deferral: the send is recorded under it before the provider sees the message, so the
   * contact never gets it twice. A deferred send must leave the key usable for the next call.
   */
  idempotencyKey: string;
  journeyId: string;
  runId: string;
  nodeId: string;
  /** The event that started the run (`event.*` in Liquid), when an event did. */
  triggerEventId?: string;
}

/**
 * `sent`: handed to the provider. `skipped`: not sent and never will be (suppressed, no consent,
 * no address; `reason` says which). `deferred`: frequency cap or quiet hours; the run sleeps
 * until `retryAt` (ISO 8601) and calls again with the same key.
 */
export interface SendEmailResult {
  outcome: 'sent' | 'skipped' | 'deferred';
  messageId?: string;
  reason?: string;
  retryAt?: string;
}

/** The email activity as the interpreter calls it. */
export interface EmailActivities {
  sendEmail(input: SendEmailInput): Promise<SendEmailResult>;
}
