/** How long a statement waits for more items while the sends are busy; see batchStatements. */
export const BUSY_LINGER_MS = 2;

/**
 * One statement for many callers — a group commit for writes: `run(item)` resolves with the
 * item's result once `write` has run (and committed) it. The first item goes at once; items
 * arriving while a statement is in flight go together in the next one (at most `maxBatch`), so
 * a busy send step pays one statement per batch rather than per message, and a lone send waits
 * for nothing. While busy (the last statement carried several items), the next one first waits
 * `lingerMs` for more: PostgreSQL's cost is mostly per statement, and on a loaded machine the
 * batches otherwise stay small. `write` answers items in their order.
 */
export function batchStatements<I, O>(
  write: (items: I[]) => Promise<O[]>,
  options: { maxBatch?: number; lingerMs?: number } = {},
): (item: I) => Promise<O> {
  const { maxBatch = 200, lingerMs = BUSY_LINGER_MS } = options;
  type Waiter = { item: I; resolve: (result: O) => void; reject: (error: unknown) => void };
  const queue: Waiter[] = [];
  let flushing = false;
  let lastBatchSize = 0;

  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length > 0) {
      if (lastBatchSize > 1 && lingerMs > 0 && queue.length < maxBatch) {
        await new Promise((resolve) => setTimeout(resolve, lingerMs));
      }
      const batch = queue.splice(0, maxBatch);
      lastBatchSize = batch.length;
      try {
        const results = await write(batch.map((waiter) => waiter.item));
        batch.forEach((waiter, i) => waiter.resolve(results[i]!));
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    flushing = false;
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!flushing) void flush();
    });
}
