import type { Settler } from './ingest/settler';

/** How long a stopping API waits in all for requests and hand-overs before it closes anyway. */
export const SHUTDOWN_GRACE_MS = 15_000;

export interface ShutdownDeps {
  /** The HTTP server: it stops taking connections and finishes the requests it has. */
  server: {
    close(callback?: (error?: Error) => void): unknown;
    closeIdleConnections?(): void;
    closeAllConnections?(): void;
  };
  /** What ingestion handed over after answering: segment settles and journey dispatches. */
  settler: Pick<Settler, 'idle'>;
  /** Closes what the API holds (Temporal's connection, then Postgres), in this order. */
  close: (() => Promise<unknown>)[];
  log: (line: string) => void;
  /** The bound on the wait for requests and hand-overs, together. */
  graceMs?: number;
}

/** Resolves true when `promise` settles before `deadline` (epoch ms), false otherwise. */
async function within(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The API's stop (SIGTERM, SIGINT, the launcher gone): stop taking requests, let those under way
 * be answered, wait for what ingestion handed over after answering (the events' journey starts
 * and signals, the contacts' segment settles) and only then close Temporal and Postgres, so an
 * event accepted just before a deploy still starts its journeys. The waits are bounded together
 * by `graceMs`; what is still going then is logged and dropped (segment settles are picked up
 * again by the segment tick, journey starts are not). Calling it again returns the same stop.
 */
export function createShutdown(deps: ShutdownDeps): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  async function stop() {
    const deadline = Date.now() + (deps.graceMs ?? SHUTDOWN_GRACE_MS);
    const closed = new Promise<void>((resolve) => deps.server.close(() => resolve()));
    deps.server.closeIdleConnections?.();
    if (!(await within(closed, deadline))) {
      deps.log('shutdown: requests still under way after the grace period were cut off');
      deps.server.closeAllConnections?.();
    }
    if (!(await within(deps.settler.idle(), deadline))) {
      deps.log(
        'shutdown: journey dispatches or segment settles of the last events were still running after the grace period; segment settles are retried by the segment tick, journey starts of those events are lost',
      );
    }
    for (const close of deps.close) {
      await close().catch((error: unknown) =>
        deps.log(
          `shutdown: closing failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  }
  return () => (stopping ??= stop());
}
