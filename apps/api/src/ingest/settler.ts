import { dispatchCommitted, settleContacts, type JourneyDispatcher, type Sql } from '@relance/db';

export interface Settler {
  /** Hands over what a commit produced: events go to journeys now, contacts get re-evaluated. */
  committed(
    workspaceId: string,
    facts: {
      eventIds: string[];
      contactIds: string[];
      changedContactIds: string[];
      eventsByContact: Map<string, string[]>;
      /** Segment changes the transaction itself made (identify merges). */
      changeIds: string[];
    },
  ): void;
  /** Resolves once everything handed over so far is settled and dispatched. */
  idle(): Promise<void>;
}

/**
 * Re-evaluates the segments of contacts right after their events commit, coalescing: while one
 * settle runs, newly touched contacts wait and go in the next, so a burst of batches costs a
 * few settles, not one each. A failed settle leaves the contacts in segment_queue (its
 * transaction rolled back), where the tick picks them up.
 */
export function createSettler(deps: {
  sql: Sql;
  dispatcher: JourneyDispatcher;
  log: (line: string) => void;
  now: () => Date;
}): Settler {
  const pending = new Map<
    string,
    { contactIds: Set<string>; changed: Set<string>; events: Map<string, string[]> }
  >();
  const running = new Map<string, Promise<void>>();
  const dispatching = new Set<Promise<void>>();

  async function drain(workspaceId: string) {
    for (;;) {
      const work = pending.get(workspaceId);
      if (!work) return;
      pending.delete(workspaceId);
      try {
        const settled = await settleContacts(deps.sql, {
          workspaceId,
          contactIds: [...work.contactIds],
          now: deps.now(),
          cause: 'ingest',
          // New and re-identified contacts against every segment; the rest only against the
          // segments that read the events they sent.
          changed: { events: work.events, everything: [...work.changed] },
        });
        await dispatchCommitted(
          deps.dispatcher,
          workspaceId,
          {
            changeIds: settled.changeIds,
            contactIds: [...new Set([...work.changed, ...settled.changedContactIds])],
          },
          deps.log,
        );
      } catch (error) {
        deps.log(
          `settling ${work.contactIds.size} contacts failed; the segment tick will retry them: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    }
  }

  function kick(workspaceId: string) {
    if (running.has(workspaceId)) return;
    const run = drain(workspaceId).finally(() => running.delete(workspaceId));
    running.set(workspaceId, run);
  }

  return {
    committed(workspaceId, facts) {
      if (facts.eventIds.length > 0 || facts.changeIds.length > 0) {
        const sent = dispatchCommitted(
          deps.dispatcher,
          workspaceId,
          { eventIds: facts.eventIds, changeIds: facts.changeIds },
          deps.log,
        );
        dispatching.add(sent);
        void sent.finally(() => dispatching.delete(sent));
      }
      if (facts.contactIds.length === 0 && facts.changedContactIds.length === 0) return;
      const work = pending.get(workspaceId) ?? {
        contactIds: new Set<string>(),
        changed: new Set<string>(),
        events: new Map<string, string[]>(),
      };
      for (const id of facts.contactIds) work.contactIds.add(id);
      for (const id of facts.changedContactIds) work.changed.add(id);
      for (const [id, names] of facts.eventsByContact) {
        const known = work.events.get(id);
        work.events.set(id, known ? [...new Set([...known, ...names])] : names);
      }
      pending.set(workspaceId, work);
      kick(workspaceId);
    },
    async idle() {
      while (running.size > 0 || dispatching.size > 0) {
        await Promise.all([...running.values(), ...dispatching]);
      }
    },
  };
}
