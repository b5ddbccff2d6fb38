import type { Queryable } from './queryable';

export type RunStatus =
  'active' | 'held' | 'completed' | 'exited' | 'converted' | 'failed' | 'cancelled';

/** Statuses of a run that is still going. */
export const OPEN_RUN_STATUSES: readonly RunStatus[] = ['active', 'held'];

export interface JourneyRun {
  id: string;
  workspaceId: string;
  journeyId: string;
  versionId: string;
  contactId: string;
  workflowId: string;
  entryKey: string;
  entry: Record<string, unknown>;
  status: RunStatus;
  currentNode: string | null;
  goalNode: string | null;
  convertedAt: Date | null;
  startedAt: Date;
  endedAt: Date | null;
  updatedAt: Date;
}

/** The contact's latest run of a journey for an entry key: what the entry policy looks at. */
export interface PreviousRunRow {
  id: string;
  startedAt: Date;
  endedAt: Date | null;
}

/** Serialises entry decisions for one (journey, contact, key) until the transaction ends. */
export async function lockRunEntry(
  tx: Queryable,
  input: { journeyId: string; contactId: string; entryKey: string },
): Promise<void> {
  const name = `${input.journeyId}:${input.contactId}:${input.entryKey}`;
  await tx`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`;
}

export async function latestRun(
  sql: Queryable,
  input: { journeyId: string; contactId: string; entryKey: string; excludeId?: string },
): Promise<PreviousRunRow | undefined> {
  const [row] = await sql<PreviousRunRow[]>`
    select id, started_at, ended_at from journey_runs
    where journey_id = ${input.journeyId} and contact_id = ${input.contactId}
      and entry_key = ${input.entryKey} ${input.excludeId ? sql`and id <> ${input.excludeId}` : sql``}
    order by started_at desc limit 1`;
  return row;
}

/** Latest runs of many (contact, key) pairs of one journey, keyed `${contactId}:${entryKey}`. */
export async function latestRuns(
  sql: Queryable,
  input: { journeyId: string; entries: { contactId: string; entryKey: string }[] },
): Promise<Map<string, PreviousRunRow>> {
  if (input.entries.length === 0) return new Map();
  const rows = await sql<(PreviousRunRow & { contactId: string; entryKey: string })[]>`
    select distinct on (r.contact_id, r.entry_key) r.contact_id, r.entry_key, r.id,
      r.started_at, r.ended_at
    from journey_runs r
    join unnest(${input.entries.map((e) => e.contactId)}::uuid[],
                ${input.entries.map((e) => e.entryKey)}::text[]) as k (contact_id, entry_key)
      on r.contact_id = k.contact_id and r.entry_key = k.entry_key
    where r.journey_id = ${input.journeyId}
    order by r.contact_id, r.entry_key, r.started_at desc`;
  return new Map(rows.map((row) => [`${row.contactId}:${row.entryKey}`, row]));
}

/**
 * Which of `entries` (by position) a run of the journey already began from: the same contact,
 * entry key and entry (`entry @>`), whether that run is going or has ended.
 */
export async function runsBegunFrom(
  sql: Queryable,
  input: { journeyId: string; entries: { contactId: string; entryKey: string; entry: object }[] },
): Promise<Set<number>> {
  if (input.entries.length === 0) return new Set();
  const rows = await sql<{ n: number }[]>`
    select (k.n - 1)::int as n
    from unnest(${input.entries.map((e) => e.contactId)}::uuid[],
                ${input.entries.map((e) => e.entryKey)}::text[],
                ${input.entries.map((e) => JSON.stringify(e.entry))}::text[])
      with ordinality as k (contact_id, entry_key, entry, n)
    where exists (
      select 1 from journey_runs r
      where r.journey_id = ${input.journeyId} and r.contact_id = k.contact_id
        and r.entry_key = k.entry_key and r.entry @> k.entry::jsonb)`;
  return new Set(rows.map((r) => r.n));
}

