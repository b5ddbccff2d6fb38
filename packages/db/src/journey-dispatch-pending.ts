import type { Sql } from './sql';

// Journey starts and signals that could not reach Temporal, kept until the redelivery loop
// delivers them (table journey_dispatch_pending). The payload's shape belongs to the journey
// runtime; this module only stores and hands it back.

export type PendingDispatchKind = 'start' | 'signal' | 'scan' | 'dispatch';

export interface UndeliveredDispatch {
  workspaceId: string;
  kind: PendingDispatchKind;
  workflowId: string;
  payload: Record<string, unknown>;
  error: string;
  nextAttemptAt: Date;
}

export interface PendingDispatch {
  id: string;
  workspaceId: string;
  kind: PendingDispatchKind;
  workflowId: string;
  payload: Record<string, unknown>;
  attempts: number;
  revision: number;
  nextAttemptAt: Date;
  lastError: string;
  createdAt: Date;
  stuckSince: Date | null;
}

/**
 * Keeps deliveries that failed. One that is already pending (same kind, workflow and payload)
 * stays one row: its revision moves on, so a redelivery in flight does not delete it.
 */
export async function recordPendingDispatches(
  sql: Sql,
  items: readonly UndeliveredDispatch[],
): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map((item) => ({
    workspaceId: item.workspaceId,
    kind: item.kind,
    workflowId: item.workflowId,
    payload: sql.json(item.payload as never),
    lastError: item.error,
    nextAttemptAt: item.nextAttemptAt,
  }));
  await sql`
    insert into journey_dispatch_pending
      ${sql(rows, 'workspaceId', 'kind', 'workflowId', 'payload', 'lastError', 'nextAttemptAt')}
    on conflict (kind, workflow_id, md5(payload::text)) do update set
      revision = journey_dispatch_pending.revision + 1,
      last_error = excluded.last_error,
      next_attempt_at = least(journey_dispatch_pending.next_attempt_at, excluded.next_attempt_at)`;
}

/**
 * Claims up to `limit` due deliveries for `leaseMs`: they are not due again until then, so
 * two workers do not retry the same row at once, and a worker that dies mid-way leaves its
 * claims to be retried after the lease. The claimed ids are taken once, as an array, then
 * updated by key: written `id in (subquery)`, the plan may re-run the locking subquery for every
 * pending row, which a long Temporal outage makes many.
 */
export async function claimDueDispatches(
  sql: Sql,
  input: { now: Date; leaseMs: number; limit: number },
): Promise<PendingDispatch[]> {
  const leasedUntil = new Date(input.now.getTime() + input.leaseMs);
  return sql<PendingDispatch[]>`
    update journey_dispatch_pending set next_attempt_at = ${leasedUntil}
    where id = any(array(
      select id from journey_dispatch_pending
      where next_attempt_at <= ${input.now}
      order by next_attempt_at
      limit ${input.limit}
      for update skip locked))
    returning id::text as id, workspace_id, kind, workflow_id, payload, attempts, revision,
      next_attempt_at, last_error, created_at, stuck_since`;
}

/** Removes delivered rows, unless the same delivery failed again since they were claimed. */
export async function deletePendingDispatches(
  sql: Sql,
  claimed: readonly Pick<PendingDispatch, 'id' | 'revision'>[],
): Promise<void> {
  if (claimed.length === 0) return;
  await sql`
    delete from journey_dispatch_pending p
    using unnest(${claimed.map((c) => c.id)}::bigint[], ${claimed.map((c) => c.revision)}::int[])
      as d(id, revision)
    where p.id = d.id and p.revision = d.revision`;
}

/** Records another failed attempt and when to try next; `stuck` marks it (once) as stuck. */
export async function reschedulePendingDispatch(
  sql: Sql,
  input: { id: string; attempts: number; nextAttemptAt: Date; error: string; stuckAt: Date | null },
): Promise<void> {
  await sql`
    update journey_dispatch_pending set
      attempts = ${input.attempts},
      next_attempt_at = ${input.nextAttemptAt},
      last_error = ${input.error},
      stuck_since = coalesce(stuck_since, ${input.stuckAt})
    where id = ${input.id}::bigint`;
}

export interface DispatchBacklog {
  /** Still being retried on schedule. */
  pending: number;
  /** Failed so often they are reported; still retried, at the longest interval. */
  stuck: number;
  oldestAt: Date | null;
  /** The oldest ones, stuck first. */
  items: Omit<PendingDispatch, 'payload' | 'revision' | 'workspaceId'>[];
}

/** What a workspace's journeys could not be told yet, for the API. */
export async function findDispatchBacklog(
  sql: Sql,
  input: { workspaceId: string; limit: number },
): Promise<DispatchBacklog> {
  const [counts] = await sql<{ pending: number; stuck: number; oldestAt: Date | null }[]>`
    select count(*) filter (where stuck_since is null)::int as pending,
      count(*) filter (where stuck_since is not null)::int as stuck,
      min(created_at) as oldest_at
    from journey_dispatch_pending where workspace_id = ${input.workspaceId}`;
  const items = await sql<DispatchBacklog['items']>`
    select id::text as id, kind, workflow_id, attempts, next_attempt_at, last_error, created_at,
      stuck_since
    from journey_dispatch_pending where workspace_id = ${input.workspaceId}
    order by stuck_since is null, created_at, id
    limit ${input.limit}`;
  return { pending: counts!.pending, stuck: counts!.stuck, oldestAt: counts!.oldestAt, items };
}

/**
 * Whether a run already began from this entry (same journey, contact, key, and the entry's
 * event or change id): a start reported as failed may still have reached Temporal.
 */
export async function runBeganFrom(
  sql: Sql,
  input: { journeyId: string; contactId: string; entryKey: string; entry: object },
): Promise<boolean> {
  const [row] = await sql<{ began: boolean }[]>`
    select exists (
      select 1 from journey_runs
      where journey_id = ${input.journeyId} and contact_id = ${input.contactId}
        and entry_key = ${input.entryKey} and entry @> ${sql.json(input.entry as never)}
    ) as began`;
  return row!.began;
}
