import {
  countSegmentMembers,
  createEnrolment,
  failEnrolment,
  findHeldRuns,
  claimRunsToStop,
  countOpenRuns,
  getJourney,
  getJourneyVersion,
  switchJourneyStatus,
  type Journey,
  type JourneyEnrolment,
} from '@relance/db';
import { BULK_ENROLMENT_WORKFLOW, runWorkflowId, SIGNALS } from '@relance/workflows/contracts';
import type { bulkEnrolment } from '@relance/workflows/bulk-enrolment';
import { withCallDeadline, WorkflowServiceUnavailable, type RuntimeDeps } from './runtime-deps';
import { signalRunsOrKeep } from './redelivery';
import { startRuns, type StartOutcome } from './start-runs';
import { cancelRuns, STOP_IN_REQUEST, type StopFailure } from './stop-runs';

/** Stops new entries; runs finish their current step and hold before their next action. */
export async function pauseJourney(
  deps: RuntimeDeps,
  input: { workspaceId: string; journeyId: string },
): Promise<Journey | undefined> {
  return switchJourneyStatus(deps.sql, {
    ...input,
    id: input.journeyId,
    from: 'active',
    to: 'paused',
  });
}

/** Lets contacts enter again and releases the runs held before an action. */
export async function resumeJourney(
  deps: RuntimeDeps,
  input: { workspaceId: string; journeyId: string },
): Promise<{ journey: Journey; released: number } | undefined> {
  const journey = await switchJourneyStatus(deps.sql, {
    ...input,
    id: input.journeyId,
    from: 'paused',
    to: 'active',
  });
  if (!journey) return undefined;
  // Runs mark themselves held under a share lock on the journey row, so every run held before
  // this status change committed is in this list; later ones see `active` and never hold.
  const held = await findHeldRuns(deps.sql, input.journeyId);
  const released = await signalRunsOrKeep(
    deps,
    input.workspaceId,
    held.map((run) => ({ workflowId: run.workflowId, name: SIGNALS.resume, args: [] })),
  );
  return { journey, released };
}

/**
 * Stops a live or paused journey for good: it takes no contacts from now on, and each of its
 * runs in progress is cancelled (it records its end, `cancelled`, and no further step runs).
 * The request asks for up to `inRequest` runs itself; the worker's pass
 * (`stopRunsOfStoppedJourneys`) asks for the others, and again for any Temporal did not take.
 * Stopping a stopped journey again asks at once for every run still open. Undefined for a draft
 * or an unknown journey.
 */
export async function stopJourney(
  deps: RuntimeDeps,
  input: { workspaceId: string; journeyId: string; inRequest?: number },
): Promise<
  { journey: Journey; runs: number; failures: StopFailure[]; inBackground: number } | undefined
> {
  const id = input.journeyId;
  const target = { workspaceId: input.workspaceId, id };
  const journey =
    (await switchJourneyStatus(deps.sql, { ...target, from: 'active', to: 'stopped' })) ??
    (await switchJourneyStatus(deps.sql, { ...target, from: 'paused', to: 'stopped' })) ??
    (await getJourney(deps.sql, input.workspaceId, id).then((j) =>
      j?.status === 'stopped' ? j : undefined,
    ));
  if (!journey) return undefined;
  // Runs starting after the status changed are refused by their first step (beginRun).
  const runs = await countOpenRuns(deps.sql, id);
  const now = deps.now();
  const workflowIds = await claimRunsToStop(deps.sql, {
    journeyId: id,
    now,
    askedBefore: now,
    limit: input.inRequest ?? STOP_IN_REQUEST,
  });
  const { failures } = await cancelRuns(deps, workflowIds);
  return { journey, runs, failures, inBackground: Math.max(0, runs - workflowIds.length) };
}

/** Why a journey takes no contacts now, or null when it does. */
export function closedReason(journey: Journey): string | null {
  switch (journey.status) {
    case 'draft':
      return 'This journey has not been published yet';
    case 'paused':
      return 'This journey is paused; resume it to enrol contacts';
    case 'stopped':
      return 'This journey was stopped for good; duplicate it to run it again';
    case 'active':
      return journey.liveVersionId ? null : 'This journey has no live version';
    default: {
      const unreachable: never = journey.status;
      throw new Error(`Unknown journey status ${String(unreachable)}`);
    }
  }
}

/** Enrols contacts into the live version by hand, under the journey's entry policy. */
async function startManualRuns(
  deps: RuntimeDeps,
  journey: Journey,
  contactIds: readonly string[],
): Promise<StartOutcome[]> {
  const version = await getJourneyVersion(deps.sql, journey.liveVersionId!);
  if (!version) throw new Error(`Live version of journey ${journey.id} is missing`);
  return startRuns(
    deps,
    contactIds.map((contactId) => ({
      journeyId: journey.id,
      versionId: version.id,
      entryPolicy: version.plan.settings.entryPolicy,
      contactId,
      entryKey: null,
      entry: { kind: 'manual', enrolmentId: null },
    })),
  );
}

/** Enrols one contact into the live version, under the journey's entry policy. */
export async function enrolContact(
  deps: RuntimeDeps,
  input: { journey: Journey; contactId: string },
): Promise<{ outcome: StartOutcome; workflowId: string }> {
  const [outcome] = await startManualRuns(deps, input.journey, [input.contactId]);
  return { outcome: outcome!, workflowId: runWorkflowId(input.journey.id, input.contactId) };
}

/** How many of the contacts enrolled by hand each start outcome had. */
export type EnrolmentCounts = Record<StartOutcome, number>;

/**
 * Enrols several contacts at once (the contact list's selection), each as `enrolContact` does;
 * answers how many started, were already going through it, were refused by the entry policy,
 * or could not be started (Temporal did not take them: enrolling them again is safe).
 */
export async function enrolContacts(
  deps: RuntimeDeps,
  input: { journey: Journey; contactIds: readonly string[] },
): Promise<EnrolmentCounts> {
  const counts: EnrolmentCounts = { started: 0, duplicate: 0, refused: 0, failed: 0 };
  for (const outcome of await startManualRuns(deps, input.journey, input.contactIds)) {
    counts[outcome] += 1;
  }
  return counts;
}

/** Starts a bulk enrolment of a segment's current members at a bounded rate. */
export async function enrolSegment(
  deps: RuntimeDeps,
  input: { journey: Journey; segmentId: string; ratePerSecond: number },
): Promise<JourneyEnrolment> {
  const { journey, segmentId, ratePerSecond } = input;
  const total = await countSegmentMembers(deps.sql, {
    workspaceId: journey.workspaceId,
    segmentId,
  });
  const enrolment = await createEnrolment(deps.sql, {
    workspaceId: journey.workspaceId,
    journeyId: journey.id,
    source: { kind: 'segment', segmentId },
    ratePerSecond,
    total,
  });
  try {
    await withCallDeadline(deps.client, () =>
      deps.client.workflow.start<typeof bulkEnrolment>(BULK_ENROLMENT_WORKFLOW, {
        taskQueue: deps.taskQueue,
        workflowId: enrolment.workflowId,
        args: [
          {
            v: 1,
            enrolmentId: enrolment.id,
            ratePerSecond,
            batchSize: Math.max(1, Math.min(500, ratePerSecond)),
          },
        ],
      }),
    );
  } catch (error) {
    await failEnrolment(deps.sql, enrolment.id);
    throw new WorkflowServiceUnavailable(
      'The workflow service did not answer, so no one was enrolled; try again shortly',
      error,
    );
  }
  return enrolment;
}
