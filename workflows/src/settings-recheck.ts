// The re-check of scores and segments after a setting was saved (the scoring rules, the
// workspace's time zone): one activity running it step by step, each step's changes handed to
// the journeys as it commits and counted on the re-check's row, where the settings pages read
// its progress. Started by the API with an id from the row, so the save answers at once and the
// re-check finishes whether or not the page stays open. Retried with backoff; after the last
// attempt the re-check ends as failed, with the reason, and the next full reconciliation
// (within six hours) applies the setting instead.

import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';

export interface SettingsRecheckInput {
  recheckId: string;
}

/** Implemented in activities/src/segments.ts. */
export interface SettingsRecheckActivities {
  /** Runs the re-check to its end (nothing once it has ended). */
  runSettingsRecheck(input: { recheckId: string }): Promise<void>;
  /** Ends the re-check as failed, with the reason. */
  failSettingsRecheck(input: { recheckId: string; reason: string }): Promise<void>;
}

/** One workflow per re-check. */
export const settingsRecheckWorkflowId = (recheckId: string) => `settings-recheck:${recheckId}`;

const { runSettingsRecheck } = proxyActivities<SettingsRecheckActivities>({
  // Half a minute to a few minutes at a million contacts; it heartbeats every 10 s, so a worker
  // that died in it is noticed within the minute.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
  },
});
const { failSettingsRecheck } = proxyActivities<SettingsRecheckActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Runs the re-check; `failed` once its attempts are spent. */
export async function settingsRecheck(input: SettingsRecheckInput): Promise<'done' | 'failed'> {
  try {
    await runSettingsRecheck({ recheckId: input.recheckId });
    return 'done';
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const reason = error.cause instanceof ApplicationFailure ? error.cause.message : error.message;
    await failSettingsRecheck({ recheckId: input.recheckId, reason });
    return 'failed';
  }
}
