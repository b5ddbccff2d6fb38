import type { Sql } from './sql';

const DAY_MS = 86_400_000;

/** A contact whose date property may fall in a scan window, with what is needed to be exact. */
export interface DateCandidate {
  contactId: string;
  /** The property's value as stored (ISO date or date-time), or `$created_at` as ISO. */
  value: string;
  timezone: string;
}

/** Local month-days (`MMDD` as a number) of every calendar day touching [fromMs, toMs], ±1 day. */
function monthDaysAround(fromMs: number, toMs: number): number[] {
  const days = new Set<number>();
  for (let t = fromMs - DAY_MS; t <= toMs + DAY_MS; t += DAY_MS / 2) {
    const d = new Date(t);
    days.add((d.getUTCMonth() + 1) * 100 + d.getUTCDate());
  }
  return [...days];
}

/**
 * Contacts whose date `property` may land in [fromMs, toMs] (already shifted back by the
 * trigger's offset), read from the segment engine's date index: by local month-day for yearly
 * triggers, by instant for one-off dates. Candidates only: the caller computes the exact
 * occurrence in the contact's time zone.
 */
export async function findDateCandidates(
  sql: Sql,
  input: {
    workspaceId: string;
    property: string;
    fromMs: number;
    toMs: number;
    repeat: 'yearly' | 'once';
  },
): Promise<DateCandidate[]> {
  const window =
    input.repeat === 'yearly'
      ? sql`d.month_day = any(${monthDaysAround(input.fromMs, input.toMs)}::int[])`
      : sql`d.at between ${new Date(input.fromMs - DAY_MS)} and ${new Date(input.toMs + DAY_MS)}`;
  return sql<DateCandidate[]>`
    select c.id as contact_id,
      case when d.name = '$created_at' then to_json(c.created_at) #>> '{}'
           else c.properties #>> string_to_array(d.name, '.') end as value,
      coalesce(c.timezone, w.timezone) as timezone
    from contact_date_properties d
    join contacts c on c.id = d.contact_id and c.merged_into is null
    join workspaces w on w.id = c.workspace_id
    where d.workspace_id = ${input.workspaceId} and d.name = ${input.property} and ${window}`;
}
