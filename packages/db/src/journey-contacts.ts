import type { Queryable } from './queryable';
import type { TransactionSql } from './sql';

// A journey run keeps the contact id it began with, and a merge leaves that contact as a pointer
// (`merged_into`) to the survivor, the real person. Everything here that a run calls with its
// contact id acts on the survivor: `coalesce(merged_into, id)` by primary key, in the statement
// itself. One step is enough: a merge re-points the contacts merged into the one it merges away
// (A→B then B→C leaves A→C), so `merged_into` always names a contact that is not merged.

/** The id a contact is known by now, as a subquery by primary key (null when there is none). */
const survivorOf = (sql: Queryable, contactId: string) =>
  sql`(select coalesce(s.merged_into, s.id) from contacts s where s.id = ${contactId})`;

/** The contact as flow actions and Liquid see it: a merged contact's survivor. */
export interface JourneyContact {
  id: string;
  workspaceId: string;
  email: string | null;
  externalId: string | null;
  properties: Record<string, unknown>;
  tags: string[];
  score: number;
  /** The contact's zone, else the workspace's. */
  timezone: string;
  lifecycleStage: string | null;
  createdAt: Date;
}

export async function getJourneyContact(
  sql: Queryable,
  workspaceId: string,
  contactId: string,
): Promise<JourneyContact | undefined> {
  const [row] = await sql<JourneyContact[]>`
    select c.id, c.workspace_id, c.email, c.external_id, c.properties, c.tags, c.score,
      coalesce(c.timezone, w.timezone) as timezone, c.lifecycle_stage, c.created_at
    from contacts m
    join contacts c on c.id = coalesce(m.merged_into, m.id)
    join workspaces w on w.id = c.workspace_id
    where m.workspace_id = ${workspaceId} and m.id = ${contactId}`;
  return row;
}

/**
 * The contact a run's action changes, row-locked in the caller's transaction: the run's own
 * contact, or the survivor it was merged into (undefined when neither exists any more). A merge
 * that commits while the lock waits for it is followed again, so the change never lands on a row
 * the merge has just turned into a pointer.
 */
export async function lockRunContact(
  tx: TransactionSql,
  workspaceId: string,
  contactId: string,
): Promise<string | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await tx<{ id: string; mergedInto: string | null }[]>`
      select c.id, c.merged_into from contacts m join contacts c on c.id = coalesce(m.merged_into, m.id)
      where m.workspace_id = ${workspaceId} and m.id = ${contactId}
      for update of c`;
    if (!row) return undefined;
    if (row.mergedInto === null) return row.id;
  }
  throw new Error(`The contact ${contactId} kept being merged while a journey changed it; retry`);
}

/** Adds and removes tags (removals first); returns the tags after. */
export async function changeContactTags(
  sql: Queryable,
  input: {
    workspaceId: string;
    contactId: string;
    add: readonly string[];
    remove: readonly string[];
  },
): Promise<string[] | undefined> {
  const [row] = await sql<{ tags: string[] }[]>`
    update contacts set
      tags = array(
        select distinct t from unnest(array_cat(
          array(select x from unnest(tags) x where not x = any(${[...input.remove]}::text[])),
          ${[...input.add]}::text[])) t order by t),
      updated_at = now()
    where workspace_id = ${input.workspaceId} and id = ${input.contactId}
    returning tags`;
  return row?.tags;
}

/** Adds `delta` to the lead score; returns the score after. */
export async function changeContactScore(
  sql: Queryable,
  input: { workspaceId: string; contactId: string; delta: number },
): Promise<number | undefined> {
  const [row] = await sql<{ score: number }[]>`
    update contacts set score = score + ${input.delta}, updated_at = now()
    where workspace_id = ${input.workspaceId} and id = ${input.contactId}
    returning score`;
  return row?.score;
}

/** Built-in fields a flow may set, by their `$` name. */
export const SETTABLE_FIELDS = ['$lifecycle_stage', '$timezone', '$score'] as const;

/**
 * Sets contact properties by path (`plan`, `address.city`; null removes the value) and the
 * settable built-in fields. Returns false when the contact does not exist.
 */
