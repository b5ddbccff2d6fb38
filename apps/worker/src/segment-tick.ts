import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { SEGMENT_TICK_WORKFLOW_ID, type segmentTicker } from '@relance/workflows/segment-tick';

/**
 * Starts the segment clock unless it already runs: every worker calls this at boot and the
 * fixed workflow id makes all but the first a no-op.
 */
export async function startSegmentTicker(options: {
  address: string;
  namespace: string;
  taskQueue: string;
  log: (line: string) => void;
}): Promise<void> {
  const connection = await Connection.connect({ address: options.address });
  try {
    const client = new Client({ connection, namespace: options.namespace });
    await client.workflow.start<typeof segmentTicker>('segmentTicker', {
      workflowId: SEGMENT_TICK_WORKFLOW_ID,
      taskQueue: options.taskQueue,
      args: [{ v: 1 }],
    });
    options.log(`segment ticker started (workflow ${SEGMENT_TICK_WORKFLOW_ID})`);
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  } finally {
    await connection.close();
  }
}
