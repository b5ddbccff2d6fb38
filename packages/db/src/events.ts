import { MACHINE_EVENTS } from '@relance/flow';
import { DataError } from './data-error';
import type { JourneyDispatcher } from './dispatch';
import { dispatchFromOutbox } from './dispatch-changes';
import {
  newSeenFacts,
  noteProperties,
  registerSeenFacts,
  type SeenFacts,
} from './known-properties';
import { settleContacts } from './segment-engine';
import type { Sql, TransactionSql } from './sql';

/** One event to store, its contact already known. */
export interface EventRow {
  contactId: string;
  name: string;
  properties: Record<string, unknown>;
  occurredAt: Date;
  messageId: string | null;
  source: string;
}

/**
 * Inserts events (a replayed message id is skipped), updates the per-contact rollups and queues
 * the contacts for segment re-evaluation, all in one statement (of the caller's transaction, or
 * on its own). Events of a merged contact land on the contact it was merged into. Returns the
 * new event id per input row (null for a duplicate) and the contacts that received events.
 */
export async function insertEventRows(
  tx: Sql | TransactionSql,
  workspaceId: string,
  rows: readonly EventRow[],
  now: Date,
  options: {
    /**
     * Also write the statement's journey outbox row (its new events' ids), in the same
     * statement: a caller outside a transaction stays one statement.
     */
    outbox?: boolean;
  } = {},
): Promise<{
  eventIds: (string | null)[];
  contactIds: string[];
  /** The names of the events each contact received. */
  events: Map<string, string[]>;
  /** The journey outbox row written with `outbox` (null when no event was new). */
  outboxId: string | null;
}> {
  if (rows.length === 0) {
    return { eventIds: [], contactIds: [], events: new Map(), outboxId: null };
  }
  const input = rows.map((r, ord) => ({
    ord,
    contact_id: r.contactId,
    name: r.name,
    properties: r.properties,
    occurred_at: r.occurredAt.toISOString(),
    message_id: r.messageId,
    source: r.source,
  }));
  const outbox = options.outbox
    ? tx`, outbox as (
        insert into journey_outbox (workspace_id, event_ids)
        select ${workspaceId}, array_agg(id) from ins having count(*) > 0
        returning id
      )`
    : tx``;
  const outboxColumn = options.outbox
    ? tx`, (select id::text from outbox) as outbox_id`
    : tx`, null::text as outbox_id`;
  const inserted = await tx<
    {
      id: string;
      messageId: string | null;
      contactId: string;
      name: string;
      outboxId: string | null;
    }[]
  >`
    with raw as (
      select * from jsonb_to_recordset(${tx.json(input as never)}::jsonb) as x(
        ord int, contact_id uuid, name text, properties jsonb, occurred_at timestamptz,
        message_id text, source text)
    ), input as (
      -- A merged contact's events go to the contact it was merged into: one probe per row of the
      -- index of merged contacts, which finds nothing for the others without reading their rows
      -- (LIMIT keeps the planner from flattening it into a join). That the contact exists, in
      -- this workspace, is checked by the events' insert trigger.
      select r.ord, coalesce(m.merged_into, r.contact_id) as contact_id, r.name, r.properties,
        r.occurred_at, r.message_id, r.source
      from raw r left join lateral (
        select c.merged_into from contacts c
        where c.id = r.contact_id and c.merged_into is not null limit 1
      ) m on true
    ), ins as (
      insert into events (workspace_id, contact_id, name, properties, occurred_at, received_at, message_id, source)
      select ${workspaceId}, contact_id, name, properties, occurred_at, ${now}, message_id, source
      from input order by ord
      on conflict (workspace_id, message_id) where message_id is not null do nothing
      returning id, contact_id, name, occurred_at, message_id, properties
    ), rollups as (
      -- Each event counts in its name's rollup; an open or click not flagged as a machine's
      -- also moves the rollup's person-only last time ("no click by a person for 15 days").
      insert into contact_event_rollups as r (workspace_id, contact_id, name, count, first_at, last_at, human_last_at)
      select ${workspaceId}, contact_id, name, count(*), min(occurred_at), max(occurred_at),
        max(occurred_at) filter (
          where name = any(${MACHINE_EVENTS}::text[])
            and coalesce(properties ->> 'machine', '') <> 'true')
      from ins
      group by contact_id, name order by contact_id, name
      on conflict (contact_id, name) do update set
        count = r.count + excluded.count,
        first_at = least(r.first_at, excluded.first_at),
        last_at = greatest(r.last_at, excluded.last_at),
        human_last_at = greatest(r.human_last_at, excluded.human_last_at)
    ), queued as (
      insert into segment_queue (workspace_id, contact_id, queued_at)
      select distinct ${workspaceId}::uuid, contact_id, ${now}::timestamptz from ins
    )${outbox}
    select id::text as id, message_id, contact_id, name${outboxColumn} from ins`;
  // RETURNING follows insertion order: rows with a message id are matched by it, the others
  // (which can never conflict) in order.
  const byMessage = new Map<string, string>();
  const withoutMessage: string[] = [];
  for (const row of inserted) {
    if (row.messageId === null) withoutMessage.push(row.id);
    else byMessage.set(row.messageId, row.id);
  }
  let next = 0;
  const seen = new Set<string>();
  const eventIds = rows.map((r) => {
    if (r.messageId === null) return withoutMessage[next++] ?? null;
    if (seen.has(r.messageId)) return null;
    seen.add(r.messageId);
    return byMessage.get(r.messageId) ?? null;
  });
  const events = new Map<string, string[]>();
  for (const row of inserted) {
    const names = events.get(row.contactId) ?? [];
    if (!names.includes(row.name)) names.push(row.name);
    events.set(row.contactId, names);
  }
  return {
    eventIds,
    contactIds: [...events.keys()],
    events,
    outboxId: inserted[0]?.outboxId ?? null,
  };
}

