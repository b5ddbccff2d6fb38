import type { Sql } from './sql';

// What the journey dispatcher reads back after ingestion or the segment engine committed: the
// rows behind the ids it was handed (tables owned by the contacts and segments code).

export interface RecordedEvent {
  id: string;
  contactId: string;
  name: string;
  properties: Record<string, unknown>;
  occurredAt: Date;
}

/** Events by id (for the dispatcher): who, what, and the properties triggers filter on. */
export async function findEventsByIds(
  sql: Sql,
  input: { workspaceId: string; ids: string[] },
): Promise<RecordedEvent[]> {
  if (input.ids.length === 0) return [];
  return sql<RecordedEvent[]>`
    select id::text as id, contact_id, name, properties, occurred_at from events
    where workspace_id = ${input.workspaceId} and id = any(${input.ids}::bigint[])
    order by id`;
}

export interface RecordedSegmentChange {
  id: string;
  segmentId: string;
  contactId: string;
  /** The contact it is now: `contactId`, or the contact it was merged into since. */
  survivorId: string;
  change: 'entered' | 'exited';
  at: Date;
}

/** Segment enters/exits by id, oldest first. */
export async function findSegmentChangesByIds(
  sql: Sql,
  input: { workspaceId: string; ids: string[] },
): Promise<RecordedSegmentChange[]> {
  if (input.ids.length === 0) return [];
  return sql<RecordedSegmentChange[]>`
    select g.id::text as id, g.segment_id::text as segment_id, g.contact_id,
      coalesce(c.merged_into, g.contact_id) as survivor_id, g.change, g.at
    from segment_changes g left join contacts c on c.id = g.contact_id
    where g.workspace_id = ${input.workspaceId} and g.id = any(${input.ids}::bigint[])
    order by g.id`;
}

/**
 * Ids of the workspace's segments and email templates, for checking a flow's references before
 * it is published; null for a kind whose table does not exist in this installation yet.
 */
export async function findReferenceIds(
  sql: Sql,
  workspaceId: string,
): Promise<{ segments: Set<string> | null; templates: Set<string> | null }> {
  const [tables] = await sql<{ segments: boolean; templates: boolean }[]>`
    select to_regclass('segments') is not null as segments,
      to_regclass('email_templates') is not null as templates`;
  const segments = tables!.segments
    ? await sql<{ id: string }[]>`
        select id::text as id from segments where workspace_id = ${workspaceId}`
    : null;
  // Archived templates are not offered for new versions.
  const templates = tables!.templates
    ? await sql<{ id: string }[]>`
        select id::text as id from email_templates
        where workspace_id = ${workspaceId} and archived_at is null`
    : null;
  return {
    segments: segments && new Set(segments.map((r) => r.id)),
    templates: templates && new Set(templates.map((r) => r.id)),
  };
}
