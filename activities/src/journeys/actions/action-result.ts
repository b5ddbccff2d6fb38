import { claimActionKey, type ActionClaim, type Queryable } from '@relance/db';
import type { PerformActionInput } from '@relance/workflows/journey-activities';
import { ApplicationFailure } from '@temporalio/common';

/** What an action reports; `result` is kept under its key and shown in the step's `why`. */
export interface ActionDone {
  outcome: 'done' | 'skipped';
  result: Record<string, unknown>;
  replayed: boolean;
}

/** A failure retrying cannot fix (a deleted segment, a 404): the step is recorded as failed. */
export function permanentFailure(message: string, type = 'ActionFailed'): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}

/** The result an earlier attempt recorded, replayed without acting again. */
export function replayOf(result: Record<string, unknown> | null): ActionDone {
  const { outcome, ...rest } = result ?? {};
  return { outcome: outcome === 'skipped' ? 'skipped' : 'done', result: rest, replayed: true };
}

/** The result as stored under the key (outcome included, so a replay reports the same). */
export function storedResult(done: Omit<ActionDone, 'replayed'>): Record<string, unknown> {
  return { ...done.result, outcome: done.outcome };
}

/** Claims the step's idempotency key for this run and node (see `claimActionKey`). */
export function claimStep(sql: Queryable, input: PerformActionInput): Promise<ActionClaim> {
  return claimActionKey(sql, {
    key: input.key,
    workspaceId: input.run.workspaceId,
    runId: input.run.runId,
    nodeId: input.node.id,
    kind: input.node.kind,
  });
}
