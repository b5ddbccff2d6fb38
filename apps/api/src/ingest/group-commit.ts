import {
  ingestMessages,
  KnownContacts,
  type IngestMessage,
  type IngestOutcome,
  type Sql,
} from '@relance/db';
import type { Settler } from './settler';

interface Request {
  workspaceId: string;
  messages: IngestMessage[];
  resolve: (outcomes: IngestOutcome[]) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** How long the first request of a batch waits for others (ms). */
  maxDelayMs?: number;
  /** Messages per transaction at most. */
  maxMessages?: number;
  /** Transactions in flight at once. */
  maxConcurrent?: number;
}

/**
 * Server-side group commit: requests arriving within a few milliseconds share one transaction,
 * so a thousand one-event requests cost a few commits, not a thousand. Each request is
 * answered once the transaction holding its messages committed. If a shared transaction fails,
 * its requests are retried one by one, so one bad request cannot fail its neighbours.
 */
export function createGroupCommit(
  deps: { sql: Sql; settler: Settler; now: () => Date },
  options: GroupCommitOptions = {},
) {
  const maxDelayMs = options.maxDelayMs ?? 3;
  const maxMessages = options.maxMessages ?? 500;
  const maxConcurrent = options.maxConcurrent ?? 6;
  let queue: Request[] = [];
  let queued = 0;
  let inFlight = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Tracks of users this process has seen skip identity resolution.
  const known = new KnownContacts();

  async function write(workspaceId: string, requests: Request[]) {
    const messages = requests.flatMap((r) => r.messages);
    const result = await ingestMessages(deps.sql, workspaceId, messages, {
      now: deps.now(),
      known,
    });
    let offset = 0;
    for (const r of requests) {
      r.resolve(result.outcomes.slice(offset, offset + r.messages.length));
      offset += r.messages.length;
    }
    deps.settler.committed(workspaceId, result);
  }

  async function flush(batch: Request[]) {
    inFlight++;
    const byWorkspace = new Map<string, Request[]>();
    for (const r of batch)
      byWorkspace.set(r.workspaceId, [...(byWorkspace.get(r.workspaceId) ?? []), r]);
    for (const [workspaceId, requests] of byWorkspace) {
      try {
        await write(workspaceId, requests);
      } catch (error) {
        if (requests.length === 1) {
          requests[0]!.reject(error);
          continue;
        }
        for (const r of requests) {
          await write(workspaceId, [r]).catch(r.reject);
        }
      }
    }
    inFlight--;
    pump();
  }

  function take(): Request[] {
    const batch: Request[] = [];
    let size = 0;
    while (
      queue.length > 0 &&
      (batch.length === 0 || size + queue[0]!.messages.length <= maxMessages)
    ) {
      const r = queue.shift()!;
      batch.push(r);
      size += r.messages.length;
    }
    queued -= size;
    return batch;
  }

  function pump() {
    while (queue.length > 0 && inFlight < maxConcurrent) {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      void flush(take());
    }
  }

  return {
    /** Stores a request's messages; resolves with one outcome per message after the commit. */
    submit(workspaceId: string, messages: IngestMessage[]): Promise<IngestOutcome[]> {
      return new Promise((resolve, reject) => {
        queue.push({ workspaceId, messages, resolve, reject });
        queued += messages.length;
        if (queued >= maxMessages) pump();
        else if (!timer) {
          timer = setTimeout(() => {
            timer = null;
            pump();
          }, maxDelayMs);
        }
      });
    },
    /** Requests not yet written (tests, shutdown). */
    get pending() {
      return queue.length;
    },
    /** Drops queued requests with an error (shutdown). */
    close(reason: Error) {
      const dropped = queue;
      queue = [];
      queued = 0;
      for (const r of dropped) r.reject(reason);
    },
  };
}