/** Registry facts of a batch of events. */
export function noteEvents(seen: SeenFacts, rows: readonly EventRow[]) {
  for (const r of rows) {
    seen.events.add(r.name);
    noteProperties(seen, 'event', r.name, r.properties);
  }
}

export interface EventInput {
  contactId: string;
  name: string;
  properties?: Record<string, unknown>;
  /** Event time; the recording time when absent. A time in the future is clamped to now. */
  occurredAt?: Date;
  /** Idempotency key, unique per workspace: a replayed message is accepted and ignored. */
  messageId?: string;
  /** Where it came from: `email`, `form`, `flow`, … (default `app`). */
  source?: string;
}

export interface RecordEventsResult {
  /** The new event id per input, null where the message id was already recorded. */
  eventIds: (string | null)[];
  duplicates: number;
  /** The contacts the events landed on (a merged contact's events land on its survivor). */
  contactIds: string[];
  /** Segment changes the events caused (when a dispatcher was given). */
  changeIds: string[];
  /**
   * With `outbox` and no dispatcher: the journey outbox row of the events' transaction, for the
   * caller to clear once it dispatched them (dispatchFromOutbox). Empty otherwise.
   */
  outboxIds: string[];
}

/**
 * Records events for known contacts (email engagement, form submissions, …): events, rollups
 * and the segment queue in one transaction. With a dispatcher, it then tells journeys about
 * the events, re-evaluates the contacts' segments at once and dispatches the changes; without
 * one the segment tick picks the contacts up within a minute. With a dispatcher (or `outbox`),
 * each transaction also writes its journey outbox row, deleted once its facts were dispatched,
 * so a process stopping in between leaves them for the worker's sweep.
 */
export async function recordEvents(
  sql: Sql,
  workspaceId: string,
  events: readonly EventInput[],
  options: {
    now?: Date;
    dispatcher?: JourneyDispatcher;
    log?: (line: string) => void;
    /** Write the events' journey outbox row without a dispatcher (the caller dispatches). */
    outbox?: boolean;
  } = {},
): Promise<RecordEventsResult> {
  const now = options.now ?? new Date();
  const seen = newSeenFacts();
  const outbox = options.outbox === true || options.dispatcher !== undefined;
  const {
    eventIds,
    contactIds,
    events: received,
    outboxId,
    remember,
  } = await sql.begin(async (tx) => {
    const requested = [...new Set(events.map((e) => e.contactId))];
    const found = await tx<{ id: string; survivor: string }[]>`
      select id, coalesce(merged_into, id) as survivor from contacts
      where workspace_id = ${workspaceId} and id = any(${requested}::uuid[])`;
    const survivor = new Map(found.map((r) => [r.id, r.survivor]));
    const rows = events.map((e, index): EventRow => {
      const contactId = survivor.get(e.contactId);
      if (!contactId) {
        throw new DataError(
          'not_found',
          404,
          `No contact ${e.contactId} in this workspace`,
          `events.${index}.contactId`,
        );
      }
      const at = e.occurredAt ?? now;
      return {
        contactId,
        name: e.name,
        properties: e.properties ?? {},
        occurredAt: at > now ? now : at,
        messageId: e.messageId ?? null,
        source: e.source ?? 'app',
      };
    });
    const inserted = await insertEventRows(tx, workspaceId, rows, now, { outbox });
    const { eventIds, contactIds } = inserted;
    noteEvents(
      seen,
      rows.filter((_, i) => eventIds[i] !== null),
    );
    const remember = await registerSeenFacts(tx, sql, workspaceId, seen);
    return {
      eventIds,
      contactIds,
      events: inserted.events,
      outboxId: inserted.outboxId,
      remember,
    };
  });
  remember();
  const outboxIds = outboxId === null ? [] : [outboxId];
  const result: RecordEventsResult = {
    eventIds,
    duplicates: eventIds.filter((id) => id === null).length,
    contactIds,
    changeIds: [],
    outboxIds,
  };
  if (options.dispatcher) {
    result.outboxIds = [];
    const inserted = eventIds.filter((id): id is string => id !== null);
    await dispatchFromOutbox(
      sql,
      options.dispatcher,
      workspaceId,
      { eventIds: inserted, outboxIds },
      options.log,
    );
    const settled = await settleContacts(sql, {
      workspaceId,
      contactIds,
      now,
      cause: 'event',
      changed: { events: received, everything: [] },
      outbox: true,
    });
    result.changeIds = settled.changeIds;
    await dispatchFromOutbox(
      sql,
      options.dispatcher,
      workspaceId,
      {
        changeIds: settled.changeIds,
        contactIds: settled.changedContactIds,
        outboxIds: settled.outboxIds,
      },
      options.log,
    );
  }
  return result;
}
