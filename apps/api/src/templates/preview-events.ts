import { contactIdsOf, type Sql } from '@relance/db';

/** One of a contact's events an email can be previewed (or tested) after. */
export type PreviewEvent = { id: string; name: string; at: Date };

/**
 * The events of a contact (and of the contacts merged into it) that an email can read as
 * `{{ event.… }}`: every event but the ones about its emails (`email.*`), newest first, a page
 * at a time, of one name when `name` is given; and, on the first page, the names it has with
 * how many of each. Each name is read newest first from `events_contact_name_time`, limited
 * before they are merged: a long history is never read whole.
 */
export async function previewEvents(
  sql: Sql,
  input: {
    workspaceId: string;
    contactId: string;
    name?: string | undefined;
    /** The id of the last event of the page before (its `nextCursor`). */
    cursor?: string | null;
    limit: number;
  },
): Promise<{
  events: PreviewEvent[];
  nextCursor: string | null;
  names: { name: string; count: number }[] | null;
} | null> {
  const [contact] = await sql<{ id: string }[]>`
    select id from contacts where id = ${input.contactId} and workspace_id = ${input.workspaceId}`;
  if (!contact) return null;
  const ids = await contactIdsOf(sql, contact.id);
  // The rollups hold one row per contact and name: the names, without reading the events.
  const names = await sql<{ name: string; count: string }[]>`
    select name, sum(count)::text as count from contact_event_rollups
    where contact_id = any(${ids}::uuid[]) and left(name, 6) <> 'email.'
    group by name order by max(last_at) desc, name`;
  const wanted =
    input.name === undefined
      ? names.map((n) => n.name)
      : names.some((n) => n.name === input.name)
        ? [input.name]
        : [];
  const cursor = input.cursor;
  const before = cursor
    ? sql`and (e.occurred_at, e.id) < (select c.occurred_at, c.id from events c
                                       where c.id = ${cursor}::bigint and c.workspace_id = ${input.workspaceId})`
    : sql``;
  const rows =
    wanted.length === 0
      ? []
      : await sql<{ id: string; name: string; at: Date }[]>`
    select x.id::text as id, x.name, x.occurred_at as at
    from unnest(${wanted}::text[]) as n(name)
    cross join lateral (
      select e.id, e.name, e.occurred_at from events e
      where e.contact_id = any(${ids}::uuid[]) and e.name = n.name
        and e.workspace_id = ${input.workspaceId} ${before}
      order by e.occurred_at desc, e.id desc
      limit ${input.limit + 1}
    ) x
    order by x.occurred_at desc, x.id desc
    limit ${input.limit + 1}`;
  const events = rows.slice(0, input.limit);
  const last = events[events.length - 1];
  return {
    events,
    nextCursor: rows.length > input.limit && last ? last.id : null,
    names: cursor ? null : names.map((n) => ({ name: n.name, count: Number(n.count) })),
  };
}
