import { DataError } from './data-error';
import type { Sql } from './sql';

/** One event of the workspace's activity feed, with who it is about. */
export interface ActivityEvent {
  id: string;
  name: string;
  occurredAt: Date;
  receivedAt: Date;
  source: string;
  properties: Record<string, unknown>;
  contact: { id: string; email: string | null; externalId: string | null };
}

interface Cursor {
  at: string;
  id: string;
}

const encode = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decode(cursor: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof value.at === 'string' &&
      !Number.isNaN(Date.parse(value.at)) &&
      typeof value.id === 'string' &&
      /^\d{1,19}$/.test(value.id)
    ) {
      return value;
    }
  } catch {
    // reported below
  }
  throw new DataError('invalid_cursor', 400, 'The cursor is not one this API returned', 'cursor');
}

/**
 * The workspace's latest events, newest first by when they happened, optionally of one name:
 * what a marketer checks after wiring up tracking ("did checkout send order.completed?").
 * Keyset-paginated by (time, id). Every read goes through the (workspace, name, time) index:
 * without a name, the names are found by skipping through that index (one probe each) and each
 * name's latest events are read from it, so a base of millions of events costs a few probes
 * per name, not a scan.
 */
export async function listRecentEvents(
  sql: Sql,
  workspaceId: string,
  input: { name?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{ events: ActivityEvent[]; nextCursor: string | null }> {
  const cursor = input.cursor ? decode(input.cursor) : null;
  const limit = input.limit + 1;
  const older = cursor
    ? // As text: a parameter typed timestamptz is sent through a Date, to the millisecond.
      sql`and (e.occurred_at, e.id) < (${cursor.at}::text::timestamptz, ${cursor.id}::bigint)`
    : sql``;
  const names =
    input.name === undefined
      ? sql`
        with recursive names(name) as (
          (select name from events where workspace_id = ${workspaceId} order by name limit 1)
          union all
          select (select e.name from events e
                  where e.workspace_id = ${workspaceId} and e.name > n.name
                  order by e.name limit 1)
          from names n where n.name is not null
        )
        select name from names where name is not null`
      : sql`select ${input.name}::text as name`;
  const rows = await sql<
    (Omit<ActivityEvent, 'contact'> & {
      contactId: string;
      email: string | null;
      externalId: string | null;
      cursorAt: string;
    })[]
  >`
    select e.id::text as id, e.name, e.occurred_at, e.received_at, e.source, e.properties,
      c.id as contact_id, c.email, c.external_id,
      -- To the microsecond: a cursor rounded to the millisecond would skip events.
      to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
    from (${names}) n
    cross join lateral (
      select * from events e
      where e.workspace_id = ${workspaceId} and e.name = n.name ${older}
      order by e.occurred_at desc, e.id desc
      limit ${limit}
    ) e
    join contacts c on c.id = e.contact_id
    order by e.occurred_at desc, e.id desc
    limit ${limit}`;
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    events: page.map(({ contactId, email, externalId, cursorAt: _, ...event }) => ({
      ...event,
      contact: { id: contactId, email, externalId },
    })),
    nextCursor:
      rows.length > input.limit && last ? encode({ at: last.cursorAt, id: last.id }) : null,
  };
}
