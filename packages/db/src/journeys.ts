import type { FlowPlan, PlanEntryPolicy, PlanTrigger } from '@relance/flow';
import { countRunsByStatus, type RunStatus } from './journey-runs';
import type { Queryable } from './queryable';
import { countStepsByNodeAndPort, type NodePortStats } from './run-steps';
import type { Sql, TransactionSql } from './sql';

/** draft: never published; active: contacts enter; paused: no entries, runs held before actions. */
export type JourneyStatus = 'draft' | 'active' | 'paused' | 'stopped';

export interface Journey {
  id: string;
  workspaceId: string;
  name: string;
  /** The document as last saved; may be incomplete or invalid until published. */
  draft: Record<string, unknown>;
  status: JourneyStatus;
  liveVersionId: string | null;
  /** Number of the live version; null before the first publish. */
  liveVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface JourneyVersion {
  id: string;
  workspaceId: string;
  journeyId: string;
  version: number;
  document: Record<string, unknown>;
  plan: FlowPlan;
  publishedAt: Date;
}

const journeyColumns = (sql: Sql) => sql`
  j.id, j.workspace_id, j.name, j.draft, j.status, j.live_version_id, j.created_at, j.updated_at,
  (select v.version from journey_versions v where v.id = j.live_version_id) as live_version`;

/** Saves a new journey as a draft. */
export async function createJourney(
  sql: Sql,
  input: { workspaceId: string; name: string; draft: Record<string, unknown> },
): Promise<Journey> {
  const [row] = await sql<{ id: string }[]>`
    insert into journeys (workspace_id, name, draft)
    values (${input.workspaceId}, ${input.name}, ${sql.json(input.draft as never)})
    returning id`;
  return (await getJourney(sql, input.workspaceId, row!.id))!;
}

export async function getJourney(
  sql: Sql,
  workspaceId: string,
  id: string,
): Promise<Journey | undefined> {
  const [row] = await sql<Journey[]>`
    select ${journeyColumns(sql)} from journeys j
    where j.workspace_id = ${workspaceId} and j.id = ${id}`;
  return row;
}

/**
 * Each node id the journey's published versions used, with every kind it had (usually one): a
 * new step must not take one of these ids, since the steps' numbers and the runs waiting at them
 * are keyed by node id across versions.
 */
export async function versionNodeIds(
  sql: Sql,
  workspaceId: string,
  journeyId: string,
): Promise<{ id: string; kinds: string[] }[]> {
  return sql<{ id: string; kinds: string[] }[]>`
    select n ->> 'id' as id, array_agg(distinct coalesce(n ->> 'kind', '')) as kinds
    from journey_versions v
    cross join lateral jsonb_array_elements(
      case when jsonb_typeof(v.document -> 'nodes') = 'array' then v.document -> 'nodes'
        else '[]'::jsonb end) n
    where v.workspace_id = ${workspaceId} and v.journey_id = ${journeyId}
      and jsonb_typeof(n -> 'id') = 'string'
    group by 1
    order by 1`;
}

/** Every journey of the workspace, most recently edited first. */
export async function listJourneys(sql: Sql, workspaceId: string): Promise<Journey[]> {
  return sql<Journey[]>`
    select ${journeyColumns(sql)} from journeys j
    where j.workspace_id = ${workspaceId} order by j.updated_at desc, j.id`;
}

/** Replaces the draft (and name); published versions are untouched. */
export async function updateJourneyDraft(
  sql: Sql,
  input: { workspaceId: string; id: string; name: string; draft: Record<string, unknown> },
): Promise<Journey | undefined> {
  const [row] = await sql<{ id: string }[]>`
    update journeys set name = ${input.name}, draft = ${sql.json(input.draft as never)},
      updated_at = now()
    where workspace_id = ${input.workspaceId} and id = ${input.id}
    returning id`;
  return row ? getJourney(sql, input.workspaceId, row.id) : undefined;
}

/**
 * A new draft with the journey's draft (or, for a published journey, its latest saved draft),
 * named "Copy of …". Nothing else is copied: no versions, runs or history.
 */
export async function duplicateJourney(
  sql: Sql,
  input: { workspaceId: string; id: string },
): Promise<Journey | undefined> {
  const [row] = await sql<{ id: string }[]>`
    with source as (
      select workspace_id, left('Copy of ' || name, 200) as name, draft from journeys
      where workspace_id = ${input.workspaceId} and id = ${input.id}
    )
    insert into journeys (workspace_id, name, draft)
    select workspace_id, name, jsonb_set(draft, '{name}', to_jsonb(name)) from source
    returning id`;
  return row ? getJourney(sql, input.workspaceId, row.id) : undefined;
}

/**
 * Deletes a journey that was never published: nothing ran from it and nothing refers to it. A
 * publish committing meanwhile wins (the row it locked is no longer a draft when this looks
 * again). A published journey keeps its versions and its contacts' history: `published`.
 */
export async function deleteDraftJourney(
  sql: Sql,
  input: { workspaceId: string; id: string },
): Promise<'deleted' | 'published' | 'missing'> {
  const deleted = await sql`
    delete from journeys j
    where j.workspace_id = ${input.workspaceId} and j.id = ${input.id}
      and j.status = 'draft' and j.live_version_id is null
      and not exists (select 1 from journey_versions v where v.journey_id = j.id)`;
  if (deleted.count > 0) return 'deleted';
  return (await getJourney(sql, input.workspaceId, input.id)) ? 'published' : 'missing';
}

/**
 * Moves a journey between active and paused. Returns the journey when it was in `from`, so
 * pausing a draft or resuming an active journey changes nothing.
 */
export async function switchJourneyStatus(
  sql: Sql,
  input: { workspaceId: string; id: string; from: JourneyStatus; to: JourneyStatus },
): Promise<Journey | undefined> {
  const [row] = await sql<{ id: string }[]>`
    update journeys set status = ${input.to}, updated_at = now()
    where workspace_id = ${input.workspaceId} and id = ${input.id} and status = ${input.from}
    returning id`;
  return row ? getJourney(sql, input.workspaceId, row.id) : undefined;
}

function triggerColumns(trigger: PlanTrigger) {
  switch (trigger.kind) {
    case 'trigger.event':
      return { event: trigger.config.event, segmentId: null };
    case 'trigger.segment_entered':
    case 'trigger.segment_exited':
      return { event: null, segmentId: trigger.config.segmentId };
    case 'trigger.date':
    case 'trigger.manual':
      return { event: null, segmentId: null };
    default: {
      const unreachable: never = trigger;
      throw new Error(`Unknown trigger ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Stores a compiled plan as the journey's next version and makes it live; a draft journey
 * becomes active, a paused one stays paused. Run it inside `sql.begin`.
 */
export async function insertJourneyVersion(
  tx: TransactionSql,
  input: {
    workspaceId: string;
    journeyId: string;
    document: Record<string, unknown>;
    plan: FlowPlan;
  },
): Promise<{ id: string; version: number; previousVersionId: string | null }> {
  const [journey] = await tx<{ liveVersionId: string | null }[]>`
    select live_version_id from journeys
    where workspace_id = ${input.workspaceId} and id = ${input.journeyId}
    for update`;
  if (!journey) throw new Error(`Journey ${input.journeyId} does not exist`);
  const { plan } = input;
  const trigger = triggerColumns(plan.trigger);
  const [version] = await tx<{ id: string; version: number }[]>`
    insert into journey_versions (
      workspace_id, journey_id, version, document, plan, trigger_kind, trigger_event,
      trigger_segment_id, listens_events, listens_segments, listens_contact)
    values (
      ${input.workspaceId}, ${input.journeyId},
      (select coalesce(max(version), 0) + 1 from journey_versions where journey_id = ${input.journeyId}),
      ${tx.json(input.document as never)}, ${tx.json(plan as never)}, ${plan.trigger.kind},
      ${trigger.event}, ${trigger.segmentId}, ${[...plan.listens.events]},
      ${[...plan.listens.segments]}, ${plan.listens.contact})
    returning id, version`;
  await tx`
    update journeys set live_version_id = ${version!.id},
      status = case when status = 'draft' then 'active' else status end, updated_at = now()
    where id = ${input.journeyId}`;
  return { ...version!, previousVersionId: journey.liveVersionId };
}

export async function getJourneyVersion(
  sql: Sql,
  id: string,
): Promise<(JourneyVersion & { journeyStatus: JourneyStatus }) | undefined> {
  const [row] = await sql<(JourneyVersion & { journeyStatus: JourneyStatus })[]>`
    select v.id, v.workspace_id, v.journey_id, v.version, v.document, v.plan, v.published_at,
      j.status as journey_status
    from journey_versions v join journeys j on j.id = v.journey_id
    where v.id = ${id}`;
  return row;
}

/** A live version whose trigger matched: what the dispatcher needs to start runs. */
export interface TriggeredVersion {
  journeyId: string;
  versionId: string;
  trigger: PlanTrigger;
  entryPolicy: PlanEntryPolicy;
}

/**
 * Live versions of active journeys triggered by one of `events` (event triggers) or by
 * entering/leaving one of `segmentIds` (segment triggers).
 */
export async function findTriggeredVersions(
  sql: Sql,
  input: { workspaceId: string; events?: string[]; segmentIds?: string[] },
): Promise<TriggeredVersion[]> {
  const events = input.events ?? [];
  const segmentIds = input.segmentIds ?? [];
  if (events.length === 0 && segmentIds.length === 0) return [];
  return sql<TriggeredVersion[]>`
    select j.id as journey_id, v.id as version_id, v.plan -> 'trigger' as trigger,
      v.plan -> 'settings' -> 'entryPolicy' as entry_policy
    from journeys j join journey_versions v on v.id = j.live_version_id
    where j.workspace_id = ${input.workspaceId} and j.status = 'active'
      and (v.trigger_event = any(${events}) or v.trigger_segment_id = any(${segmentIds}))`;
}

/** Published versions of a journey, newest first. */
export async function listJourneyVersions(
  sql: Sql,
  journeyId: string,
): Promise<Omit<JourneyVersion, 'plan'>[]> {
  return sql<Omit<JourneyVersion, 'plan'>[]>`
    select id, workspace_id, journey_id, version, document, published_at
    from journey_versions where journey_id = ${journeyId} order by version desc`;
}

/** One published version of a journey by its number. */
export async function getJourneyVersionByNumber(
  sql: Sql,
  input: { journeyId: string; version: number },
): Promise<JourneyVersion | undefined> {
  const [row] = await sql<JourneyVersion[]>`
    select id, workspace_id, journey_id, version, document, plan, published_at
    from journey_versions where journey_id = ${input.journeyId} and version = ${input.version}`;
  return row;
}

/** A journey by id alone (for workflows, which carry no workspace). */
export async function findJourneyById(sql: Sql, id: string): Promise<Journey | undefined> {
  const [row] = await sql<
    Journey[]
  >`select ${journeyColumns(sql)} from journeys j where j.id = ${id}`;
  return row;
}

/** A journey's live numbers: per step, and its runs by status, over every version. */
export interface JourneyEntryCounts {
  nodes: Record<string, NodePortStats>;
  runs: Record<RunStatus, number>;
}

/**
 * The live view's numbers: the steps and runs stored, plus what the runs of contacts erased
 * since counted (migration 0084), so deleting someone does not make a journey's entries shrink.
 * An erased run counts as it ended (`cancelled` if it was going); an erased step as left
 * (`completed`, or `failed`), never as waiting, and the way it was left as stored (migration
 * 0098). Reads three short key ranges beside the counts.
 */
export async function countJourneyEntries(
  sql: Queryable,
  journeyId: string,
): Promise<JourneyEntryCounts> {
  const [nodes, runs, erasedSteps, erasedPorts, erasedRuns] = await Promise.all([
    countStepsByNodeAndPort(sql, journeyId),
    countRunsByStatus(sql, journeyId),
    sql<{ nodeId: string; entered: number; completed: number; failed: number }[]>`
      select node_id, entered, completed, failed from journey_erased_steps
      where journey_id = ${journeyId}`,
    // Their ways out (migration 0098), so a step's ways out still add up after an erasure.
    sql<{ nodeId: string; port: string; completed: number }[]>`
      select node_id, port, completed from journey_erased_ports where journey_id = ${journeyId}`,
    sql<{ status: RunStatus; runs: number }[]>`
      select status, runs from journey_erased_runs where journey_id = ${journeyId}`,
  ]);
  for (const erased of erasedSteps) {
    const node = (nodes[erased.nodeId] ??= {
      entered: 0,
      waiting: 0,
      completed: 0,
      failed: 0,
      ports: {},
    });
    node.entered += erased.entered;
    node.completed += erased.completed;
    node.failed += erased.failed;
  }
  for (const erased of erasedPorts) {
    const ports = nodes[erased.nodeId]?.ports;
    if (ports && erased.completed > 0) {
      ports[erased.port] = (ports[erased.port] ?? 0) + erased.completed;
    }
  }
  for (const erased of erasedRuns) runs[erased.status] += erased.runs;
  return { nodes, runs };
}
