// Event → first action latency on the dev stack: an event is recorded and handed to the
// dispatcher (as ingestion does after its commit); the journey it triggers runs its first
// action (a tag). Measured from before the event insert to the action's recorded completion.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '@relance/activities';
import { loadConfig } from '@relance/config';
import {
  changeStaticMembership,
  createSql,
  evaluateCondition,
  settleContactsIn,
} from '@relance/db';
import { createJourneyRuntime } from '@relance/journeys';
import { publishTagJourney } from './journeys-lib';
import { startBenchServices, summarise, writeResult } from './lib';

const SAMPLES = 100;
const WARMUP = 10;

Runtime.install({ logger: new DefaultLogger('WARN') });
const services = await startBenchServices({ temporal: true });
const sql = createSql({ databaseUrl: services.databaseUrl, max: 10 });
const connection = await Connection.connect({ address: services.temporalAddress });
const nativeConnection = await NativeConnection.connect({ address: services.temporalAddress });
const taskQueue = 'bench-latency';
const runtime = createJourneyRuntime({
  sql,
  client: new Client({ connection }),
  taskQueue,
  log: () => {},
});
try {
  const [workspace] = await sql<{ id: string }[]>`select id from workspaces limit 1`;
  const workspaceId = workspace!.id;
  await publishTagJourney(sql, runtime, {
    workspaceId,
    name: 'Latency',
    event: 'bench.ping',
    tag: 'pinged',
  });

  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(import.meta.resolve('@relance/workflows')),
    activities: createActivities({
      sql,
      config: loadConfig(),
      journeys: { runtime, facts: { evaluateCondition, changeStaticMembership, settleContactsIn } },
    }),
  });
  const samples = await worker.runUntil(async () => {
    const measured: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const [contact] = await sql<{ id: string }[]>`
        insert into contacts (workspace_id, email) values (${workspaceId}, ${`${randomUUID()}@bench.test`})
        returning id`;
      const started = Date.now();
      const [event] = await sql<{ id: string }[]>`
        insert into events (workspace_id, contact_id, name, occurred_at)
        values (${workspaceId}, ${contact!.id}, 'bench.ping', now()) returning id::text as id`;
      await runtime.eventsRecorded(workspaceId, [event!.id]);
      // The action's key is completed in the transaction that applied it.
      let doneAt: Date | undefined;
      while (!doneAt) {
        const [key] = await sql<{ doneAt: Date | null }[]>`
          select k.done_at from action_keys k join journey_runs r on r.id = k.run_id
          where r.contact_id = ${contact!.id} and k.state = 'done'`;
        doneAt = key?.doneAt ?? undefined;
        if (!doneAt) await new Promise((r) => setTimeout(r, 2));
      }
      if (i >= WARMUP) measured.push(doneAt.getTime() - started);
    }
    return measured;
  });
  const latency = summarise(samples);
  await writeResult('journeys-latency', {
    goal: 'event → first action p95 ≤ 1000 ms on the dev stack',
    samples: SAMPLES,
    eventToFirstAction: latency,
    met: latency.p95Ms <= 1_000,
  });
} finally {
  await connection.close();
  await nativeConnection.close();
  await sql.end({ timeout: 1 });
  await services.stop();
}