export async function setContactProperties(
  sql: Queryable,
  input: { workspaceId: string; contactId: string; values: Record<string, unknown> },
): Promise<boolean> {
  const fields: Record<string, unknown> = {};
  let properties = sql`properties`;
  for (const [path, value] of Object.entries(input.values)) {
    if (path.startsWith('$')) {
      if (!(SETTABLE_FIELDS as readonly string[]).includes(path)) {
        throw new Error(`The field ${path} cannot be set by a flow`);
      }
      fields[path.slice(1)] = value;
      continue;
    }
    const keys = path.split('.');
    if (value === null) {
      properties = sql`(${properties}) #- ${keys}::text[]`;
      continue;
    }
    // jsonb_set creates only the last key: make every parent on the path an object first.
    for (let depth = 1; depth < keys.length; depth++) {
      const parent = keys.slice(0, depth);
      properties = sql`jsonb_set(${properties}, ${parent}::text[], case
        when jsonb_typeof((${properties}) #> ${parent}::text[]) = 'object'
        then (${properties}) #> ${parent}::text[] else '{}'::jsonb end)`;
    }
    properties = sql`jsonb_set(${properties}, ${keys}::text[], ${sql.json(value as never)})`;
  }
  const lifecycle =
    'lifecycle_stage' in fields
      ? sql`, lifecycle_stage = ${fields.lifecycle_stage as string | null}`
      : sql``;
  const timezone =
    'timezone' in fields ? sql`, timezone = ${fields.timezone as string | null}` : sql``;
  const score = 'score' in fields ? sql`, score = ${Number(fields.score)}` : sql``;
  const rows = await sql`
    update contacts set properties = ${properties}, updated_at = now() ${lifecycle} ${timezone} ${score}
    where workspace_id = ${input.workspaceId} and id = ${input.contactId}`;
  return rows.count > 0;
}

/**
 * The last event id recorded for a contact (a merged one's survivor; '0' when none): where a
 * run's event waits start.
 */
export async function lastEventId(sql: Queryable, contactId: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    select coalesce(max(id), 0)::text as id from events
    where contact_id = ${survivorOf(sql, contactId)}`;
  return row!.id;
}

/**
 * The id of the last event `name` Postgres received for a contact (its survivor's, when merged)
 * by `at`: events are taken in arrival order (by id), so those after it came after `at`.
 */
export async function lastEventReceivedBy(
  sql: Queryable,
  contactId: string,
  name: string,
  at: Date,
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    select coalesce(max(id), 0)::text as id from events
    where contact_id = ${survivorOf(sql, contactId)} and name = ${name} and received_at <= ${at}`;
  return row!.id;
}

/** An event a run's wait looks at. */
export interface FoundEvent {
  id: string;
  properties: Record<string, unknown>;
  occurredAt: Date;
  receivedAt: Date;
}

/**
 * Events named `name` of a contact after `afterId`, oldest first. A merged contact's are its
 * survivor's: the merge moved its events there, and new ones are recorded there.
 */
export async function findEventsAfter(
  sql: Queryable,
  input: { contactId: string; name: string; afterId: string; limit: number; receivedBy?: Date },
): Promise<FoundEvent[]> {
  const receivedBy = input.receivedBy ?? null;
  return sql<FoundEvent[]>`
    select id::text as id, properties, occurred_at, received_at from events
    where contact_id = ${survivorOf(sql, input.contactId)} and name = ${input.name}
      and id > ${input.afterId}::bigint
      and (${receivedBy}::timestamptz is null or received_at <= ${receivedBy}::timestamptz)
    order by id limit ${input.limit}`;
}

/** An event by id for Liquid (`event.*`), or undefined. */
export async function getEvent(
  sql: Queryable,
  id: string,
): Promise<{ name: string; properties: Record<string, unknown>; occurredAt: Date } | undefined> {
  const [row] = await sql<
    { name: string; properties: Record<string, unknown>; occurredAt: Date }[]
  >`
    select name, properties, occurred_at from events where id = ${id}::bigint`;
  return row;
}