export async function insertRun(
  sql: Queryable,
  input: {
    id: string;
    workspaceId: string;
    journeyId: string;
    versionId: string;
    contactId: string;
    workflowId: string;
    entryKey: string;
    entry: Record<string, unknown>;
    startedAt: Date;
    /**
     * The id of the last event before the run's entry (its trigger event, for an event trigger):
     * "since they entered the journey" counts the events after it.
     */
    watermark?: string;
  },
): Promise<void> {
  await sql`
    insert into journey_runs (id, workspace_id, journey_id, version_id, contact_id, workflow_id,
      entry_key, entry, started_at, updated_at, watermark)
    values (${input.id}, ${input.workspaceId}, ${input.journeyId}, ${input.versionId},
      ${input.contactId}, ${input.workflowId}, ${input.entryKey}, ${sql.json(input.entry as never)},
      ${input.startedAt}, ${input.startedAt}, ${input.watermark ?? null})
    on conflict (id) do nothing`;
}

export async function getRun(sql: Queryable, id: string): Promise<JourneyRun | undefined> {
  const [row] = await sql<JourneyRun[]>`select * from journey_runs where id = ${id}`;
  return row;
}

/** Where an open run is now; `status` moves between active and held only. */
export async function setRunPosition(
  sql: Queryable,
  input: { runId: string; currentNode: string; status: 'active' | 'held'; at: Date },
): Promise<void> {
  await sql`
    update journey_runs set current_node = ${input.currentNode}, status = ${input.status},
      updated_at = ${input.at}
    where id = ${input.runId} and ended_at is null`;
}

/**
 * Closes a run at its last node; a run already closed keeps its first ending. A step the run
 * was still at (a wait, when the run is cancelled) is closed with it, so the journey's counts
 * and waiting lists no longer hold the contact there: `exited`, or `failed` for a failed run,
 * with `runEnded` in its why.
 */
export async function endJourneyRun(
  sql: Queryable,
  input: {
    runId: string;
    status: Exclude<RunStatus, 'active' | 'held'>;
    at: Date;
    lastNode?: string | undefined;
  },
): Promise<void> {
  await sql`
    with ended as (
      update journey_runs set status = ${input.status}, ended_at = ${input.at}, updated_at = ${input.at},
        current_node = coalesce(${input.lastNode ?? null}, current_node)
      where id = ${input.runId} and ended_at is null
      returning id
    )
    update run_steps s
    set left_at = ${input.at},
      outcome = ${input.status === 'failed' ? 'failed' : 'exited'},
      why = s.why || jsonb_build_object('runEnded', ${input.status}::text)
    from ended where s.run_id = ended.id and s.left_at is null`;
}

/** Records the conversion of a run at a goal (the first one counts). */
export async function recordConversion(
  sql: Queryable,
  input: { runId: string; goalNode: string; at: Date },
): Promise<void> {
  await sql`
    update journey_runs set goal_node = ${input.goalNode}, converted_at = ${input.at}
    where id = ${input.runId} and converted_at is null`;
}

/** Moves an open run to another version of its journey. */
export async function moveRunVersion(
  sql: Queryable,
  input: { runId: string; versionId: string; at: Date },
): Promise<boolean> {
  const rows = await sql`
    update journey_runs set version_id = ${input.versionId}, updated_at = ${input.at}
    where id = ${input.runId} and ended_at is null`;
  return rows.count > 0;
}

/** An open run to signal: its workflow id. */
export interface OpenRunRef {
  workflowId: string;
  contactId: string;
  journeyId: string;
}

/**
 * Open runs of `contactIds` whose version listens to one of `events`, one of `segmentIds`, or
 * (when `contact` is true) to changes of the contact's facts.
 */
