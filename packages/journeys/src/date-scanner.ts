import { DATE_TRIGGER_WORKFLOW, dateTriggerWorkflowId } from '@relance/workflows/contracts';
import type { dateTriggerScan } from '@relance/workflows/date-trigger';
import { withCallDeadline, type RuntimeDeps } from './runtime-deps';

/**
 * Starts a date-triggered journey's scanner unless it runs already. There is one per journey;
 * it reads the live version on every tick, so a scanner already running for an earlier version
 * simply carries on.
 */
export async function startDateScanner(deps: RuntimeDeps, journeyId: string): Promise<void> {
  await withCallDeadline(deps.client, () =>
    deps.client.workflow.start<typeof dateTriggerScan>(DATE_TRIGGER_WORKFLOW, {
      taskQueue: deps.taskQueue,
      workflowId: dateTriggerWorkflowId(journeyId),
      args: [{ v: 1, journeyId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  );
}
