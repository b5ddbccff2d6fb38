// Runs started per second through the journey runtime (entry-policy check in Postgres, then a
// business-key workflow start) vs bare Temporal workflow starts, same server, same run.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { createSql } from '@relance/db';
import { createJourneyRuntime } from '@relance/journeys';
import { publishTagJourney } from './journeys-lib';
import { startBenchServices, writeResult } from './lib';

const PER_ROUND = 400;
const ROUNDS = 3;
const CONCURRENCY = 32;

const services = await startBenchServices({ temporal: true });
const sql = createSql({ databaseUrl: services.databaseUrl, max: 8 });
const connection = await Connection.connect({ address: services.temporalAddress });
const client = new Client({ connection });
try {
  const [workspace] = await sql<{ id: string }[]>`select id from workspaces limit 1`;
  const workspaceId = workspace!.id;
  // No worker polls these queues: both sides measure the start alone.
  const runtime = createJourneyRuntime({
    sql,
    client,
    taskQueue: 'bench-runs',
    log: () => {},
    concurrency: CONCURRENCY,
  });
  const { journeyId, versionId } = await publishTagJourney(sql, runtime, {
    workspaceId,
    name: 'Bench',
    tag: 'bench',
  });

  async function bare(n: number): Promise<number> {
    const ids = Array.from({ length: n }, () => randomUUID());
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          await client.workflow.start('bareWorkflow', {
            taskQueue: 'bench-bare',
            workflowId: id,
            args: [],
          });
        }
      }),
    );
    return n / ((performance.now() - started) / 1_000);
  }

  async function runs(n: number): Promise<number> {
    const requests = Array.from({ length: n }, () => ({
      journeyId,
      versionId,
      entryPolicy: { kind: 'once' as const },
      contactId: randomUUID(),
      entryKey: null,
      entry: { kind: 'manual' as const, enrolmentId: null },
    }));
    const started = performance.now();
    const outcomes = await runtime.startRuns(requests);
    const elapsed = performance.now() - started;
    if (outcomes.some((o) => o !== 'started'))
      throw new Error(`not all started: ${outcomes.join()}`);
    return n / (elapsed / 1_000);
  }

  await bare(50);
  await runs(50);
  const rounds: { bare: number; runs: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const bareRate = await bare(PER_ROUND);
    const runRate = await runs(PER_ROUND);
    rounds.push({ bare: Math.round(bareRate), runs: Math.round(runRate) });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const bareRate = median(rounds.map((r) => r.bare));
  const runRate = median(rounds.map((r) => r.runs));
  await writeResult('journeys-start-rate', {
    goal: 'runs started per second ≥ 0.8 × bare Temporal workflow starts on the same server',
    startsPerRound: PER_ROUND,
    concurrency: CONCURRENCY,
    rounds,
    bareStartsPerSecond: bareRate,
    runsStartedPerSecond: runRate,
    ratio: Number((runRate / bareRate).toFixed(3)),
    met: runRate / bareRate >= 0.8,
  });
} finally {
  await connection.close();
  await sql.end({ timeout: 1 });
  await services.stop();
}
