import { DataError, notFoundError } from './data-error';
import { survivingContactId, survivingContactIds } from './contact-lookup';
import { writeJourneyOutbox } from './journey-dispatch-outbox';
import { settleContactsIn } from './segment-engine';
import type { Sql, TransactionSql } from './sql';

export interface StaticChange {
  workspaceId: string;
  segmentIds: readonly string[];
  contactIds: readonly string[];
  change: 'entered' | 'exited';
  cause: string;
  now: Date;
}

/** Adds or removes memberships of static segments (checked by the caller) and logs each real change. */
export async function applyStatic(tx: TransactionSql, input: StaticChange): Promise<string[]> {
  if (input.segmentIds.length === 0 || input.contactIds.length === 0) return [];
  const pairs = input.segmentIds.flatMap((s) => input.contactIds.map((c) => ({ s, c })));
  const json = tx.json(pairs);
  const rows =
    input.change === 'entered'
      ? await tx<{ id: string }[]>`
          with changed as (
            insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
            select x.s, x.c, ${input.workspaceId}, ${input.now}
            from jsonb_to_recordset(${json}::jsonb) as x(s uuid, c uuid) order by x.s, x.c
            on conflict (segment_id, contact_id) do nothing
            returning segment_id, contact_id)
          insert into segment_changes (workspace_id, segment_id, contact_id, change, at, cause)
          select ${input.workspaceId}, segment_id, contact_id, 'entered', ${input.now}, ${input.cause}
          from changed returning id::text as id`
      : await tx<{ id: string }[]>`
          with changed as (
            delete from segment_members m using jsonb_to_recordset(${json}::jsonb) as x(s uuid, c uuid)
            where m.segment_id = x.s and m.contact_id = x.c
            returning m.segment_id, m.contact_id)
          insert into segment_changes (workspace_id, segment_id, contact_id, change, at, cause)
          select ${input.workspaceId}, segment_id, contact_id, 'exited', ${input.now}, ${input.cause}
          from changed returning id::text as id`;
  return rows.map((r) => r.id);
}

/** Refuses ids that are not static segments of the workspace, naming the field at fault. */
async function checkStatic(
  tx: TransactionSql,
  workspaceId: string,
  ids: readonly string[],
  field: string,
): Promise<void> {
  if (ids.length === 0) return;
  const rows = await tx<{ id: string; kind: string; name: string }[]>`
    select id, kind, name from segments
    where workspace_id = ${workspaceId} and id::text = any(${[...ids]}::text[])`;
  for (const [i, id] of ids.entries()) {
    const row = rows.find((r) => r.id === id.toLowerCase());
    if (!row)
      throw new DataError('invalid_segment', 400, `No segment has the id ${id}`, `${field}.${i}`);
    if (row.kind !== 'static') {
      throw new DataError(
        'not_static',
        409,
        `${row.name} is a dynamic segment: its rule decides who is in it`,
        `${field}.${i}`,
      );
    }
  }
}

/**
 * A flow action (or the API) moving one contact between static segments: removals first, then
 * additions; dynamic segments that read them are re-evaluated in the same transaction.
 * Returns every segment change written; the caller dispatches them.
 */
export async function changeStaticMembership(
  sql: Sql,
  input: {
    workspaceId: string;
    contactId: string;
    add: string[];
    remove: string[];
    cause: string;
    now: Date;
    /**
     * Also write the changes' journey outbox row in the transaction (returned in `outboxIds`),
     * for a caller that clears it once it dispatched them (dispatchFromOutbox).
     */
    outbox?: boolean;
  },
): Promise<{ changeIds: string[]; outboxIds: string[] }> {
  return sql.begin(async (tx) => {
    const contactId = await survivingContactId(tx, input.workspaceId, input.contactId);
    await checkStatic(tx, input.workspaceId, input.remove, 'remove');
    await checkStatic(tx, input.workspaceId, input.add, 'add');
    const base = {
      workspaceId: input.workspaceId,
      contactIds: [contactId],
      cause: input.cause,
      now: input.now,
    };
    const changeIds = [
      ...(await applyStatic(tx, { ...base, segmentIds: input.remove, change: 'exited' })),
      ...(await applyStatic(tx, { ...base, segmentIds: input.add, change: 'entered' })),
    ];
    const settled = await settleContactsIn(tx, { ...base, contactIds: [contactId] });
    const all = [...changeIds, ...settled.changeIds];
    const outboxId = input.outbox
      ? await writeJourneyOutbox(tx, input.workspaceId, { changeIds: all })
      : null;
    return { changeIds: all, outboxIds: outboxId === null ? [] : [outboxId] };
  });
}

/**
 * `POST/DELETE /api/segments/:id/members`: many contacts in or out of one static segment.
 * Merged contacts count as their survivor; ids the workspace does not know are reported.
 */
