import { randomUUID } from 'node:crypto';
import type { Sql } from './sql';

/** Who a bulk enrolment enrols. */
export type EnrolmentSource = { kind: 'segment'; segmentId: string };

export interface JourneyEnrolment {
  id: string;
  workspaceId: string;
  journeyId: string;
  source: EnrolmentSource;
  workflowId: string;
  status: 'running' | 'completed' | 'failed';
  ratePerSecond: number;
  total: number;
  processed: number;
  started: number;
  skipped: number;
  cursor: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** Records a new enrolment; its workflow id is `enrol:{id}`. */
export async function createEnrolment(
  sql: Sql,
  input: {
    workspaceId: string;
    journeyId: string;
    source: EnrolmentSource;
    ratePerSecond: number;
    total: number;
  },
): Promise<JourneyEnrolment> {
  const id = randomUUID();
  const [row] = await sql<JourneyEnrolment[]>`
    insert into journey_enrolments (id, workspace_id, journey_id, source, workflow_id,
      rate_per_second, total)
    values (${id}, ${input.workspaceId}, ${input.journeyId}, ${sql.json(input.source)},
      ${`enrol:${id}`}, ${input.ratePerSecond}, ${input.total})
    returning *`;
  return row!;
}

/** An enrolment as shown: `reason` says in plain words why one that failed ended early. */
export type EnrolmentWithReason = JourneyEnrolment & { reason: string | null };

/**
 * Why an enrolment ended before everyone was enrolled, read from its journey: the enrolment
 * of a journey stopped while it ran is ended as failed by its next batch.
 */
function reasonOf(enrolment: JourneyEnrolment, journeyStatus: string | null): string | null {
  if (enrolment.status !== 'failed') return null;
  if (journeyStatus === 'stopped') {
    return (
      'The journey was stopped before everyone was enrolled: ' +
      `${enrolment.started.toLocaleString('en')} of ${enrolment.total.toLocaleString('en')} enrolled.`
    );
  }
  return null;
}

export async function getEnrolment(sql: Sql, id: string): Promise<EnrolmentWithReason | undefined> {
  const [row] = await sql<(JourneyEnrolment & { journeyStatus: string | null })[]>`
    select e.*, j.status as journey_status
    from journey_enrolments e left join journeys j on j.id = e.journey_id
    where e.id = ${id}`;
  if (!row) return undefined;
  const { journeyStatus, ...enrolment } = row;
  return { ...enrolment, reason: reasonOf(enrolment, journeyStatus) };
}

export async function listEnrolments(
  sql: Sql,
  input: { workspaceId: string; journeyId: string },
): Promise<JourneyEnrolment[]> {
  return sql<JourneyEnrolment[]>`
    select * from journey_enrolments
    where workspace_id = ${input.workspaceId} and journey_id = ${input.journeyId}
    order by created_at desc`;
}

/**
 * Adds one batch's counts and moves the cursor, only if the cursor is still where the batch
 * began: a retried batch activity whose first attempt committed changes nothing.
 */
export async function recordEnrolmentBatch(
  sql: Sql,
  input: {
    id: string;
    from: string | null;
    to: string | null;
    processed: number;
    started: number;
    skipped: number;
    done: boolean;
  },
): Promise<JourneyEnrolment | undefined> {
  const [row] = await sql<JourneyEnrolment[]>`
    update journey_enrolments set
      processed = processed + ${input.processed}, started = started + ${input.started},
      skipped = skipped + ${input.skipped}, cursor = ${input.to},
      status = ${input.done ? 'completed' : 'running'},
      finished_at = ${input.done ? sql`now()` : null}, updated_at = now()
    where id = ${input.id} and cursor is not distinct from ${input.from}::uuid
      and status = 'running'
    returning *`;
  return row;
}

/**
 * Marks an enrolment failed: before it enrolled anyone (its workflow could not be started; if
 * the start reached Temporal after all, its first batch finds it no longer running and ends), or
 * part-way, when its journey was stopped for good.
 */
export async function failEnrolment(sql: Sql, id: string): Promise<void> {
  await sql`
    update journey_enrolments set status = 'failed', finished_at = now(), updated_at = now()
    where id = ${id} and status = 'running'`;
}

/** Members of a segment after `cursor`, in contact-id order (keyset pagination). */
export async function findSegmentMembersAfter(
  sql: Sql,
  input: { workspaceId: string; segmentId: string; cursor: string | null; limit: number },
): Promise<string[]> {
  const rows = await sql<{ contactId: string }[]>`
    select contact_id from segment_members
    where workspace_id = ${input.workspaceId} and segment_id = ${input.segmentId}
      ${input.cursor ? sql`and contact_id > ${input.cursor}` : sql``}
    order by contact_id limit ${input.limit}`;
  return rows.map((r) => r.contactId);
}

/** How many contacts are in a segment now. */
export async function countSegmentMembers(
  sql: Sql,
  input: { workspaceId: string; segmentId: string },
): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from segment_members
    where workspace_id = ${input.workspaceId} and segment_id = ${input.segmentId}`;
  return row!.count;
}
