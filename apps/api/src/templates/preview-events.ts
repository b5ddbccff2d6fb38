import { contactIdsOf, type Sql } from '@relance/db';

/** One of a contact's events an email can be previewed (or tested) after. */
export type PreviewEvent = {
  id: string;
  name: string;
  at: Date;
  /** In a search: the property value that holds what was searched for (`orderId`: ORD-1042). */
  match?: { property: string; value: string } | null;
};

/**
 * The most events one search reads: a contact can have 100k page views, and each event read is
 * looked into. The search says when it stopped there; the next page goes on from that event.
 */
export const SEARCH_READ = 5_000;

/** What was searched for, in words matched case-insensitively: `ORD-1042`, `blue sneakers`. */
export function searchWords(search: string): string[] {
  return [
    ...new Set(
      search
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w !== ''),
    ),
  ];
}

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
    /** Only the events holding these words in a property value or their name (`searchWords`). */
    search?: string[] | undefined;
    limit: number;
  },
): Promise<{
  events: PreviewEvent[];
  nextCursor: string | null;
  names: { name: string; count: number }[] | null;
  /**
   * In a search: `stoppedAt` is the date of the last event read when the search read
   * `SEARCH_READ` events without reaching the contact's oldest (`nextCursor` goes on from it).
   */
  search: { read: number; stoppedAt: Date | null } | null;
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
  const allNames = cursor ? null : names.map((n) => ({ name: n.name, count: Number(n.count) }));
  if (input.search && input.search.length > 0) {
    const found = await searchEvents(sql, {
      workspaceId: input.workspaceId,
      ids,
      names: wanted,
      cursor: cursor ?? null,
      words: input.search,
      limit: input.limit,
    });
    return { ...found, names: allNames };
  }
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
    names: allNames,
    search: null,
  };
}

/**
 * The newest events of these contacts and names holding every word, reading at most
 * `SEARCH_READ` of them. Each (contact, name) is read newest first from
 * `events_contact_name_time`, at most SEARCH_READ of it, and the reads are merged in time order
 * (a Merge Append), which takes from each only what the newest SEARCH_READ need, and stops when
 * a page fills. The plan is checked on 100,000 page views in template-preview-events-plan.test.
 */
async function searchEvents(
  sql: Sql,
  input: {
    workspaceId: string;
    ids: string[];
    names: string[];
    cursor: string | null;
    words: string[];
    limit: number;
  },
): Promise<{
  events: PreviewEvent[];
  nextCursor: string | null;
  search: { read: number; stoppedAt: Date | null };
}> {
  const none = { events: [], nextCursor: null, search: { read: SEARCH_READ, stoppedAt: null } };
  // Only the contacts and names that have events: one read each.
  const pairs =
    input.names.length === 0
      ? []
      : await sql<{ contactId: string; name: string }[]>`
    select contact_id as "contactId", name from contact_event_rollups
    where contact_id = any(${input.ids}::uuid[]) and name = any(${input.names}::text[])`;
  if (pairs.length === 0) return none;
  // The cursor's time as text: a Date would lose its microseconds.
  let before = sql``;
  if (input.cursor) {
    const [from] = await sql<{ at: string }[]>`
      select occurred_at::text as at from events
      where id = ${input.cursor}::bigint and workspace_id = ${input.workspaceId}`;
    if (!from) return none;
    before = sql`and e.occurred_at <= ${from.at}::timestamptz
      and (e.occurred_at, e.id) < (${from.at}::timestamptz, ${input.cursor}::bigint)`;
  }
  // No workspace here: the contacts are the workspace's (checked above), and without it the
  // planner has only the contact's own index to read each name newest first. Each read is in
  // that index's order (ties kept, so the merge below is exact) and stops at SEARCH_READ; the
  // Merge Append of them, under the limit below, takes only what it needs from each.
  const reads = pairs
    .map(
      (pair) => sql`(
      select e.id, e.name, e.occurred_at, e.properties from events e
      where e.contact_id = ${pair.contactId}::uuid and e.name = ${pair.name} ${before}
      order by e.occurred_at desc
      fetch first ${SEARCH_READ} rows with ties)`,
    )
    .reduce((all, read) => sql`${all} union all ${read}`);
  // Every event read is numbered; the matches come back, and the last one read when the
  // search reaches its bound (its `n` is SEARCH_READ), to say where it stopped.
  const rows = await sql<
    {
      id: string;
      name: string;
      at: Date;
      properties: unknown;
      n: string;
      hit: boolean;
    }[]
  >`
    select x.id::text as id, x.name, x.occurred_at as at, x.properties, x.n::text as n, x.hit
    from (
      select r.*, row_number() over (order by r.occurred_at desc, r.id desc) as n,
        coalesce((
          select bool_and(strpos(t.text, lower(w.word)) > 0)
          from (
            select lower(r.name || E'\n' || coalesce(string_agg(v #>> '{}', E'\n'), '')) as text
            from jsonb_path_query(r.properties, 'strict $.**') v
            where jsonb_typeof(v) in ('string', 'number')
          ) t, unnest(${input.words}::text[]) w(word)
        ), false) as hit
      from (
        select * from (${reads}) u
        order by u.occurred_at desc, u.id desc
        limit ${SEARCH_READ}
      ) r
    ) x
    where x.hit or x.n = ${SEARCH_READ}
    -- The window's own order: no sort of everything read before the limit, which stops the read.
    order by x.occurred_at desc, x.id desc
    limit ${input.limit + 1}`;
  const hits = rows.filter((row) => row.hit);
  const events = hits.slice(0, input.limit).map((row) => ({
    id: row.id,
    name: row.name,
    at: row.at,
    match: matchOf(row.properties, input.words),
  }));
  const last = events[events.length - 1];
  if (hits.length > input.limit && last) {
    return { events, nextCursor: last.id, search: { read: SEARCH_READ, stoppedAt: null } };
  }
  const stopped = rows.find((row) => Number(row.n) === SEARCH_READ);
  return {
    events,
    nextCursor: stopped ? stopped.id : null,
    search: { read: SEARCH_READ, stoppedAt: stopped ? stopped.at : null },
  };
}

/** The property value holding the most of the words (`products.0.name`: Blue sneakers). */
function matchOf(properties: unknown, words: string[]): { property: string; value: string } | null {
  const values: { property: string; value: string; score: number }[] = [];
  const visit = (value: unknown, path: string[]) => {
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      const score = words.filter((w) => text.toLowerCase().includes(w)).length;
      if (score > 0) values.push({ property: path.join('.'), value: text, score });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, String(i)]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(properties, []);
  const best = values.reduce<(typeof values)[number] | null>(
    (found, value) => (found && found.score >= value.score ? found : value),
    null,
  );
  if (!best) return null;
  const value = best.value.length > 80 ? `${best.value.slice(0, 79)}…` : best.value;
  return { property: best.property, value };
}
