import {
  DataError,
  dispatchCommitted,
  recordEvents,
  type EventInput,
  type JourneyDispatcher,
  type Sql,
} from '@relance/db';

// Large enough to amortise a transaction, small enough to keep one flush short.
const MAX_BATCH = 200;

type Waiter = { resolve: () => void; reject: (error: unknown) => void };
type Queue = { events: EventInput[]; waiters: Waiter[]; flushing: boolean };

/** Records send events in group commits; `record` resolves once its event is committed. */
export type SendEventRecorder = {
  record(workspaceId: string, event: EventInput): Promise<void>;
};

/**
 * Group commit for the events a busy send step produces (`email.sent`): the first event is
 * written at once, and those arriving while it commits go together in the next transaction,
 * so a 50,000-contact step does not pay one transaction per message. After each commit the
 * dispatcher hears of the new events; the contacts' segments are re-checked by the segment
 * clock (their rows are queued in the same transaction).
 */
export function createSendEventRecorder(deps: {
  sql: Sql;
  dispatcher: JourneyDispatcher;
  log: (line: string) => void;
}): SendEventRecorder {
  const queues = new Map<string, Queue>();

  async function write(workspaceId: string, events: EventInput[]): Promise<void> {
    let eventIds: (string | null)[];
    try {
      ({ eventIds } = await recordEvents(deps.sql, workspaceId, events));
    } catch (error) {
      // One contact deleted since its send fails the whole batch: write the others one by one.
      if (!(error instanceof DataError && error.status === 404) || events.length === 1) throw error;
      eventIds = [];
      for (const event of events) {
        const one = await recordEvents(deps.sql, workspaceId, [event]).catch((single: unknown) => {
          if (single instanceof DataError && single.status === 404) return { eventIds: [null] };
          throw single;
        });
        eventIds.push(...one.eventIds);
      }
    }
    const recorded = eventIds.filter((id): id is string => id !== null);
    await dispatchCommitted(deps.dispatcher, workspaceId, { eventIds: recorded }, deps.log);
  }

  async function flush(workspaceId: string, queue: Queue): Promise<void> {
    queue.flushing = true;
    while (queue.events.length > 0) {
      const events = queue.events.splice(0, MAX_BATCH);
      const waiters = queue.waiters.splice(0, MAX_BATCH);
      try {
        await write(workspaceId, events);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    queue.flushing = false;
  }

  return {
    record(workspaceId, event) {
      return new Promise<void>((resolve, reject) => {
        let queue = queues.get(workspaceId);
        if (!queue) {
          queue = { events: [], waiters: [], flushing: false };
          queues.set(workspaceId, queue);
        }
        queue.events.push(event);
        queue.waiters.push({ resolve, reject });
        if (!queue.flushing) void flush(workspaceId, queue);
      });
    },
  };
}