export async function changeStaticMembers(
  sql: Sql,
  input: {
    workspaceId: string;
    segmentId: string;
    contactIds: readonly string[];
    change: 'entered' | 'exited';
    cause: string;
    now: Date;
    /** Also write the changes' journey outbox row in the transaction (see changeStaticMembership). */
    outbox?: boolean;
  },
): Promise<{
  changed: number;
  changeIds: string[];
  unknownContactIds: string[];
  changedContactIds: string[];
  outboxIds: string[];
}> {
  return sql.begin(async (tx) => {
    const [segment] = await tx<{ kind: string; name: string }[]>`
      select kind, name from segments where workspace_id = ${input.workspaceId} and id::text = ${input.segmentId}`;
    if (!segment) throw notFoundError('The segment');
    if (segment.kind !== 'static') {
      throw new DataError(
        'not_static',
        409,
        `${segment.name} is a dynamic segment: its rule decides who is in it`,
      );
    }
    const { contactIds, unknownContactIds } = await survivingContactIds(
      tx,
      input.workspaceId,
      input.contactIds,
    );
    const changeIds = await applyStatic(tx, {
      workspaceId: input.workspaceId,
      segmentIds: [input.segmentId.toLowerCase()],
      contactIds,
      change: input.change,
      cause: input.cause,
      now: input.now,
    });
    const changed = changeIds.length;
    const settled = await settleContactsIn(tx, {
      workspaceId: input.workspaceId,
      contactIds,
      now: input.now,
      cause: input.cause,
    });
    const all = [...changeIds, ...settled.changeIds];
    const outboxId = input.outbox
      ? await writeJourneyOutbox(tx, input.workspaceId, {
          changeIds: all,
          contactIds: settled.changedContactIds,
        })
      : null;
    return {
      changed,
      changeIds: all,
      unknownContactIds,
      changedContactIds: settled.changedContactIds,
      outboxIds: outboxId === null ? [] : [outboxId],
    };
  });
}

export interface SegmentMember {
  id: string;
  email: string | null;
  externalId: string | null;
  properties: Record<string, unknown>;
  tags: string[];
  score: number;
  enteredAt: Date;
}

/** A page of a segment's members, by contact id (`after` is the last id of the previous page). */
export async function listSegmentMembers(
  sql: Sql,
  input: { workspaceId: string; segmentId: string; after?: string | undefined; limit: number },
): Promise<SegmentMember[]> {
  return sql<SegmentMember[]>`
    select c.id, c.email, c.external_id, c.properties, c.tags, c.score, m.entered_at
    from segment_members m join contacts c on c.id = m.contact_id
    where m.workspace_id = ${input.workspaceId} and m.segment_id = ${input.segmentId}
      ${input.after ? sql`and m.contact_id > ${input.after}` : sql``}
    order by m.contact_id limit ${input.limit}`;
}

/** A segment's size at the end of one day (the workspace's calendar), the last one today. */
export interface SegmentSizeOnDay {
  /** `YYYY-MM-DD` in the workspace's time zone. */
  day: string;
  members: number;
}

/**
 * How many members a segment had at the end of each of the last `days` days, today's being its
 * size now: read back from today's count through the change log (each day's entries minus its
 * exits). Contacts erased since are gone from both, so days before an erasure count them out.
 */
export async function segmentSizeHistory(
  sql: Sql,
  input: { workspaceId: string; segmentId: string; days: number; now: Date },
): Promise<{ timezone: string; days: SegmentSizeOnDay[] }> {
  const [row] = await sql<{ timezone: string; today: string; members: number }[]>`
    select w.timezone, to_char((${input.now}::timestamptz at time zone w.timezone)::date, 'YYYY-MM-DD') as today,
      (select count(*)::int from segment_members m where m.segment_id = ${input.segmentId}) as members
    from workspaces w where w.id = ${input.workspaceId}`;
  if (!row) return { timezone: 'UTC', days: [] };
  // Each day's net change, for the days after the oldest one shown (from the start of the next,
  // in the workspace's zone): the oldest day's own changes are already in its end-of-day count.
  const changes = await sql<{ day: string; net: number }[]>`
    select to_char((g.at at time zone ${row.timezone})::date, 'YYYY-MM-DD') as day,
      sum(case when g.change = 'entered' then 1 else -1 end)::int as net
    from segment_changes g
    where g.segment_id = ${input.segmentId} and g.workspace_id = ${input.workspaceId}
      and g.at >= (((${row.today}::text::date - ${input.days - 1}::int)::timestamp
        + interval '1 day') at time zone ${row.timezone})
    group by 1`;
  const net = new Map(changes.map((c) => [c.day, c.net]));
  const days: SegmentSizeOnDay[] = [];
  let members = row.members;
  const today = new Date(`${row.today}T00:00:00Z`);
  for (let back = 0; back < input.days; back++) {
    const day = new Date(today.getTime() - back * 86_400_000).toISOString().slice(0, 10);
    days.push({ day, members });
    // The end of the day before: this day's changes undone.
    members -= net.get(day) ?? 0;
  }
  return { timezone: row.timezone, days: days.reverse() };
}
