import { DataError, eraseContact, findErasureTarget, type ContactErasure } from '@relance/db';
import type { JourneyRuntime } from '@relance/journeys';

const STOP_REASON = 'The contact was deleted';

/** One contact's erasure: done, not found, or held back because its runs could not be stopped. */
export type EraseOutcome =
  | { status: 'erased'; erased: ContactErasure; runsStopped: number }
  | { status: 'not_found' }
  | { status: 'runs_not_stopped'; message: string; error: string };

/**
 * Erases a person with their journey runs stopped first: a run left going would act on a
 * contact that is gone. If Temporal cannot be told, nothing is deleted and the erasure can simply
 * be asked again. Runs that started between the two steps are stopped after (a failure is
 * logged: the contact is gone, so such a run fails at its next step).
 */
export async function eraseWithRuns(
  deps: {
    sql: Parameters<typeof eraseContact>[0];
    journeys: JourneyRuntime;
    log: (line: string) => void;
  },
  workspaceId: string,
  contactId: string,
  options: { temporalRefused?: string | undefined } = {},
): Promise<EraseOutcome> {
  const target = await findErasureTarget(deps.sql, workspaceId, contactId);
  if (!target) return { status: 'not_found' };
  const runs = target.openRunWorkflowIds;
  const notStopped = (count: number, said: string, error: string): EraseOutcome => ({
    status: 'runs_not_stopped',
    message: `${count} of this contact's journey runs could not be stopped, so nothing was deleted. Try again in a moment. (${said})`,
    error,
  });
  // Temporal already refused another erasure of the same request: each would wait as long.
  if (options.temporalRefused !== undefined && runs.length > 0) {
    const refused = options.temporalRefused;
    return notStopped(runs.length, `not tried: ${refused}`, refused);
  }
  const first = await deps.journeys.stopRuns(runs, STOP_REASON);
  if (first.failures.length > 0) {
    const error = first.failures[0]!.error;
    return notStopped(first.failures.length, error, error);
  }
  let erased: ContactErasure;
  try {
    erased = await eraseContact(deps.sql, { workspaceId, contactId });
  } catch (error) {
    // Erased (or merged away and erased) by another request in between.
    if (error instanceof DataError && error.status === 404) return { status: 'not_found' };
    throw error;
  }
  const late = erased.openRunWorkflowIds.filter((w) => !target.openRunWorkflowIds.includes(w));
  const second = await deps.journeys.stopRuns(late, STOP_REASON);
  for (const failure of second.failures) {
    deps.log(
      `contacts: could not stop ${failure.workflowId} of a deleted contact: ${failure.error}`,
    );
  }
  return { status: 'erased', erased, runsStopped: first.stopped + second.stopped };
}
