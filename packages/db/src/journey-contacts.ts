import type { Queryable } from './queryable';

/** The contact as flow actions and Liquid see it. */
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
    from contacts c join workspaces w on w.id = c.workspace_id
    where c.workspace_id = ${workspaceId} and c.id = ${contactId}`;
  return row;
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

/** The last event id recorded for a contact ('0' when none): where a run's event waits start. */
export async function lastEventId(sql: Queryable, contactId: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    select coalesce(max(id), 0)::text as id from events where contact_id = ${contactId}`;
  return row!.id;
}

/** Events named `name` of a contact after `afterId`, oldest first. */
export async function findEventsAfter(
  sql: Queryable,
  input: { contactId: string; name: string; afterId: string; limit: number; receivedBy?: Date },
): Promise<{ id: string; properties: Record<string, unknown>; occurredAt: Date }[]> {
  const receivedBy = input.receivedBy ?? null;
  return sql<{ id: string; properties: Record<string, unknown>; occurredAt: Date }[]>`
    select id::text as id, properties, occurred_at from events
    where contact_id = ${input.contactId} and name = ${input.name} and id > ${input.afterId}::bigint
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