export async function findListeningRuns(
  sql: Queryable,
  input: {
    workspaceId: string;
    contactIds: string[];
    events?: string[];
    segmentIds?: string[];
    contact?: boolean;
  },
): Promise<(OpenRunRef & { events: string[]; segments: string[] })[]> {
  if (input.contactIds.length === 0) return [];
  return sql<(OpenRunRef & { events: string[]; segments: string[] })[]>`
    select r.workflow_id, r.contact_id, r.journey_id, v.listens_events as events,
      v.listens_segments as segments
    from journey_runs r join journey_versions v on v.id = r.version_id
    where r.workspace_id = ${input.workspaceId} and r.contact_id = any(${input.contactIds}::uuid[])
      and r.ended_at is null
      and (v.listens_events && ${input.events ?? []}::text[]
        or v.listens_segments && ${input.segmentIds ?? []}::text[]
        or (${input.contact ?? false} and v.listens_contact))`;
}

/** Open runs of a journey held before an action while it was paused. */
export async function findHeldRuns(sql: Queryable, journeyId: string): Promise<OpenRunRef[]> {
  return sql<OpenRunRef[]>`
    select workflow_id, contact_id, journey_id from journey_runs
    where journey_id = ${journeyId} and status = 'held' and ended_at is null`;
}

/** Open runs of a journey waiting at a node, by version and node: what a publish may move. */
export async function findWaitingRuns(
  sql: Queryable,
  journeyId: string,
): Promise<(OpenRunRef & { versionId: string; nodeId: string; kind: string })[]> {
  return sql<(OpenRunRef & { versionId: string; nodeId: string; kind: string })[]>`
    select r.workflow_id, r.contact_id, r.journey_id, r.version_id, s.node_id, s.kind
    from journey_runs r
    join lateral (
      select node_id, kind from run_steps
      where run_id = r.id and left_at is null and outcome = 'waiting'
      order by seq desc limit 1
    ) s on true
    where r.journey_id = ${journeyId} and r.ended_at is null`;
}

/**
 * Runs of a contact, newest first, with the journey's name, the version number, and the kind and
 * config of the step the run is at (or ended at), to word it.
 */
export async function findContactRuns(
  sql: Queryable,
  input: { workspaceId: string; contactId: string; limit: number },
): Promise<ContactRun[]> {
  return sql<ContactRun[]>`
    select r.*, j.name as journey_name, v.version, node->>'kind' as current_kind,
      node->'config' as current_config
    from journey_runs r
    join journeys j on j.id = r.journey_id
    join journey_versions v on v.id = r.version_id
    left join lateral (
      select n as node from jsonb_array_elements(v.document->'nodes') n
      where n->>'id' = r.current_node limit 1) current on true
    where r.workspace_id = ${input.workspaceId} and r.contact_id = ${input.contactId}
    order by r.started_at desc limit ${input.limit}`;
}

/** A contact's run as `findContactRuns` returns it. */
export type ContactRun = JourneyRun & {
  journeyName: string;
  version: number;
  /** The step the run is at: null before it reached one, or when its version lacks it. */
  currentKind: string | null;
  currentConfig: unknown;
};

