import type { JourneyDispatcher } from './dispatch';
import { deleteJourneyOutbox } from './journey-dispatch-outbox';
import type { SegmentRebuild } from './segment-engine';
import type { RecheckStep } from './segment-tick';
import type { Sql } from './sql';

const CHUNK = 1_000;

export interface CommittedChanges {
  eventIds?: readonly string[];
  changeIds?: readonly string[];
  contactIds?: readonly string[];
}

/**
 * Tells the journey runtime what was just committed, in chunks: events first (runs waiting for
 * them), then segment changes, then contact facts. The facts are already durable, so a failing
 * dispatcher is reported to `log` with what it missed and the other kinds still go out. The
 * journeys' dispatcher keeps what it could not do for its worker and throws only when Postgres
 * would not take even that: the log line then tells it, and the facts' journey outbox row, if
 * they have one, is all that is left of those ids. Resolves to whether every call went through.
 */
export async function dispatchCommitted(
  dispatcher: Partial<JourneyDispatcher>,
  workspaceId: string,
  changes: CommittedChanges,
  log: (line: string) => void = (line) => console.error(line),
): Promise<boolean> {
  let handedOver = true;
  const kinds = [
    ['eventsRecorded', changes.eventIds],
    ['segmentsChanged', changes.changeIds],
    ['contactsChanged', changes.contactIds],
  ] as const;
  for (const [method, ids] of kinds) {
    if (!ids || ids.length === 0) continue;
    const deliver = dispatcher[method]?.bind(dispatcher);
    if (!deliver) throw new TypeError(`This dispatcher cannot deliver ${method}`);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      try {
        await deliver(workspaceId, chunk);
      } catch (error) {
        handedOver = false;
        log(`journeys: ERROR ${whatWasMissed(error, method, chunk, workspaceId)}`);
      }
    }
  }
  return handedOver;
}

/**
 * Clears the journey outbox rows of facts whose dispatch went through (`handedOver`); else
 * leaves them for the worker, which dispatches them after OUTBOX_GRACE_MS. A row that cannot be
 * deleted is logged and left too: dispatching it a second time starts nothing twice.
 */
export async function clearJourneyOutbox(
  sql: Sql,
  outboxIds: readonly string[],
  handedOver: boolean,
  log: (line: string) => void = (line) => console.error(line),
): Promise<void> {
  if (!handedOver || outboxIds.length === 0) return;
  try {
    await deleteJourneyOutbox(sql, outboxIds);
  } catch (error) {
    log(
      `journeys: could not clear ${outboxIds.length} journey outbox row(s) after their dispatch; ` +
        `the worker dispatches them again, which starts nothing twice: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** What a write reports it committed, as `dispatchFromOutbox` takes it. */
export const committedBy = (result: {
  changeIds: readonly string[];
  changedContactIds: readonly string[];
  outboxIds: readonly string[];
}) => ({
  changeIds: result.changeIds,
  contactIds: result.changedContactIds,
  outboxIds: result.outboxIds,
});

/**
 * Dispatches what one or more transactions committed (dispatchCommitted), then deletes their
 * journey outbox rows if it all went through.
 */
export async function dispatchFromOutbox(
  sql: Sql,
  dispatcher: Partial<JourneyDispatcher>,
  workspaceId: string,
  changes: CommittedChanges & { outboxIds: readonly string[] },
  log: (line: string) => void = (line) => console.error(line),
): Promise<boolean> {
  const handedOver = await dispatchCommitted(dispatcher, workspaceId, changes, log);
  await clearJourneyOutbox(sql, changes.outboxIds, handedOver, log);
  return handedOver;
}

/**
 * The journeys' `DispatchFailed` names the ids it missed and why; any other error is told with
 * the call and its ids. Its message, not its stack: the stack says nothing about what was lost.
 */
function whatWasMissed(
  error: unknown,
  method: string,
  ids: readonly string[],
  workspaceId: string,
): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'DispatchFailed') return message;
  return `dispatcher.${method} failed for ${ids.length} ids (${ids[0]}…${ids.at(-1)}) in workspace ${workspaceId}: ${message}`;
}

/**
 * Dispatches the changes of full rebuilds, paging their ids out of the change log; resolves to
 * whether every call went through (see dispatchCommitted).
 */
export async function dispatchRebuilds(
  sql: Sql,
  dispatcher: Pick<JourneyDispatcher, 'segmentsChanged'>,
  workspaceId: string,
  rebuilds: readonly SegmentRebuild[],
  log?: (line: string) => void,
): Promise<boolean> {
  let handedOver = true;
  for (const r of rebuilds) {
    if (r.firstChangeId === null || r.lastChangeId === null) continue;
    let after = (BigInt(r.firstChangeId) - 1n).toString();
    for (;;) {
      const rows = await sql<{ id: string }[]>`
        select id::text as id from segment_changes
        where segment_id = ${r.segmentId} and id > ${after}::bigint and id <= ${r.lastChangeId}::bigint
        order by id limit ${CHUNK}`;
      if (rows.length === 0) break;
      const ok = await dispatchCommitted(
        dispatcher,
        workspaceId,
        { changeIds: rows.map((x) => x.id) },
        log,
      );
      handedOver &&= ok;
      after = rows.at(-1)!.id;
    }
  }
  return handedOver;
}

/**
 * Hands what one step of a segment re-check committed to the journeys, then deletes the step's
 * journey outbox row (RecheckInput.outbox) if the dispatch went through.
 */
export async function dispatchRecheckStepFromOutbox(
  sql: Sql,
  dispatcher: Pick<JourneyDispatcher, 'segmentsChanged' | 'contactsChanged'>,
  workspaceId: string,
  step: RecheckStep,
  log?: (line: string) => void,
): Promise<boolean> {
  const changes =
    step.kind === 'scores'
      ? { contactIds: step.changedContactIds }
      : { changeIds: step.diff.changeIds };
  return dispatchFromOutbox(
    sql,
    dispatcher,
    workspaceId,
    { ...changes, outboxIds: step.outboxIds ?? [] },
    log,
  );
}

/** Hands what one step of a segment re-check committed to the journeys. */
export async function dispatchRecheckStep(
  dispatcher: Pick<JourneyDispatcher, 'segmentsChanged' | 'contactsChanged'>,
  workspaceId: string,
  step: RecheckStep,
  log?: (line: string) => void,
): Promise<void> {
  const changes =
    step.kind === 'scores'
      ? { contactIds: step.changedContactIds }
      : { changeIds: step.diff.changeIds };
  await dispatchCommitted(dispatcher, workspaceId, changes, log);
}
