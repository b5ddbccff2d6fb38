import type { Client } from '@temporalio/client';
import { mapLimit, type Sql } from '@relance/db';

/** What the journey runtime's client side needs: Postgres, a Temporal client and its queue. */
export interface RuntimeDeps {
  sql: Sql;
  client: Client;
  taskQueue: string;
  now: () => Date;
  log: (line: string) => void;
  /** Workflow starts and signals in flight at once. */
  concurrency: number;
  /**
   * An event older than this (by when it happened) starts no run and wakes none: it is history
   * (a replay, an import), stored and counted in segments, but not news to react to.
   */
  eventMaxAgeMs: number;
  /**
   * How long to wait before each further attempt of a dispatch that threw (Postgres failed
   * after the facts were committed); after the last, the dispatch fails.
   */
  dispatchRetryMs: readonly number[];
}

export type RuntimeOptions = Pick<RuntimeDeps, 'sql' | 'client' | 'taskQueue'> &
  Partial<Pick<RuntimeDeps, 'now' | 'log' | 'concurrency' | 'eventMaxAgeMs' | 'dispatchRetryMs'>>;

/** A dispatch that threw is tried twice more, 1 s and 4 s later: a Postgres blip passes. */
export const DISPATCH_RETRY_MS = [1_000, 4_000];

/** The default of RELANCE_JOURNEY_EVENT_MAX_AGE_HOURS. */
export const EVENT_MAX_AGE_MS = 72 * 3_600_000;

export function runtimeDeps(options: RuntimeOptions): RuntimeDeps {
  return {
    now: () => new Date(),
    log: (line) => console.error(line),
    concurrency: 32,
    eventMaxAgeMs: EVENT_MAX_AGE_MS,
    dispatchRetryMs: DISPATCH_RETRY_MS,
    ...options,
  };
}

export { mapLimit } from '@relance/db';

/** How long one call to Temporal may take, the client's own retries included. */
export const CALL_DEADLINE_MS = 5_000;

/**
 * Runs one call to Temporal under a deadline: when it passes, the client's retries end and the
 * call fails, so a Temporal that is down or silent costs seconds, not the client's ~20 s of
 * retries (which also go on after the caller has given up).
 */
export const withCallDeadline = <T>(
  client: Client,
  call: () => Promise<T>,
  ms: number = CALL_DEADLINE_MS,
): Promise<T> => client.connection.withDeadline(Date.now() + ms, call);

/** Temporal did not take a call a marketer is waiting on; nothing was started or changed. */
export class WorkflowServiceUnavailable extends Error {
  /** What Temporal or the client said, causes included, for the operator's log. */
  readonly reason: string;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'WorkflowServiceUnavailable';
    this.reason = messageOf(cause);
  }
}

/** One item's call: its value, or why Temporal did not take it. */
export type CallOutcome<R> = { ok: true; value: R } | { ok: false; error: string };

/**
 * Makes one call to Temporal per item, `deps.concurrency` at a time, each under the call
 * deadline. `answered` turns an error that is Temporal's answer (the run is gone, already
 * started) into a value, and returns undefined for any other. Once Temporal fails a call that
 * way (it is down, or silent past the deadline), the items not yet tried are not: each would
 * wait as long for the same answer. They fail with "not tried: " and that reason.
 */
export async function callEach<T, R>(
  deps: RuntimeDeps,
  items: readonly T[],
  call: (item: T) => Promise<R>,
  answered: (error: unknown) => R | undefined,
): Promise<CallOutcome<R>[]> {
  let refusal: string | undefined;
  return mapLimit(items, deps.concurrency, async (item): Promise<CallOutcome<R>> => {
    if (refusal !== undefined) return { ok: false, error: `not tried: ${refusal}` };
    try {
      return { ok: true, value: await withCallDeadline(deps.client, () => call(item)) };
    } catch (error) {
      const value = answered(error);
      if (value !== undefined) return { ok: true, value };
      refusal ??= messageOf(error);
      return { ok: false, error: messageOf(error) };
    }
  });
}

const firstLine = (error: unknown) =>
  error instanceof Error ? error.message.split('\n')[0]! : String(error);

/**
 * An error's first line, then its causes': the SDK's "Failed to start Workflow" says why
 * (unavailable, deadline exceeded, …) only in its cause.
 */
export function messageOf(error: unknown): string {
  const lines = [firstLine(error)];
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause !== undefined && lines.length < 4) {
    lines.push(firstLine(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return lines.join(': ');
}
