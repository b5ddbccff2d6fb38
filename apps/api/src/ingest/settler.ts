import {
  clearJourneyOutbox,
  dispatchCommitted,
  settleContacts,
  type JourneyDispatcher,
  type Sql,
} from '@relance/db';

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
      /** The transaction's journey outbox row: deleted once all of the above is dispatched. */
      outboxId: string | null;
    },
  ): void;
  /** Resolves once everything handed over so far is settled and dispatched. */
  idle(): Promise<void>;
}

/** An ingest's outbox row and whether the dispatch of its events and changes went through. */
interface Outboxed {
  id: string;
  handedOver: Promise<boolean>;
}

/**
 * Re-evaluates the segments of contacts right after their events commit, coalescing: while one
 * settle runs, newly touched contacts wait and go in the next, so a burst of batches costs a
 * few settles, not one each. A failed settle leaves the contacts in segment_queue (its
 * transaction rolled back), where the tick picks them up.
 *
 * Every commit's facts are in the journey outbox until they are dispatched: an ingest's row
 * (events, merges' segment changes, contacts identify changed) is deleted once its events and
 * changes went out and the settle that took its contacts dispatched them; a settle's row (its
 * segment changes and re-scored contacts) once those went out. A process stopping before that
 * leaves the rows for the worker, which dispatches them (OUTBOX_GRACE_MS).
 */
export function createSettler(deps: {
  sql: Sql;
  dispatcher: JourneyDispatcher;
  log: (line: string) => void;
  now: () => Date;
}): Settler {
  const pending = new Map<
    string,
    {
      contactIds: Set<string>;
      changed: Set<string>;
      events: Map<string, string[]>;
      outboxed: Outboxed[];
    }
  >();
  const running = new Map<string, Promise<void>>();
  const dispatching = new Set<Promise<unknown>>();

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
          outbox: true,
        });
        const handedOver = await dispatchCommitted(
          deps.dispatcher,
          workspaceId,
          {
            changeIds: settled.changeIds,
            contactIds: [...new Set([...work.changed, ...settled.changedContactIds])],
          },
          deps.log,
        );
        const ingests = await Promise.all(
          work.outboxed.map(async (o) => ((await o.handedOver) ? [o.id] : [])),
        );
        await clearJourneyOutbox(
          deps.sql,
          [...settled.outboxIds, ...ingests.flat()],
          handedOver,
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

  function track<T>(promise: Promise<T>): Promise<T> {
    dispatching.add(promise);
    void promise.finally(() => dispatching.delete(promise));
    return promise;
  }

  return {
    committed(workspaceId, facts) {
      const sent =
        facts.eventIds.length > 0 || facts.changeIds.length > 0
          ? track(
              dispatchCommitted(
                deps.dispatcher,
                workspaceId,
                { eventIds: facts.eventIds, changeIds: facts.changeIds },
                deps.log,
              ),
            )
          : Promise.resolve(true);
      const settles = facts.contactIds.length > 0 || facts.changedContactIds.length > 0;
      if (!settles) {
        // Nothing waits on a settle: the row goes as soon as its events and changes went out.
        if (facts.outboxId !== null) {
          const id = facts.outboxId;
          void track(sent.then((ok) => clearJourneyOutbox(deps.sql, [id], ok, deps.log)));
        }
        return;
      }
      const work = pending.get(workspaceId) ?? {
        contactIds: new Set<string>(),
        changed: new Set<string>(),
        events: new Map<string, string[]>(),
        outboxed: [],
      };
      for (const id of facts.contactIds) work.contactIds.add(id);
      for (const id of facts.changedContactIds) work.changed.add(id);
      for (const [id, names] of facts.eventsByContact) {
        const known = work.events.get(id);
        work.events.set(id, known ? [...new Set([...known, ...names])] : names);
      }
      if (facts.outboxId !== null) work.outboxed.push({ id: facts.outboxId, handedOver: sent });
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
