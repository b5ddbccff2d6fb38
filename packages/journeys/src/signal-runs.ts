import { WorkflowNotFoundError } from '@temporalio/common';
import { mapLimit, messageOf, type RuntimeDeps } from './runtime-deps';

/** One signal to one run, by workflow id (the latest execution of its chain receives it). */
export interface RunSignal {
  workflowId: string;
  name: string;
  args: unknown[];
}

/** Delivers signals; a run that ended meanwhile is not an error. Returns how many arrived. */
export async function signalRuns(
  deps: RuntimeDeps,
  signals: readonly RunSignal[],
): Promise<number> {
  const delivered = await mapLimit(signals, deps.concurrency, async (s) => {
    try {
      await deps.client.workflow.getHandle(s.workflowId).signal(s.name, ...s.args);
      return 1;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 0;
      deps.log(`journeys: could not signal ${s.workflowId} (${s.name}): ${messageOf(error)}`);
      return 0;
    }
  });
  return delivered.reduce<number>((sum, n) => sum + n, 0);
}
