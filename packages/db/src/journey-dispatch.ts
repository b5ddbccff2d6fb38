import type { Sql } from './sql';

export * from './journey-dispatch-outbox';

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
 * Ids of the workspace's segments (with kinds and names), email templates (every one not deleted,
 * and the archived ones apart) and topic keys, for checking a flow's references before it is
 * published; null for a kind whose table does not exist in this installation yet.
 */
export async function findReferenceIds(
  sql: Sql,
  workspaceId: string,
): Promise<{
  segments: Set<string> | null;
  segmentKinds: Map<string, 'static' | 'dynamic'>;
  segmentNames: Map<string, string>;
  templates: Set<string> | null;
  archivedTemplates: Set<string>;
  templateNames: Map<string, string>;
  topics: Set<string> | null;
}> {
  const [tables] = await sql<{ segments: boolean; templates: boolean; topics: boolean }[]>`
    select to_regclass('segments') is not null as segments,
      to_regclass('email_templates') is not null as templates,
      to_regclass('email_topics') is not null as topics`;
  const segments = tables!.segments
    ? await sql<{ id: string; name: string; kind: 'static' | 'dynamic' }[]>`
        select id::text as id, name, kind from segments where workspace_id = ${workspaceId}`
    : null;
  // An archived template is still one: a condition reads its opens and clicks, only a send step
  // refuses it. Names say which one a problem is about.
  const templates = tables!.templates
    ? await sql<{ id: string; name: string; archived: boolean }[]>`
        select id::text as id, name, archived_at is not null as archived
        from email_templates where workspace_id = ${workspaceId}`
    : null;
  const topics = tables!.topics
    ? await sql<{ key: string }[]>`
        select key from email_topics where workspace_id = ${workspaceId}`
    : null;
  return {
    segments: segments && new Set(segments.map((r) => r.id)),
    segmentKinds: new Map(segments?.map((r) => [r.id, r.kind])),
    segmentNames: new Map(segments?.map((r) => [r.id, r.name])),
    templates: templates && new Set(templates.map((r) => r.id)),
    archivedTemplates: new Set(templates?.filter((r) => r.archived).map((r) => r.id)),
    templateNames: new Map(templates?.map((r) => [r.id, r.name])),
    topics: topics && new Set(topics.map((r) => r.key)),
  };
}

// A dispatch Postgres failed on every attempt is kept in journey_dispatch_pending as kind
// 'dispatch' (migration 0083) for the worker's redelivery loop, which runs the same call again.

/** The dispatcher calls a kept dispatch can redo. */
export const DISPATCH_METHODS = ['eventsRecorded', 'segmentsChanged', 'contactsChanged'] as const;
export type DispatchMethod = (typeof DISPATCH_METHODS)[number];

/** A kept dispatch's payload: the call, ids only. */
export interface KeptDispatch {
  v: 1;
  method: DispatchMethod;
  ids: string[];
}

/** The workflow_id column of a kept dispatch: no run is known yet, so it names the call. */
export const keptDispatchId = (method: DispatchMethod) => `dispatch:${method}`;

/**
 * Keeps a dispatch that failed (Postgres) for the redelivery loop. The same call failing again
 * before it is redone stays one row: its revision moves on, so a redelivery in flight leaves it.
 */
export async function keepFailedDispatch(
  sql: Sql,
  input: {
    workspaceId: string;
    method: DispatchMethod;
    ids: readonly string[];
    error: string;
    nextAttemptAt: Date;
  },
): Promise<void> {
  const payload: KeptDispatch = { v: 1, method: input.method, ids: [...input.ids] };
  await sql`
    insert into journey_dispatch_pending
      (workspace_id, kind, workflow_id, payload, last_error, next_attempt_at)
    values (${input.workspaceId}, 'dispatch', ${keptDispatchId(input.method)},
      ${sql.json(payload as never)}, ${input.error}, ${input.nextAttemptAt})
    on conflict (kind, workflow_id, md5(payload::text)) do update set
      revision = journey_dispatch_pending.revision + 1,
      last_error = excluded.last_error,
      next_attempt_at = least(journey_dispatch_pending.next_attempt_at, excluded.next_attempt_at)`;
}

/** What a workspace's kept dispatches hold: how many facts have not reached the journeys yet. */
export interface KeptDispatchBacklog {
  /** Kept dispatches (rows), the stuck ones included. */
  dispatches: number;
  /** Of those, the ones that failed so often they are reported (still retried). */
  stuck: number;
  events: number;
  segmentChanges: number;
  contactChanges: number;
}

/** Counts a workspace's kept dispatches and the ids they hold, per kind of fact. */
export async function findKeptDispatchBacklog(
  sql: Sql,
  workspaceId: string,
): Promise<KeptDispatchBacklog> {
  const [row] = await sql<KeptDispatchBacklog[]>`
    select count(*)::int as dispatches,
      count(*) filter (where stuck_since is not null)::int as stuck,
      coalesce(sum(jsonb_array_length(payload->'ids'))
        filter (where payload->>'method' = 'eventsRecorded'), 0)::int as events,
      coalesce(sum(jsonb_array_length(payload->'ids'))
        filter (where payload->>'method' = 'segmentsChanged'), 0)::int as segment_changes,
      coalesce(sum(jsonb_array_length(payload->'ids'))
        filter (where payload->>'method' = 'contactsChanged'), 0)::int as contact_changes
    from journey_dispatch_pending
    where workspace_id = ${workspaceId} and kind = 'dispatch'`;
  return row!;
}
