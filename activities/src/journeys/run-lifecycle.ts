import { ApplicationFailure } from '@temporalio/common';
import {
  endJourneyRun,
  getJourneyContact,
  getJourneyVersion,
  getRun,
  insertRun,
  lastEventId,
  latestRun,
  lockRunEntry,
  moveRunVersion,
  type TransactionSql,
} from '@relance/db';
import { canEnter, isValidTimeZone } from '@relance/flow/runtime';
import { entryKeyOf } from '@relance/workflows/contracts';
import type {
  BeginRunInput,
  BeginRunResult,
  CheckpointInput,
  CheckpointResult,
  EndRunInput,
  LoadRunResult,
  MoveRunInput,
  MoveRunResult,
  RunRef,
} from '@relance/workflows/journey-activities';
import type { JourneyActivityDeps } from './deps';
import {
  evaluateGuard,
  flushSteps,
  nextTimeChange,
  positionRun,
  runCheck,
  watchedBy,
} from './gate';

function zoneOf(timezone: string): string {
  return isValidTimeZone(timezone) ? timezone : 'UTC';
}

/** A failure retrying cannot fix: the run's data is gone, so the run fails. */
const runDataError = (message: string) => ApplicationFailure.nonRetryable(message, 'RunDataError');

/**
 * Admits a run: checks the entry policy again under a per-(journey, contact, key) lock (the
 * dispatcher's check was only a shortcut) and writes the run's row. Retrying returns the same
 * answer: the row, keyed by the run id, is found instead of written twice.
 */
export async function beginRun(
  deps: JourneyActivityDeps,
  input: BeginRunInput,
): Promise<BeginRunResult> {
  const version = await getJourneyVersion(deps.sql, input.journeyVersionId);
  if (!version) return { admitted: false, reason: 'The journey version does not exist' };
  const contact = await getJourneyContact(deps.sql, version.workspaceId, input.contactId);
  if (!contact) return { admitted: false, reason: 'The contact does not exist' };
  const entryKey = entryKeyOf(input.entry);
  // Event waits, and conditions counting "since they entered the journey", look at events after
  // the trigger (or after whatever the contact did before).
  const watermark =
    input.entry.kind === 'event' ? input.entry.eventId : await lastEventId(deps.sql, contact.id);
  const decision = await deps.sql.begin(async (tx: TransactionSql) => {
    const existing = await getRun(tx, input.runId);
    if (existing) return null;
    if (version.journeyStatus !== 'active') {
      return `The journey is ${version.journeyStatus}; it takes no new contacts`;
    }
    await lockRunEntry(tx, { journeyId: version.journeyId, contactId: contact.id, entryKey });
    const previous = await latestRun(tx, {
      journeyId: version.journeyId,
      contactId: contact.id,
      entryKey,
      excludeId: input.runId,
    });
    const last = previous
      ? { startedAt: previous.startedAt.getTime(), endedAt: previous.endedAt?.getTime() ?? null }
      : null;
    if (!canEnter(version.plan.settings.entryPolicy, last, input.at)) {
      return `The entry policy (${version.plan.settings.entryPolicy.kind}) does not let this contact enter again yet`;
    }
    await insertRun(tx, {
      id: input.runId,
      workspaceId: version.workspaceId,
      journeyId: version.journeyId,
      versionId: version.id,
      contactId: contact.id,
      workflowId: input.workflowId,
      entryKey,
      entry: { ...input.entry },
      startedAt: new Date(input.at),
      watermark,
    });
    return null;
  });
  if (decision !== null) return { admitted: false, reason: decision };
  const run: RunRef = {
    runId: input.runId,
    workflowId: input.workflowId,
    workspaceId: version.workspaceId,
    journeyId: version.journeyId,
    versionId: version.id,
    contactId: contact.id,
  };
  return { admitted: true, run, plan: version.plan, timeZone: zoneOf(contact.timezone), watermark };
}

