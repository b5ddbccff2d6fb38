// Entry policy and branch choice: small decisions the interpreter makes, kept pure and zod-free.

import { assertNever } from './assert-never';
import { ELSE } from './kinds';
import type { PlanEntryPolicy } from './plan';

/** The contact's latest run of this journey (per entry key when the trigger has one). */
export interface PreviousRun {
  startedAt: number;
  /** Null while the run is still going. */
  endedAt: number | null;
}

/**
 * Whether a contact may start a new run now. `once`: never again. `after_exit`: once the
 * previous run has ended. `cooldown`: once it has ended and the cooldown has passed since it
 * started, so a weekly cooldown means at most one entry a week.
 */
export function canEnter(
  policy: PlanEntryPolicy,
  previous: PreviousRun | null,
  nowMs: number,
): boolean {
  if (!previous) return true;
  switch (policy.kind) {
    case 'once':
      return false;
    case 'after_exit':
      return previous.endedAt !== null;
    case 'cooldown':
      return previous.endedAt !== null && nowMs - previous.startedAt >= policy.cooldownMs;
    default:
      return assertNever(policy);
  }
}

/**
 * The port a `logic.switch` takes: the first case whose condition held (`held[i]` for
 * `cases[i]`), else `else`.
 */
export function pickCase(cases: readonly { id: string }[], held: readonly boolean[]): string {
  const index = held.findIndex(Boolean);
  return index >= 0 && index < cases.length ? cases[index]!.id : ELSE;
}
