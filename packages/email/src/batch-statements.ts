/**
 * One statement for many callers — a group commit for writes: `run(item)` resolves with the
 * item's result once `write` has run (and committed) it. The first item goes at once; items
 * arriving while a statement is in flight go together in the next one (at most `maxBatch`), so
 * a busy send step pays one statement per batch rather than per message, and a lone send waits
 * for nothing. `write` answers items in their order.
 */
export function batchStatements<I, O>(
  write: (items: I[]) => Promise<O[]>,
  maxBatch = 200,
): (item: I) => Promise<O> {
  type Waiter = { item: I; resolve: (result: O) => void; reject: (error: unknown) => void };
  const queue: Waiter[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
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
