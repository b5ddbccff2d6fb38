import { ApplicationFailure } from '@temporalio/common';
import {
  failEnrolment,
  findSegmentMembersAfter,
  getEnrolment,
  getJourney,
  getJourneyVersion,
  recordEnrolmentBatch,
  type JourneyEnrolment,
} from '@relance/db';
import type { EnrolmentProgress } from '@relance/workflows/contracts';
import type { EnrolBatchInput } from '@relance/workflows/journey-activities';
import type { JourneyActivityDeps } from './deps';

function progressOf(enrolment: JourneyEnrolment): EnrolmentProgress {
  return {
    processed: enrolment.processed,
    started: enrolment.started,
    skipped: enrolment.skipped,
    cursor: enrolment.cursor,
    done: enrolment.status !== 'running',
  };
}

/**
 * One batch of a bulk enrolment: the next members after the cursor are started into the live
 * version under the entry policy (a run already going or a contact the policy refuses counts as
 * skipped). A retry after a committed batch finds the cursor moved and changes nothing; one
 * before it starts the same contacts again, which Temporal's id uniqueness turns into skips.
 * A batch with starts Temporal did not take fails without moving the cursor, so Temporal retries
 * it with backoff. A paused journey processes nothing until it is resumed; a stopped one ends
 * the enrolment as failed.
 */
export async function enrolBatch(
  deps: JourneyActivityDeps,
  input: EnrolBatchInput,
): Promise<EnrolmentProgress> {
  const enrolment = await getEnrolment(deps.sql, input.enrolmentId);
  if (!enrolment) throw new Error(`Enrolment ${input.enrolmentId} does not exist`);
  if (enrolment.status !== 'running' || enrolment.cursor !== input.cursor) {
    return progressOf(enrolment);
  }
  const journey = await getJourney(deps.sql, enrolment.workspaceId, enrolment.journeyId);
  const version = journey?.liveVersionId
    ? await getJourneyVersion(deps.sql, journey.liveVersionId)
    : undefined;
  if (!journey || !version) {
    const finished = await recordEnrolmentBatch(deps.sql, {
      id: enrolment.id,
      from: input.cursor,
      to: input.cursor,
      processed: 0,
      started: 0,
      skipped: 0,
      done: true,
    });
    return progressOf(finished ?? enrolment);
  }
  // A paused journey may be resumed: the workflow asks again. A stopped one never takes contacts
  // again, so the enrolment ends as failed (its reason says the journey was stopped).
  if (journey.status === 'paused') return progressOf(enrolment);
  if (journey.status !== 'active') {
    await failEnrolment(deps.sql, enrolment.id);
    return progressOf((await getEnrolment(deps.sql, enrolment.id))!);
  }

  const members = await findSegmentMembersAfter(deps.sql, {
    workspaceId: enrolment.workspaceId,
    segmentId: enrolment.source.segmentId,
    cursor: input.cursor,
    limit: input.limit,
  });
  const outcomes = await deps.runtime.startRuns(
    members.map((contactId) => ({
      journeyId: journey.id,
      versionId: version.id,
      entryPolicy: version.plan.settings.entryPolicy,
      contactId,
      entryKey: null,
      entry: { kind: 'manual' as const, enrolmentId: enrolment.id },
    })),
  );
  const failed = outcomes.filter((o) => o === 'failed').length;
  if (failed > 0) {
    throw ApplicationFailure.retryable(
      `${failed} of ${members.length} runs of the enrolment could not be started; the batch is retried`,
      'RunStartsNotTaken',
    );
  }
  const started = outcomes.filter((o) => o === 'started').length;
  const recorded = await recordEnrolmentBatch(deps.sql, {
    id: enrolment.id,
    from: input.cursor,
    to: members.at(-1) ?? input.cursor,
    processed: members.length,
    started,
    skipped: members.length - started,
    done: members.length < input.limit,
  });
  return progressOf(recorded ?? (await getEnrolment(deps.sql, enrolment.id))!);
}
