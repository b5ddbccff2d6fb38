import { Connection } from '@temporalio/client';
import type { Log } from './log';
import { ProvisionError, startProcess, type ManagedProcess } from './process';

export interface TemporalDevServer {
  address: string;
  uiUrl: string | undefined;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev`: a real single-binary Temporal server, persisted to a
 * SQLite file when `dbFile` is given (in memory otherwise), with its Web UI unless headless.
 */
export async function startTemporalDevServer(options: {
  cliPath: string;
  port: number;
  uiPort?: number;
  dbFile?: string;
  namespace: string;
  log: Log;
  env?: Record<string, string>;
}): Promise<TemporalDevServer> {
  const { log } = options;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
  ];
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  log.step(
    `starting the Temporal dev server on port ${options.port}${options.uiPort ? ` (Web UI on ${options.uiPort})` : ''}`,
  );
  const recent: string[] = [];
  const server = startProcess('temporal', options.cliPath, args, {
    ...(options.env ? { env: options.env } : {}),
    output: (line) => {
      recent.push(line);
      if (recent.length > 30) recent.shift();
    },
  });
  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.child.exitCode !== null) {
      throw new ProvisionError(
        `The Temporal dev server exited during start-up (port ${options.port} in use? set TEMPORAL_PORT):\n${recent.join('\n')}`,
      );
    }
    if (await isServing(address, options.namespace)) break;
    if (Date.now() > deadline) {
      await server.stop();
      throw new ProvisionError(
        `The Temporal dev server did not answer on ${address} within 60 s:\n${recent.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    process: server,
    stop: () => server.stop(10_000),
  };
}

/** True when a Temporal frontend answers at `address` and knows `namespace`. */
export async function isServing(address: string, namespace: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
