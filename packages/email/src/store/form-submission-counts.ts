import type { Sql } from '@relance/db';

const DAY_MS = 86_400_000;

/**
 * Counts one submission of a form from an address in the current fixed window and returns how
 * many that address made in it, this one included. Counted in Postgres so every API copy
 * shares the limit.
 */
export async function countFormSubmission(
  sql: Sql,
  input: { formId: string; ip: string; windowMs: number; now: Date },
): Promise<number> {
  const now = input.now.getTime();
  const windowStart = new Date(now - (now % input.windowMs));
  const [row] = await sql<{ count: number }[]>`
    insert into form_submission_counts as c (form_id, ip, window_start, count)
    values (${input.formId}, ${input.ip}, ${windowStart}, 1)
    on conflict (form_id, ip, window_start) do update set count = c.count + 1
    returning count`;
  // A new window is the moment to forget old ones: bounded work, no scheduler needed.
  if (row!.count === 1) {
    await sql`
      delete from form_submission_counts
      where window_start < ${new Date(now - Math.max(DAY_MS, input.windowMs))}`;
  }
  return row!.count;
}
