import type { Sql } from './sql';

/** Contacts whose dates one step of a re-index re-reads, each step its own transaction. */
export const REINDEX_DATES_CHUNK = 5_000;

/**
 * Re-indexes the dates of the workspace's contacts that have no zone of their own, in the
 * workspace's zone as it is now: their wall-clock dates ("renews 1 July") denote another instant
 * once the workspace's zone changed, and the contacts' own triggers only follow their own fields.
 * The tick's crossing windows and the anniversary triggers read this index, so without it they
 * would look for the old instants. Rules read the properties themselves and need nothing of this.
 *
 * A step locks its contacts `for share` while it reads them, so a concurrent change of a
 * contact's properties (whose trigger indexes them again) cannot be overwritten with what this
 * read before it. Each step reads the zone afresh: a later change converges on the newest zone.
 * Returns the rows whose instant or month-day moved.
 */
export async function reindexWorkspaceDates(
  sql: Sql,
  workspaceId: string,
  options: { chunk?: number } = {},
): Promise<number> {
  const chunk = options.chunk ?? REINDEX_DATES_CHUNK;
  let after = '00000000-0000-0000-0000-000000000000';
  let moved = 0;
  for (;;) {
    const [step] = await sql<{ last: string | null; moved: number }[]>`
      with zone as (
        select timezone as tz from workspaces where id = ${workspaceId}
      ), chunk as (
        select c.id, c.properties, c.created_at from contacts c
        where c.workspace_id = ${workspaceId} and c.timezone is null and c.id > ${after}
        order by c.id
        limit ${chunk}
        for share of c
      ), dated as (
        select ch.id, d.name, d.at,
          (extract(month from d.at at time zone z.tz) * 100
            + extract(day from d.at at time zone z.tz))::int as month_day
        from chunk ch
        cross join zone z
        cross join lateral relance_contact_dates(ch.properties, ch.created_at, z.tz) d
      ), written as (
        insert into contact_date_properties as p (contact_id, workspace_id, name, at, month_day)
        select id, ${workspaceId}, name, at, month_day from dated
        on conflict (contact_id, name) do update set at = excluded.at, month_day = excluded.month_day
        where (p.at, p.month_day) is distinct from (excluded.at, excluded.month_day)
        returning 1
      )
      select (select id from chunk order by id desc limit 1)::text as last, (select count(*) from written)::int as moved`;
    moved += step!.moved;
    if (step!.last === null) return moved;
    after = step!.last;
  }
}
