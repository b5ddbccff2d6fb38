import { WorkflowNotFoundError } from '@temporalio/common';
import { callEach, type RuntimeDeps } from './runtime-deps';

/** One signal to one run, by workflow id (the latest execution of its chain receives it). */
export interface RunSignal {
  workflowId: string;
  name: string;
  args: unknown[];
}

/** A signal Temporal did not take (unreachable, timed out, …), with its reason. */
export interface SignalFailure {
  signal: RunSignal;
  error: string;
}

/** What happens to a failed signal unless the caller keeps it: a log line. */
const logSignalFailure = (deps: RuntimeDeps) => (failure: SignalFailure) =>
  deps.log(
    `journeys: could not signal ${failure.signal.workflowId} (${failure.signal.name}): ${failure.error}`,
  );

/**
 * Delivers signals, each under the call deadline (`callEach`); a run that ended meanwhile is
 * not an error. Each failed signal is handed to `onFailure` (logged by default). Returns how
 * many arrived.
 */
export async function signalRuns(
  deps: RuntimeDeps,
  signals: readonly RunSignal[],
  onFailure: (failure: SignalFailure) => void = logSignalFailure(deps),
): Promise<number> {
  const outcomes = await callEach(
    deps,
    signals,
    async (s) => {
      await deps.client.workflow.getHandle(s.workflowId).signal(s.name, ...s.args);
      return 1;
    },
    (error) => (error instanceof WorkflowNotFoundError ? 0 : undefined),
  );
  let delivered = 0;
  outcomes.forEach((outcome, i) => {
    if (outcome.ok) delivered += outcome.value;
    else onFailure({ signal: signals[i]!, error: outcome.error });
  });
  return delivered;
}
