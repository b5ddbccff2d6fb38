import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startTestServices } from '../support/stack';

/** Real throwaway services for a benchmark: PostgreSQL and (optionally) a Temporal dev server. */
export async function startBenchServices(options: { temporal: boolean }) {
  const stack = await startTestServices(options);
  return {
    pgAdminUrl: stack.provided.pgAdminUrl,
    databaseUrl: stack.provided.pgAdminUrl.replace(/\/postgres$/, '/relance_template'),
    temporalAddress: stack.provided.temporalAddress,
    stop: () => stack.stop(),
  };
}

/** Percentile of already-sorted numbers (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Latency summary in milliseconds. */
export function summarise(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

/**
 * Writes one benchmark's results as JSON (to the runner's results directory, or next to this
 * file when run alone). Each metric should say its goal so the summary reads on its own.
 */
export async function writeResult(name: string, result: Record<string, unknown>): Promise<void> {
  const flag = process.argv.indexOf('--results');
  const dir =
    flag > 0 ? process.argv[flag + 1]! : fileURLToPath(new URL('results', import.meta.url));
  await mkdir(dir, { recursive: true });
  const body = { name, at: new Date().toISOString(), machine: { cpus: cpus().length }, ...result };
  await writeFile(`${dir}/${name}.json`, `${JSON.stringify(body, null, 2)}\n`);
  console.log(JSON.stringify(body, null, 2));
}