/** Run counts of a journey by status. */
export async function countRunsByStatus(
  sql: Queryable,
  journeyId: string,
): Promise<Record<RunStatus, number>> {
  const rows = await sql<{ status: RunStatus; count: number }[]>`
    select status, count(*)::int as count from journey_runs
    where journey_id = ${journeyId} group by status`;
  const counts: Record<RunStatus, number> = {
    active: 0,
    held: 0,
    completed: 0,
    exited: 0,
    converted: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}

/** Contacts whose runs wait (or are held) at a node now, longest-waiting first. */
export async function findWaitingContacts(
  sql: Queryable,
  input: { journeyId: string; nodeId: string; limit: number },
): Promise<{ contactId: string; email: string | null; externalId: string | null; since: Date }[]> {
  return sql<{ contactId: string; email: string | null; externalId: string | null; since: Date }[]>`
    select c.id as contact_id, c.email, c.external_id, s.entered_at as since
    from run_steps s
    join journey_runs r on r.id = s.run_id
    join contacts c on c.id = r.contact_id
    where s.journey_id = ${input.journeyId} and s.node_id = ${input.nodeId}
      and s.left_at is null and r.ended_at is null
    order by s.entered_at, c.id limit ${input.limit}`;
}

/** A run that ended without converting, still inside its journey's goal attribution window. */
export interface AttributableRun {
  id: string;
  workspaceId: string;
  journeyId: string;
  versionId: string;
  contactId: string;
  /** Goal node ids and conditions of the run's version, in plan order. */
  goals: { nodeId: string; condition: unknown }[];
}

/**
 * Runs of `contactIds` that ended (not by converting) less than their version's goal window
 * ago and whose version has goals: a goal met now still counts as their conversion.
 */
export async function findAttributableRuns(
  sql: Queryable,
  input: { workspaceId: string; contactIds: string[]; now: Date },
): Promise<AttributableRun[]> {
  if (input.contactIds.length === 0) return [];
  return sql<AttributableRun[]>`
    select r.id, r.workspace_id, r.journey_id, r.version_id, r.contact_id,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'nodeId', g.id, 'condition', v.plan -> 'nodes' -> g.id -> 'config' -> 'condition')
          order by g.ord), '[]'::jsonb)
        from jsonb_array_elements_text(v.plan -> 'goals') with ordinality as g (id, ord)) as goals
    from journey_runs r join journey_versions v on v.id = r.version_id
    where r.workspace_id = ${input.workspaceId} and r.contact_id = any(${input.contactIds}::uuid[])
      and r.ended_at is not null and r.converted_at is null
      and r.status in ('completed', 'exited')
      and jsonb_array_length(v.plan -> 'goals') > 0
      and r.ended_at > ${input.now}::timestamptz
        - ((v.plan -> 'settings' ->> 'goalWindowMs')::bigint * interval '1 millisecond')`;
}

/** Records a late conversion: the run's goal and a `converted` step after its last one. */
export async function recordLateConversion(
  sql: Queryable,
  input: { runId: string; goalNode: string; at: Date; values: Record<string, unknown> },
): Promise<boolean> {
  const rows = await sql`
    with run as (
      update journey_runs set goal_node = ${input.goalNode}, converted_at = ${input.at}
      where id = ${input.runId} and converted_at is null
      returning id, workspace_id, journey_id, version_id)
    insert into run_steps (run_id, seq, workspace_id, journey_id, version_id, node_id, kind, visit,
      entered_at, left_at, outcome, why)
    select run.id, coalesce((select max(seq) from run_steps where run_id = run.id), 0) + 1,
      run.workspace_id, run.journey_id, run.version_id, ${input.goalNode}, 'logic.goal', 1,
      ${input.at}, ${input.at}, 'converted',
      ${sql.json({ values: input.values, afterRun: true } as never)}
    from run`;
  return rows.count > 0;
}

/**
 * Claims open runs of stopped journeys to ask Temporal to cancel: those never asked, or last
 * asked before `askedBefore`. Marks them asked at `now`; a claim skips rows another claim holds.
 * One journey's (the stop request's), or every stopped journey's (the worker's pass).
 */
export async function claimRunsToStop(
  sql: Queryable,
  input: { journeyId?: string; now: Date; askedBefore: Date; limit: number },
): Promise<string[]> {
  const rows = await sql<{ workflowId: string }[]>`
    update journey_runs r set stop_requested_at = ${input.now}
    where r.id in (
      select o.id from journeys j join journey_runs o on o.journey_id = j.id
      where j.status = 'stopped'
        ${input.journeyId ? sql`and j.id = ${input.journeyId}` : sql``}
        and o.status = any(${OPEN_RUN_STATUSES as string[]}::text[])
        and (o.stop_requested_at is null or o.stop_requested_at < ${input.askedBefore})
      order by o.started_at
      limit ${input.limit}
      for update of o skip locked)
    returning r.workflow_id`;
  return rows.map((r) => r.workflowId);
}

/** How many of a journey's runs are in progress (active or held). */
export async function countOpenRuns(sql: Queryable, journeyId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from journey_runs
    where journey_id = ${journeyId} and status = any(${OPEN_RUN_STATUSES as string[]}::text[])`;
  return row!.n;
}