/** Reads a run back after continue-as-new (its version may have changed by a move). */
export async function loadRun(
  deps: JourneyActivityDeps,
  input: { runId: string },
): Promise<LoadRunResult> {
  const row = await getRun(deps.sql, input.runId);
  if (!row) throw runDataError(`Run ${input.runId} does not exist`);
  const version = await getJourneyVersion(deps.sql, row.versionId);
  const contact = await getJourneyContact(deps.sql, row.workspaceId, row.contactId);
  if (!version || !contact) throw runDataError(`Run ${input.runId} lost its version or contact`);
  return {
    run: {
      runId: row.id,
      workflowId: row.workflowId,
      workspaceId: row.workspaceId,
      journeyId: row.journeyId,
      versionId: row.versionId,
      contactId: row.contactId,
    },
    plan: version.plan,
    timeZone: zoneOf(contact.timezone),
  };
}

/**
 * The zone a time-of-day wait is read in, when the wait is scheduled: the contact's (followed
 * to the contact it was merged into), else its workspace's. Null when the contact is gone.
 */
export async function readTimeZone(
  deps: JourneyActivityDeps,
  input: { run: RunRef },
): Promise<string | null> {
  const contact = await getJourneyContact(deps.sql, input.run.workspaceId, input.run.contactId);
  return contact ? zoneOf(contact.timezone) : null;
}

/** Flush, guard, hold, then the node's own check. */
export async function checkpoint(
  deps: JourneyActivityDeps,
  input: CheckpointInput,
): Promise<CheckpointResult> {
  await flushSteps(deps, input.run, input.records);
  const guard = await evaluateGuard(deps, input.run, input.guard, input.at);
  if (guard.kind !== 'clear') return { kind: 'guarded', guard };
  const position = await positionRun(deps, input.run, input.current, input.holdIfPaused, input.at);
  if (position === 'held') {
    // A held run looks again when time alone can next meet an exit condition or goal.
    const recheckAt = input.watchHeld
      ? await nextTimeChange(deps, input.run, watchedBy(input.guard, null), input.at)
      : undefined;
    return { kind: 'held', ...(recheckAt !== undefined ? { recheckAt } : {}) };
  }
  const check = input.check ? await runCheck(deps, input.run, input.check, input.at) : null;
  // A waiting run sleeps until this, or its deadline, or a signal: whichever comes first.
  const recheckAt = input.watchTime
    ? await nextTimeChange(deps, input.run, watchedBy(input.guard, input.check), input.at)
    : undefined;
  return { kind: 'clear', check, ...(recheckAt !== undefined ? { recheckAt } : {}) };
}

/** Moves a waiting run to another version when the node it waits at exists there unchanged in kind. */
export async function moveRunToVersion(
  deps: JourneyActivityDeps,
  input: MoveRunInput,
): Promise<MoveRunResult> {
  const version = await getJourneyVersion(deps.sql, input.journeyVersionId);
  if (!version || version.journeyId !== input.run.journeyId) {
    return { moved: false, reason: 'That version belongs to another journey' };
  }
  const current = await getJourneyVersion(deps.sql, input.run.versionId);
  // A move asked for before a later publish can arrive after it (a redelivered signal).
  if (current && version.version < current.version) {
    return { moved: false, reason: `The run is already on version ${current.version}` };
  }
  const from = current?.plan.nodes[input.nodeId];
  const to = version.plan.nodes[input.nodeId];
  if (!from || !to || from.kind !== to.kind) {
    return {
      moved: false,
      reason: `Node ${input.nodeId} is not in the new version as the same kind`,
    };
  }
  const moved = await moveRunVersion(deps.sql, {
    runId: input.run.runId,
    versionId: version.id,
    at: new Date(input.at),
  });
  if (!moved) return { moved: false, reason: 'The run has ended' };
  return { moved: true, run: { ...input.run, versionId: version.id }, plan: version.plan };
}

/** Writes the last steps and closes the run's row. */
export async function endRun(deps: JourneyActivityDeps, input: EndRunInput): Promise<void> {
  await flushSteps(deps, input.run, input.records);
  await endJourneyRun(deps.sql, {
    runId: input.run.runId,
    status: input.status,
    at: new Date(input.at),
    lastNode: input.records.at(-1)?.nodeId,
  });
}
