// Starts the runs of a date-triggered journey ("3 days before the renewal date, at 09:00 in the
// contact's time zone"): every tick it asks for the occurrences due within the next hour and
// starts their runs with a start delay, so each begins on time. The scanned windows follow one
// another without gap or overlap; after an outage the next window starts where the last ended,
// so late occurrences still start (late) rather than being skipped.

import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { DateTriggerInput } from './contracts';
import type { JourneyActivities } from './journey-activities';

/** How far ahead each scan looks. */
const HORIZON_MS = 60 * 60_000;
/** How often it scans (well inside the horizon, so no occurrence is found late). */
const TICK_MS = 15 * 60_000;
/** A day of ticks per execution, then continue as new. */
const TICKS_PER_EXECUTION = 96;

const { scanDateTrigger } = proxyActivities<Pick<JourneyActivities, 'scanDateTrigger'>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Runs until the journey is deleted or no longer triggered by a date. */
export async function dateTriggerScan(input: DateTriggerInput): Promise<void> {
  let scannedUntil = input.scannedUntil ?? Date.now();
  for (let tick = 0; tick < TICKS_PER_EXECUTION; tick++) {
    const now = Date.now();
    const toMs = Math.max(now + HORIZON_MS, scannedUntil);
    const { keep } = await scanDateTrigger({
      journeyId: input.journeyId,
      fromMs: scannedUntil,
      toMs,
      nowMs: now,
    });
    if (!keep) return;
    scannedUntil = toMs;
    await sleep(TICK_MS);
  }
  await continueAsNew<typeof dateTriggerScan>({ ...input, scannedUntil });
}
