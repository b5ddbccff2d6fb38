// Ingestion events/s through the real API (write key, validation, identity resolution, group
// commit, rollups, registry, segment queue; segments settled right after) vs a bare Hono app
// that only inserts into events, in the same run, over HTTP: one event per request and 100 per
// batch request, with p50/p99 latency.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { serve, type ServerType } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import { createApp } from '@relance/api/app';
import { createSql, type JourneyDispatcher, type Sql } from '@relance/db';
import { createOutboxProvider } from '@relance/email';
import { startBenchServices, summarise, writeResult } from './lib';

const USERS = 10_000;
const DURATION_MS = 8_000;
const ROUNDS = 2;
const log = (line: string) => console.error(`  ${line}`);

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<{ url: string; server: ServerType }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, server }),
    );
  });
}

const track = () => ({
  type: 'track',
  userId: `user-${Math.floor(Math.random() * USERS)}`,
  event: Math.random() < 0.7 ? 'email.opened' : 'email.clicked',
  properties: { templateId: 'newsletter-42', campaign: 'autumn' },
  messageId: randomUUID(),
  timestamp: new Date().toISOString(),
});

/** Sends requests from `concurrency` loops for `DURATION_MS`; events/s and latency. */
async function load(
  url: string,
  path: string,
  key: string,
  perRequest: number,
  concurrency: number,
) {
  const latencies: number[] = [];
  let events = 0;
  let failures = 0;
  const until = performance.now() + DURATION_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const body =
          perRequest === 1 ? track() : { batch: Array.from({ length: perRequest }, track) };
        const t = performance.now();
        const response = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - t);
        if (response.status === 200) events += perRequest;
        else failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSecond: Math.round(events / seconds), failures, latency: summarise(latencies) };
}

/** The baseline: parse the JSON and insert the rows, nothing else. */
function bareApp(sql: Sql, workspaceId: string, contactId: string) {
  type Message = {
    event: string;
    properties: Record<string, unknown>;
    messageId: string;
    timestamp: string;
  };
  const row = (m: Message) => ({
    workspace_id: workspaceId,
    contact_id: contactId,
    name: m.event,
    properties: m.properties,
    occurred_at: m.timestamp,
    message_id: m.messageId,
  });
  return new Hono()
    .post('/v1/track', async (c) => {
      await sql`insert into events ${sql([row(await c.req.json<Message>())] as never)}`;
      return c.json({ success: true });
    })
    .post('/v1/batch', async (c) => {
      const { batch } = await c.req.json<{ batch: Message[] }>();
      await sql`insert into events ${sql(batch.map(row) as never)}`;
      return c.json({ success: true });
    });
}

const services = await startBenchServices({ temporal: false });
const appSql = createSql({ databaseUrl: services.databaseUrl, max: 10 });
const bareSql = createSql({ databaseUrl: services.databaseUrl, max: 10 });
try {
  const [workspace] = await appSql<
    { id: string; writeKey: string }[]
  >`select id, write_key from workspaces limit 1`;
  const [contact] = await appSql<{ id: string }[]>`
    insert into contacts (workspace_id, external_id) values (${workspace!.id}, 'baseline') returning id`;
  let dispatched = 0;
  const dispatcher: JourneyDispatcher = {
    eventsRecorded: (_w, ids) => ((dispatched += ids.length), Promise.resolve()),
    segmentsChanged: () => Promise.resolve(),
    contactsChanged: () => Promise.resolve(),
  };
  const app = createApp({
    sql: appSql,
    dispatcher,
    temporal: { client: {} as Client, namespace: 'default', taskQueue: 'bench' },
    auth: { adminToken: 'bench-admin-token-0123456789' },
    workspaceId: workspace!.id,
    publicUrl: 'http://bench.test',
    signingSecret: 'bench-signing-secret-0123456789abcdef0123',
    version: 'bench',
    mail: { provider: createOutboxProvider({ sql: appSql }) },
    log: () => {},
  });
  const relance = await listen(app.fetch);
  // Steady state: every user already a contact (their first events create them).
  for (let from = 0; from < USERS; from += 500) {
    const batch = Array.from({ length: Math.min(500, USERS - from) }, (_, i) => ({
      type: 'identify',
      userId: `user-${from + i}`,
      traits: { plan: (from + i) % 3 === 0 ? 'pro' : 'free' },
    }));
    await fetch(`${relance.url}/v1/batch`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${workspace!.writeKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ batch }),
    });
  }
  const bare = await listen(bareApp(bareSql, workspace!.id, contact!.id).fetch);

  const scenarios = [
    { name: 'single', path: '/v1/track', perRequest: 1, concurrency: 64 },
    { name: 'batch100', path: '/v1/batch', perRequest: 100, concurrency: 16 },
  ] as const;
  const results: Record<string, unknown> = {};
  for (const s of scenarios) {
    const runs: {
      relance: Awaited<ReturnType<typeof load>>;
      bare: Awaited<ReturnType<typeof load>>;
    }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const b = await load(bare.url, s.path, 'none', s.perRequest, s.concurrency);
      const a = await load(relance.url, s.path, workspace!.writeKey, s.perRequest, s.concurrency);
      log(
        `${s.name} round ${r + 1}: relance ${a.eventsPerSecond}/s p99 ${a.latency.p99Ms.toFixed(1)} ms, bare ${b.eventsPerSecond}/s p99 ${b.latency.p99Ms.toFixed(1)} ms`,
      );
      runs.push({ relance: a, bare: b });
    }
    const best = (k: 'relance' | 'bare') =>
      runs.map((x) => x[k]).sort((x, y) => y.eventsPerSecond - x.eventsPerSecond)[0]!;
    const relanceBest = best('relance');
    const bareBest = best('bare');
    const ratio = Math.round((relanceBest.eventsPerSecond / bareBest.eventsPerSecond) * 100) / 100;
    const absoluteGoal = s.perRequest === 1 ? 10_000 : 50_000;
    results[s.name] = {
      eventsPerRequest: s.perRequest,
      concurrency: s.concurrency,
      relance: relanceBest,
      bare: bareBest,
      ratio,
      goals: { ratio: '≥ 0.7', eventsPerSecond: `≥ ${absoluteGoal}`, p99: '≤ 100 ms' },
      met: {
        ratio: ratio >= 0.7,
        eventsPerSecond: relanceBest.eventsPerSecond >= absoluteGoal,
        p99: relanceBest.latency.p99Ms <= 100,
      },
      rounds: runs.map((x) => ({
        relance: x.relance.eventsPerSecond,
        bare: x.bare.eventsPerSecond,
      })),
    };
  }
  relance.server.close();
  bare.server.close();
  const [stored] = await appSql<
    { n: number }[]
  >`select count(*)::int as n from events where contact_id <> ${contact!.id}`;
  await writeResult('ingestion', {
    method: `HTTP on 127.0.0.1, load generator in the same process, ${DURATION_MS / 1000} s per run, best of ${ROUNDS} alternating runs`,
    users: USERS,
    ...results,
    eventsStoredThroughRelance: stored!.n,
    eventsDispatched: dispatched,
  });
} finally {
  await appSql.end({ timeout: 5 });
  await bareSql.end({ timeout: 5 });
  await services.stop();
}
