import {
  DataError,
  dispatchFromOutbox,
  recordEvents,
  type EventInput,
  type JourneyDispatcher,
  type Sql,
} from '@relance/db';
import { batchStatements } from '@relance/email';

// Large enough to amortise a transaction, small enough to keep one flush short.
const MAX_BATCH = 200;

/** Records send events in group commits; `record` resolves once its event is committed. */
export type SendEventRecorder = {
  record(workspaceId: string, event: EventInput): Promise<void>;
};

/**
 * Group commit for the events a busy send step produces (`email.sent`), per workspace: the
 * first event is written at once, and those arriving while it commits go together in the next
 * transaction (batchStatements), so a 50,000-contact step does not pay one transaction per
 * message. After each commit the
 * dispatcher hears of the new events; the contacts' segments are re-checked by the segment
 * clock (their rows are queued in the same transaction).
 */
export function createSendEventRecorder(deps: {
  sql: Sql;
  dispatcher: JourneyDispatcher;
  log: (line: string) => void;
}): SendEventRecorder {
  const byWorkspace = new Map<string, (event: EventInput) => Promise<void>>();

  async function write(workspaceId: string, events: EventInput[]): Promise<void> {
    let eventIds: (string | null)[];
    // Each transaction's journey outbox row, cleared once its events were dispatched.
    const outboxIds: string[] = [];
    try {
      const all = await recordEvents(deps.sql, workspaceId, events, { outbox: true });
      eventIds = all.eventIds;
      outboxIds.push(...all.outboxIds);
    } catch (error) {
      // One contact deleted since its send fails the whole batch: write the others one by one.
      if (!(error instanceof DataError && error.status === 404) || events.length === 1) throw error;
      eventIds = [];
      for (const event of events) {
        const one = await recordEvents(deps.sql, workspaceId, [event], { outbox: true }).catch(
          (single: unknown) => {
            if (single instanceof DataError && single.status === 404) {
              return { eventIds: [null], outboxIds: [] };
            }
            throw single;
          },
        );
        eventIds.push(...one.eventIds);
        outboxIds.push(...one.outboxIds);
      }
    }
    const recorded = eventIds.filter((id): id is string => id !== null);
    await dispatchFromOutbox(
      deps.sql,
      deps.dispatcher,
      workspaceId,
      { eventIds: recorded, outboxIds },
      deps.log,
    );
  }

  return {
    record(workspaceId, event) {
      let record = byWorkspace.get(workspaceId);
      if (!record) {
        record = batchStatements(
          async (events: EventInput[]) => {
            await write(workspaceId, events);
            return events.map(() => undefined);
          },
          { maxBatch: MAX_BATCH },
        );
        byWorkspace.set(workspaceId, record);
      }
      return record(event);
    },
  };
}
