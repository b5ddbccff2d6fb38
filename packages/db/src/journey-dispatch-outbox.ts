import type { Sql, TransactionSql } from './sql';

// The journey outbox (journey_outbox, migration 0085): the facts one transaction committed, written
// in that transaction, so that a process dying between its commit and its dispatch (a deploy, an
// OOM kill) does not lose the runs those facts start. One row per transaction, never per event:
// an ingest's group commit of hundreds of events costs one small insert, and one delete once
// its dispatch went through.

/**
 * How old an outbox row must be before the worker takes it as abandoned. Longer than a dispatch
 * normally takes (the dispatcher's own retries are 1 s and 4 s apart; Temporal being away is
 * kept per start, not waited for), so a live process's dispatch is rarely made a second time;
 * when it is, nothing happens twice (see moveAbandonedOutbox).
 */
export const OUTBOX_GRACE_MS = 60_000;

/** Ids per kept dispatch, as the in-process dispatch chunks them. */
const IDS_PER_DISPATCH = 1_000;

/** What one transaction committed that the journeys must hear of. */
export interface OutboxFacts {
  eventIds?: readonly string[] | undefined;
  changeIds?: readonly string[] | undefined;
  contactIds?: readonly string[] | undefined;
  /**
   * Segment rebuilds (migration 0087): each segment's change ids lie between these two, read
   * from segment_changes when the row is swept (a rebuild can move the whole base).
   */
  rebuilds?:
    | readonly { segmentId: string; firstChangeId: string | null; lastChangeId: string | null }[]
    | undefined;
}

/**
 * Writes the outbox row of the caller's transaction; null (and nothing written) when it
 * committed nothing the journeys hear of.
 */
export async function writeJourneyOutbox(
  tx: TransactionSql,
  workspaceId: string,
  facts: OutboxFacts,
): Promise<string | null> {
  const eventIds = facts.eventIds ?? [];
  const changeIds = facts.changeIds ?? [];
  const contactIds = facts.contactIds ?? [];
  const rebuilds = (facts.rebuilds ?? []).flatMap((r) =>
    r.firstChangeId === null || r.lastChangeId === null
      ? []
      : [{ segmentId: r.segmentId, first: r.firstChangeId, last: r.lastChangeId }],
  );
  if (eventIds.length + changeIds.length + contactIds.length + rebuilds.length === 0) return null;
  const [row] = await tx<{ id: string }[]>`
    insert into journey_outbox (workspace_id, event_ids, change_ids, contact_ids, rebuilds)
    values (${workspaceId}, ${eventIds as string[]}::bigint[], ${changeIds as string[]}::bigint[],
      ${contactIds as string[]}::uuid[], ${tx.json(rebuilds)})
    returning id::text as id`;
  return row!.id;
}

/** Deletes outbox rows whose facts were handed to the journeys (or kept for their worker). */
export async function deleteJourneyOutbox(sql: Sql, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`delete from journey_outbox where id = any(${ids as string[]}::bigint[])`;
}

/**
 * Moves outbox rows older than `graceMs` (Postgres's clock: they are about processes that
 * stopped, not about journey time) into journey_dispatch_pending as kind 'dispatch' rows due at
 * `dueAt`, one per call and at most 1,000 ids each, deleting them in the same statement. The
 * redelivery loop then makes those calls with its backoff, and Settings → Journey deliveries
 * counts them until they went through. Making a dispatch a second time is safe: a start from an
 * event or segment change a run already began from is skipped, and signals only make runs read
 * Postgres again. Rows another worker is moving are skipped. Returns how many rows and calls.
 */
export async function moveAbandonedOutbox(
  sql: Sql,
  input: { graceMs: number; dueAt: Date; limit?: number },
): Promise<{ rows: number; dispatches: number }> {
  const why =
    'the process that committed these facts stopped before telling the journeys ' +
    `(found in the outbox after ${Math.round(input.graceMs / 1000)} s)`;
  const [result] = await sql<{ rows: number; dispatches: number }[]>`
    with moved as (
      delete from journey_outbox where id = any(array(
        select id from journey_outbox
        where created_at <= now() - make_interval(secs => ${input.graceMs / 1000})
        order by id limit ${input.limit ?? 500}
        for update skip locked))
      returning workspace_id, event_ids, change_ids, contact_ids, rebuilds
    ), facts as (
      select m.workspace_id, k.method, k.ids
      from moved m
      cross join lateral (values
        ('eventsRecorded', m.event_ids::text[]),
        ('segmentsChanged', m.change_ids::text[]),
        ('contactsChanged', m.contact_ids::text[])) as k (method, ids)
      union all
      -- A rebuild's changes, read from the change log by segment and id range.
      select m.workspace_id, 'segmentsChanged', array(
        select c.id::text from segment_changes c
        where c.segment_id = r."segmentId" and c.id between r.first and r.last order by c.id)
      from moved m
      cross join lateral jsonb_to_recordset(m.rebuilds) as r ("segmentId" uuid, first bigint, last bigint)
    ), calls as (
      -- Two rows can hold the same call (two ingests changing the same one contact): kept once.
      select distinct f.workspace_id, f.method, f.ids[s.i : s.i + ${IDS_PER_DISPATCH - 1}] as ids
      from facts f
      cross join lateral generate_series(1, cardinality(f.ids), ${IDS_PER_DISPATCH}) as s (i)
    ), kept as (
      insert into journey_dispatch_pending
        (workspace_id, kind, workflow_id, payload, last_error, next_attempt_at)
      select workspace_id, 'dispatch', 'dispatch:' || method,
        jsonb_build_object('v', 1, 'method', method, 'ids', to_jsonb(ids)), ${why}, ${input.dueAt}
      from calls
      on conflict (kind, workflow_id, md5(payload::text)) do update set
        revision = journey_dispatch_pending.revision + 1,
        next_attempt_at = least(journey_dispatch_pending.next_attempt_at, excluded.next_attempt_at)
      returning 1
    )
    select (select count(*) from moved)::int as rows, (select count(*) from kept)::int as dispatches`;
  return result!;
}
