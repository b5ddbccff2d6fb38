import {
  dispatchRecheckStepFromOutbox,
  endSettingsRecheck,
  runSettingsRecheck,
  type SettingsRecheck,
} from '@relance/db';
import { withCallDeadline } from '@relance/journeys';
import {
  settingsRecheckWorkflowId,
  type settingsRecheck,
} from '@relance/workflows/settings-recheck';
import type { AppDeps } from './env';

/**
 * Has the worker run a re-check just recorded with a saved setting (workflow
 * `settingsRecheck`), so the save answers at once. When Temporal cannot be reached, runs it here,
 * in the request, so the setting applies all the same; a failure there ends the re-check as
 * failed, with the reason, and is thrown.
 */
export async function runRecheckAfterSave(deps: AppDeps, recheck: SettingsRecheck): Promise<void> {
  const log = deps.log ?? ((line: string) => console.error(line));
  const { client, taskQueue } = deps.temporal;
  try {
    await withCallDeadline(client, () =>
      client.workflow.start<typeof settingsRecheck>('settingsRecheck', {
        workflowId: settingsRecheckWorkflowId(recheck.id),
        taskQueue,
        args: [{ recheckId: recheck.id }],
      }),
    );
    return;
  } catch (error) {
    log(
      `the worker could not be reached to re-check after a ${recheck.cause} save (${error instanceof Error ? error.message : String(error)}): re-checking in the request`,
    );
  }
  try {
    await runSettingsRecheck(deps.sql, {
      recheckId: recheck.id,
      now: deps.clock?.() ?? new Date(),
      onStep: async (workspaceId, step) => {
        await dispatchRecheckStepFromOutbox(deps.sql, deps.dispatcher, workspaceId, step, log);
      },
      // Each step keeps its changes in the journey outbox until they were dispatched.
      outbox: true,
    });
  } catch (error) {
    await endSettingsRecheck(
      deps.sql,
      recheck.id,
      error instanceof Error ? error.message : String(error),
    );
    throw error;
  }
}
