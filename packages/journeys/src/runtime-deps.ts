import type { Client } from '@temporalio/client';
import type { Sql } from '@relance/db';

/** What the journey runtime's client side needs: Postgres, a Temporal client and its queue. */
export interface RuntimeDeps {
  sql: Sql;
  client: Client;
  taskQueue: string;
  now: () => Date;
  log: (line: string) => void;
  /** Workflow starts and signals in flight at once. */
  concurrency: number;
}

export type RuntimeOptions = Pick<RuntimeDeps, 'sql' | 'client' | 'taskQueue'> &
  Partial<Pick<RuntimeDeps, 'now' | 'log' | 'concurrency'>>;

export function runtimeDeps(options: RuntimeOptions): RuntimeDeps {
  return {
    now: () => new Date(),
    log: (line) => console.error(line),
    concurrency: 32,
    ...options,
  };
}

export { mapLimit } from '@relance/db';

const firstLine = (error: unknown) =>
  error instanceof Error ? error.message.split('\n')[0]! : String(error);

/**
 * An error's first line, then its causes': the SDK's "Failed to start Workflow" says why
 * (unavailable, deadline exceeded, …) only in its cause.
 */
export function messageOf(error: unknown): string {
  const lines = [firstLine(error)];
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause !== undefined && lines.length < 4) {
    lines.push(firstLine(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return lines.join(': ');
}
