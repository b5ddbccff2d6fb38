import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  NativeConnection,
  Runtime,
  DefaultLogger,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import { inject } from 'vitest';

let runtimeInstalled = false;
/** Keeps test output readable: the worker's own logs only from warnings up. */
export function quietWorkerLogs(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** A client and worker connection to the run's real Temporal dev server, on a task queue of its own. */
export async function connectDevServer() {
  quietWorkerLogs();
  const { temporalAddress } = inject('services');
  const connection = await Connection.connect({ address: temporalAddress });
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  return {
    client: new Client({ connection, namespace: 'default' }),
    nativeConnection,
    taskQueue: `test-${randomUUID()}`,
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/** Temporal's time-skipping test server: `env.sleep('30 days')` takes milliseconds. */
export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  quietWorkerLogs();
  const path = inject('timeSkippingServer');
  return TestWorkflowEnvironment.createTimeSkipping(
    path ? { server: { executable: { type: 'existing-path', path } } } : {},
  );
}

/** Runs `fn` while a worker polls; shuts the worker down afterwards whatever happens. */
export async function withWorker<T>(options: WorkerOptions, fn: () => Promise<T>): Promise<T> {
  const worker = await Worker.create(options);
  return worker.runUntil(fn);
}
