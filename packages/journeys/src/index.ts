// @relance/journeys: the client side of the journey runtime, shared by the API and activities.
// Starts runs under the entry policy, wakes waiting runs, publishes versions, pauses/resumes.

import { createDispatcher } from './dispatcher';
import {
  enrolContact,
  enrolContacts,
  enrolSegment,
  pauseJourney,
  resumeJourney,
  stopJourney,
} from './control';
import { previewCarryOver, publishJourney, validateJourney, warnJourney } from './publish';
import { redeliverDue, startRedeliveryLoop, sweepJourneyOutbox } from './redelivery';
import { runtimeDeps, type RuntimeOptions } from './runtime-deps';
import { signalRuns } from './signal-runs';
import { startRuns } from './start-runs';
import { stopRuns, stopRunsOfStoppedJourneys } from './stop-runs';

export type { CarryOver, CarryOverPreview, PublishResult } from './publish';
export type { RunRequest, StartOutcome } from './start-runs';
export type { RunSignal } from './signal-runs';
export type { StopFailure } from './stop-runs';
export type { RedeliveryPass } from './redelivery';
export { REDELIVERY_SCHEDULE, redeliveryDelayMs } from './redelivery-schedule';
export type { RuntimeDeps, RuntimeOptions } from './runtime-deps';
export { closedReason } from './control';
export { STOP_IN_REQUEST, STOP_RETRY_MS } from './stop-runs';
export {
  CALL_DEADLINE_MS,
  EVENT_MAX_AGE_MS,
  withCallDeadline,
  WorkflowServiceUnavailable,
} from './runtime-deps';

/** The journey runtime as the API and activities use it; also the `JourneyDispatcher`. */
export function createJourneyRuntime(options: RuntimeOptions) {
  const deps = runtimeDeps(options);
  return {
    deps,
    ...createDispatcher(deps),
    startRuns: (requests: Parameters<typeof startRuns>[1]) => startRuns(deps, requests),
    signalRuns: (signals: Parameters<typeof signalRuns>[1]) => signalRuns(deps, signals),
    /** Ends runs at once (a deleted contact's): no further step runs. */
    stopRuns: (workflowIds: readonly string[], reason: string) =>
      stopRuns(deps, workflowIds, reason),
    validate: (workspaceId: string, document: unknown) =>
      validateJourney(deps.sql, workspaceId, document),
    /** What publishing `document` shows but does not refuse (events never received). */
    warnings: (workspaceId: string, document: unknown) =>
      warnJourney(deps.sql, workspaceId, document),
    previewCarryOver: (
      ...args: Parameters<typeof previewCarryOver> extends [unknown, ...infer R] ? R : never
    ) => previewCarryOver(deps, ...args),
    publish: (input: Parameters<typeof publishJourney>[1]) => publishJourney(deps, input),
    pause: (input: Parameters<typeof pauseJourney>[1]) => pauseJourney(deps, input),
    resume: (input: Parameters<typeof resumeJourney>[1]) => resumeJourney(deps, input),
    /** Stops a journey for good and cancels its runs in progress (the worker finishes the job). */
    stop: (input: Parameters<typeof stopJourney>[1]) => stopJourney(deps, input),
    enrolContact: (input: Parameters<typeof enrolContact>[1]) => enrolContact(deps, input),
    enrolContacts: (input: Parameters<typeof enrolContacts>[1]) => enrolContacts(deps, input),
    enrolSegment: (input: Parameters<typeof enrolSegment>[1]) => enrolSegment(deps, input),
    /** One pass asking Temporal to cancel the runs of stopped journeys still open. */
    stopRunsOfStoppedJourneys: (options?: Parameters<typeof stopRunsOfStoppedJourneys>[1]) =>
      stopRunsOfStoppedJourneys(deps, options),
    /** One pass over the starts and signals kept because Temporal did not take them. */
    redeliverDue: (options?: Parameters<typeof redeliverDue>[1]) => redeliverDue(deps, options),
    /** Keeps the journey outbox rows older than `graceMs` (default 60 s) as dispatches due now. */
    sweepJourneyOutbox: (options?: Parameters<typeof sweepJourneyOutbox>[1]) =>
      sweepJourneyOutbox(deps, options),
    /** The worker's loop of redelivery passes. */
    startRedeliveryLoop: (options?: Parameters<typeof startRedeliveryLoop>[1]) =>
      startRedeliveryLoop(deps, options),
  };
}

export type JourneyRuntime = ReturnType<typeof createJourneyRuntime>;
