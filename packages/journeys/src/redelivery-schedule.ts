// When an undelivered journey start or signal is tried again. Pure, so the schedule is tested
// on its own; the redelivery loop applies it.

export interface RedeliverySchedule {
  /** Wait after the first failure. */
  firstDelayMs: number;
  /** The wait doubles after each failure up to this. */
  maxDelayMs: number;
  /** Failures after which a delivery is reported as stuck (it is still retried). */
  stuckAfterAttempts: number;
}

/** 5 s, 10 s, 20 s … capped at 15 min; stuck after 10 failures (about 40 minutes of trying). */
export const REDELIVERY_SCHEDULE: RedeliverySchedule = {
  firstDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
  stuckAfterAttempts: 10,
};

/** How long to wait before the next try, after `attempts` failed ones (1 = the first). */
export function redeliveryDelayMs(
  attempts: number,
  schedule: RedeliverySchedule = REDELIVERY_SCHEDULE,
): number {
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
  }
  // Capping the exponent first keeps 2 ** n finite however long Temporal stays away.
  const doublings = Math.min(attempts - 1, 52);
  return Math.min(schedule.firstDelayMs * 2 ** doublings, schedule.maxDelayMs);
}

/** Whether a delivery that failed `attempts` times is reported as stuck. */
export function isStuck(
  attempts: number,
  schedule: RedeliverySchedule = REDELIVERY_SCHEDULE,
): boolean {
  return attempts >= schedule.stuckAfterAttempts;
}
