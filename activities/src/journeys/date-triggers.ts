import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { findDateCandidates, findJourneyById, getJourneyVersion } from '@relance/db';
import { isValidTimeZone, nextDateOccurrence, toLocal } from '@relance/flow/runtime';
import type { RunRequest } from '@relance/journeys';
import type { ScanDateTriggerInput } from '@relance/workflows/journey-activities';
import type { JourneyActivityDeps } from './deps';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The scan's "now": the workflow's time when it first scheduled the scan, moved on by however
 * long the retries of this scan have taken, so a retried scan still starts each run on time.
 */
function scanNow(input: ScanDateTriggerInput): number {
  const { scheduledTimestampMs, currentAttemptScheduledTimestampMs } = Context.current().info;
  return input.nowMs + Math.max(0, currentAttemptScheduledTimestampMs - scheduledTimestampMs);
}

/** The local calendar date of an instant: the entry key of a date occurrence. */
function localDate(ms: number, timeZone: string): string {
  const local = toLocal(ms, timeZone);
  return `${local.year}-${pad(local.month)}-${pad(local.day)}`;
}

/**
 * Finds the contacts whose date comes round in (fromMs, toMs] and starts their runs with a
 * start delay, so each begins at its occurrence. One run per occurrence: the key is the local
 * date, and the workflow id includes it, so overlapping scans start nothing twice. A paused
 * journey starts nothing (its occurrences pass); a journey no longer triggered by a date,
 * stopped, or gone, stops the scanner.
 */
export async function scanDateTrigger(
  deps: JourneyActivityDeps,
  input: ScanDateTriggerInput,
): Promise<{ keep: boolean; started: number }> {
  const journey = await findJourneyById(deps.sql, input.journeyId);
  const version = journey?.liveVersionId
    ? await getJourneyVersion(deps.sql, journey.liveVersionId)
    : undefined;
  const trigger = version?.plan.trigger;
  if (!journey || !version || trigger?.kind !== 'trigger.date') return { keep: false, started: 0 };
  // A stopped journey never takes contacts again; a paused one may be resumed.
  if (journey.status === 'stopped') return { keep: false, started: 0 };
  if (journey.status !== 'active') return { keep: true, started: 0 };

  const { config } = trigger;
  const candidates = await findDateCandidates(deps.sql, {
    workspaceId: journey.workspaceId,
    property: config.property,
    // The index holds the dates themselves: shift the window back by the offset.
    fromMs: input.fromMs - config.offsetMs,
    toMs: input.toMs - config.offsetMs,
    repeat: config.repeat,
  });
  const nowMs = scanNow(input);
  const requests: RunRequest[] = [];
  for (const candidate of candidates) {
    const zone = isValidTimeZone(candidate.timezone) ? candidate.timezone : 'UTC';
    const at = nextDateOccurrence(candidate.value, config, zone, input.fromMs);
    if (at === null || at > input.toMs) continue;
    const key = localDate(at, zone);
    requests.push({
      journeyId: journey.id,
      versionId: version.id,
      entryPolicy: version.plan.settings.entryPolicy,
      contactId: candidate.contactId,
      entryKey: key,
      entry: { kind: 'date', key, occurrence: new Date(at).toISOString() },
      startDelayMs: Math.max(0, at - nowMs),
    });
  }
  const outcomes = await deps.runtime.startRuns(requests);
  const failed = outcomes.filter((o) => o === 'failed').length;
  if (failed > 0) {
    // Temporal did not take them (it is down or overloaded): the scan is retried with backoff
    // (no attempt limit), and the starts it did make are duplicates the next attempt skips.
    throw ApplicationFailure.retryable(
      `${failed} of ${requests.length} date-triggered runs could not be started; the scan is retried`,
      'RunStartsNotTaken',
    );
  }
  return { keep: true, started: outcomes.filter((o) => o === 'started').length };
}
