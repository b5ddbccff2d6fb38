import { getJourney, updateJourneyDraft, type Journey, type Sql } from '@relance/db';

export type DraftSave =
  | { kind: 'saved'; journey: Journey }
  | { kind: 'missing' }
  /** Someone saved the draft after `basedOn` (another tab, a teammate): nothing was written. */
  | { kind: 'changed'; journey: Journey };

/**
 * Replaces a journey's draft. With `basedOn` (the `updatedAt` the editor last read or wrote), only
 * if nobody saved it since: a second tab's autosave must not silently undo the first tab's work.
 */
export async function saveDraft(
  sql: Sql,
  input: {
    workspaceId: string;
    id: string;
    name: string;
    draft: Record<string, unknown>;
    basedOn?: Date;
  },
): Promise<DraftSave> {
  if (!input.basedOn) {
    const journey = await updateJourneyDraft(sql, input);
    return journey ? { kind: 'saved', journey } : { kind: 'missing' };
  }
  // updatedAt travels as milliseconds; the column keeps microseconds.
  const [row] = await sql<{ id: string }[]>`
    update journeys set name = ${input.name}, draft = ${sql.json(input.draft as never)},
      updated_at = now()
    where workspace_id = ${input.workspaceId} and id = ${input.id}
      and date_trunc('milliseconds', updated_at) = ${input.basedOn}
    returning id`;
  const journey = await getJourney(sql, input.workspaceId, input.id);
  if (!journey) return { kind: 'missing' };
  return row ? { kind: 'saved', journey } : { kind: 'changed', journey };
}
