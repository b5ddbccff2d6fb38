// Email throughput and exactly-once delivery.
//
// 1. Messages per second through the full send path — the `sendEmail` activity function called
//    directly against real PostgreSQL, for runs of a published journey (its frequency cap read
//    per send): record under the key, send policy, template from the cache, render with the
//    contact's segments, signed links and headers, claim, pooled SMTP (behind the rate limiter,
//    set far above the rate reached), mark sent, `email.sent` event (run settings, record,
//    policy facts, claim, sent mark and events each one statement for the sends in flight) —
//    against raw pooled nodemailer sending the same rendered message to the same local SMTP
//    sink, in the same run.
//    Goal: ≥ 0.8×. Measured twice: with a sink that accepts instantly (loopback: all cost is
//    CPU, shared by the sender, the sink and PostgreSQL on this machine), and with a sink that
//    takes 20 ms to accept each message, as a real MTA writing its queue file does. Raw and
//    full rounds alternate; each round pair records its own ratio and the machine's load
//    average (other work on a shared machine slows whichever side it lands on), and the CPU
//    milliseconds per message each process used (sender, sink, PostgreSQL): when the machine is
//    saturated, the ratio tends to the ratio of their totals, which shows where the time goes.
// 2. Duplicates under injected failures (goal 0): temporary 451 refusals, activities lost after
//    sending (retried), and two attempts of one send racing each other.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import { createTransport } from 'nodemailer';
import { createEmailActivities } from '@relance/activities/send-email';
import { createSql, type JourneyDispatcher, type Sql } from '@relance/db';
import {
  buildMessage,
  compileTemplate,
  createDeploymentTracking,
  createRateLimiter,
  createSmtpProvider,
  insertEmailTemplate,
  Template,
  upsertEmailTopic,
  withRateLimit,
} from '@relance/email';
import type { SendEmailInput, SendEmailResult } from '@relance/workflows/contracts';
import { startBenchServices, writeResult } from './lib';

const MESSAGES = 2000;
const WARMUP = 200;
// `--sink loopback` measures one sink only (while profiling).
const sinkFlag = process.argv.indexOf('--sink');
const SINKS = [
  { name: 'loopback', delayMs: 0 },
  { name: 'mta-20ms', delayMs: 20 },
].filter((sink) => sinkFlag < 0 || sink.name === process.argv[sinkFlag + 1]);
const ROUNDS = 3;
const CONCURRENCY = 100;
const SMTP_CONNECTIONS = 5;
const FAILURE_MESSAGES = 600;

type Stats = { received: number; duplicates: number; cpuMs: number };

/** Starts the SMTP sink process; resolves with its port and an IPC stats query. */
async function startSink() {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('smtp-sink.ts', import.meta.url))],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (line: Buffer) => {
      resolve((JSON.parse(line.toString()) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`SMTP sink exited with ${code}`)));
  });
  const ask = (message: 'stats' | 'reset' | { delayMs: number }) =>
    new Promise<Stats>((resolve) => {
      child.once('message', (stats) => resolve(stats as Stats));
      child.send(message);
    });
  return {
    port,
    stats: () => ask('stats'),
    reset: () => ask('reset'),
    delay: (delayMs: number) => ask({ delayMs }),
    stop: () => child.disconnect(),
  };
}

// Linux /proc/<pid>/stat: utime, stime, cutime, cstime are fields 14–17, in clock ticks.
const TICK_MS = 10;
async function procCpu(pid: number): Promise<{ ppid: number; ownMs: number; reapedMs: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // fields[0] is field 3 (state): field n is fields[n - 3].
  return {
    ppid: fields[1]!,
    ownMs: (fields[11]! + fields[12]!) * TICK_MS,
    reapedMs: (fields[13]! + fields[14]!) * TICK_MS,
  };
}

/** CPU milliseconds used so far by the PostgreSQL server: the postmaster and all its processes. */
async function postgresCpuMs(postmaster: number): Promise<number> {
  const own = await procCpu(postmaster);
  let total = own.ownMs + own.reapedMs;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = await procCpu(Number(entry)).catch(() => null);
    if (child?.ppid === postmaster) total += child.ownMs;
  }
  return total;
}

/** Runs `task(0..count-1)` with at most `limit` in flight; returns elapsed milliseconds. */
async function timed(count: number, limit: number, task: (i: number) => Promise<unknown>) {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return performance.now() - started;
}

const TEMPLATE = Template.parse({
  name: 'Bench newsletter',
  kind: 'marketing',
  topic: 'newsletter',
  from: { name: 'Acme', address: 'news@acme.test' },
  subject: 'Hi {{ contact.first_name | default: "there" }}, this week at {{ workspace.name }}',
  preheader: 'Three things we think you will like',
  body: {
    kind: 'mjml',
    source: `<mjml><mj-body>
  <mj-section><mj-column>
    <mj-text><h1>Hello {{ contact.first_name | default: "there" }}</h1></mj-text>
    <mj-text>Here is what is new this week in {{ contact.city | default: "your city" }}.</mj-text>
    {% if contact.segments contains "VIP" %}<mj-text>VIP: free shipping all week.</mj-text>{% endif %}
    <mj-button href="https://shop.acme.test/new?ref={{ contact.id }}">See what is new</mj-button>
    <mj-text><a href="https://shop.acme.test/blog">Read the blog</a> · <a href="https://shop.acme.test/deals">Deals</a></mj-text>
  </mj-column></mj-section>
  <mj-section><mj-column>
    <mj-text><a href="{{ preferences_url }}">Preferences</a> · <a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
  </mj-column></mj-section>
</mj-body></mjml>`,
  },
});

async function insertContacts(sql: Sql, workspaceId: string, prefix: string, count: number) {
  const rows = await sql<{ id: string }[]>`
    insert into contacts (workspace_id, email, properties)
    select ${workspaceId}, ${prefix} || n || '@bench.test',
           jsonb_build_object('first_name', 'Reader ' || n, 'city', 'Lyon')
    from generate_series(1, ${count}) n
    order by n
    returning id`;
  return rows.map((row) => row.id);
}

/**
 * A published journey whose settings cap marketing email at 3 a week, and one run of it per
 * contact: the activity reads the run's cap and quiet hours for every send, as in production.
 */
async function insertJourneyRuns(sql: Sql, workspaceId: string, contactIds: string[]) {
  const settings = { frequencyCap: { count: 3, perMs: 7 * 86_400_000 }, quietHours: null };
  const [journey] = await sql<{ id: string }[]>`
    insert into journeys (workspace_id, name, draft, status)
    values (${workspaceId}, 'Bench', '{}'::jsonb, 'active') returning id`;
  const [version] = await sql<{ id: string }[]>`
    insert into journey_versions (workspace_id, journey_id, version, document, plan, trigger_kind)
    values (${workspaceId}, ${journey!.id}, 1, '{}'::jsonb, ${sql.json({ settings })},
            'trigger.manual')
    returning id`;
  const runs = await sql<{ id: string; contactId: string }[]>`
    insert into journey_runs
      (id, workspace_id, journey_id, version_id, contact_id, workflow_id, entry, started_at)
    select gen_random_uuid(), ${workspaceId}, ${journey!.id}, ${version!.id}, c,
           'run:' || ${journey!.id} || ':' || c, '{}'::jsonb, now()
    from unnest(${contactIds}::uuid[]) c
    returning id, contact_id`;
  return { id: journey!.id, runs: new Map(runs.map((run) => [run.contactId, run.id])) };
}

const loadAverageAtStart = loadavg().map((n) => Number(n.toFixed(1)));
const services = await startBenchServices({ temporal: false });
const sink = await startSink();
const sql = createSql({ databaseUrl: services.databaseUrl, max: 10 });
try {
  const [workspace] = await sql<{ id: string }[]>`select id from workspaces limit 1`;
  const workspaceId = workspace!.id;
  await upsertEmailTopic(sql, { workspaceId, key: 'newsletter', name: 'Newsletter' });
  const template = await insertEmailTemplate(sql, workspaceId, TEMPLATE);
  const tracking = createDeploymentTracking({
    publicUrl: 'https://mail.acme.test',
    secret: 'bench-signing-secret-0123456789abcdef0123',
    mailFrom: 'news@acme.test',
  });
  // The journey runtime would start and signal runs here; that is measured by the journeys
  // benchmarks. Events, rollups and the segment re-check still run.
  const dispatcher: JourneyDispatcher = {
    eventsRecorded: () => Promise.resolve(),
    segmentsChanged: () => Promise.resolve(),
    contactsChanged: () => Promise.resolve(),
  };
  const smtpUrl = `smtp://127.0.0.1:${sink.port}?maxConnections=${SMTP_CONNECTIONS}&maxMessages=1000000`;
  const provider = withRateLimit(
    createSmtpProvider({ smtpUrl }),
    createRateLimiter({ ratePerSecond: 1_000_000 }),
  );
  const activities = createEmailActivities({ sql, provider, tracking, dispatcher, log: () => {} });
  const raw = createTransport({
    pool: true,
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    maxConnections: SMTP_CONNECTIONS,
    maxMessages: 1_000_000,
  });

  // The raw baseline sends one fully rendered message, the same size as the full path's.
  const sample = await buildMessage({
    template: await compileTemplate(TEMPLATE),
    contact: {
      id: '00000000-0000-4000-8000-000000000000',
      email: 'x@bench.test',
      first_name: 'Ada',
    },
    workspace: { id: workspaceId, name: 'Acme' },
    messageId: '00000000-0000-4000-8000-000000000000',
    idempotencyKey: 'sample',
    tracking,
  });
  const sendRaw = (i: number) =>
    raw.sendMail({
      from: sample.from,
      to: { name: '', address: `raw${i}@bench.test` },
      subject: sample.subject,
      html: sample.html,
      text: sample.text,
      headers: { ...sample.headers, 'X-Relance-Message': `raw-${i}-${performance.now()}` },
    });

  const contacts = await insertContacts(
    sql,
    workspaceId,
    'reader',
    (WARMUP + MESSAGES * ROUNDS) * SINKS.length,
  );
  const journey = await insertJourneyRuns(sql, workspaceId, contacts);
  let used = 0;
  const input = (contactId: string, key: string): SendEmailInput => ({
    workspaceId,
    contactId,
    templateId: template.id,
    idempotencyKey: key,
    journeyId: journey.id,
    runId: journey.runs.get(contactId) ?? 'no-run',
    nodeId: 'send',
  });
  const sendFull = async (round: string, i: number) => {
    const contactId = contacts[used++]!;
    const result = await activities.sendEmail(input(contactId, `${round}:${i}`));
    if (result.outcome !== 'sent') throw new Error(`not sent: ${JSON.stringify(result)}`);
  };

  const [backend] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const postmaster = (await procCpu(backend!.pid)).ppid;
  const cpuNow = async () => ({
    sender: process.cpuUsage(),
    sinkMs: (await sink.stats()).cpuMs,
    postgresMs: await postgresCpuMs(postmaster),
  });
  /** Sends MESSAGES with `task`: elapsed time and CPU ms per message of each process. */
  const measure = async (task: (i: number) => Promise<unknown>) => {
    const before = await cpuNow();
    const ms = await timed(MESSAGES, CONCURRENCY, task);
    const after = await cpuNow();
    const sender = process.cpuUsage(before.sender);
    const perMessage = (cpuMs: number) => Number((cpuMs / MESSAGES).toFixed(3));
    return {
      ms,
      cpuMsPerMessage: {
        sender: perMessage((sender.user + sender.system) / 1000),
        sink: perMessage(after.sinkMs - before.sinkMs),
        postgres: perMessage(after.postgresMs - before.postgresMs),
      },
    };
  };

  /** One raw round then one full round; each records its rate and CPU by process. */
  const measureRound = async (round: string) => {
    const raw = await measure(sendRaw);
    const full = await measure((i) => sendFull(round, i));
    return {
      rawPerSecond: Math.round((MESSAGES / raw.ms) * 1000),
      fullPerSecond: Math.round((MESSAGES / full.ms) * 1000),
      ratio: Number((raw.ms / full.ms).toFixed(2)),
      loadAverage1m: Number(loadavg()[0]!.toFixed(1)),
      rawCpuMsPerMessage: raw.cpuMsPerMessage,
      fullCpuMsPerMessage: full.cpuMsPerMessage,
    };
  };

  const throughput: Record<string, unknown> = {};
  for (const profile of SINKS) {
    await sink.delay(profile.delayMs);
    await timed(WARMUP, CONCURRENCY, sendRaw);
    await timed(WARMUP, CONCURRENCY, (i) => sendFull(`${profile.name}:warmup`, i));
    const rounds: Awaited<ReturnType<typeof measureRound>>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push(await measureRound(`${profile.name}:${round}`));
      console.error(`  ${profile.name} round ${round}: ${JSON.stringify(rounds.at(-1))}`);
    }
    // Best of the rounds for each: other work on this shared machine only ever slows a round.
    const best = (key: 'rawPerSecond' | 'fullPerSecond') => Math.max(...rounds.map((r) => r[key]));
    const ratios = rounds.map((r) => r.ratio).sort((a, b) => a - b);
    throughput[profile.name] = {
      sinkAcceptDelayMs: profile.delayMs,
      rounds,
      rawMessagesPerSecond: best('rawPerSecond'),
      fullPathMessagesPerSecond: best('fullPerSecond'),
      ratio: Number((best('fullPerSecond') / best('rawPerSecond')).toFixed(2)),
      medianRoundRatio: ratios[Math.floor(ratios.length / 2)],
    };
  }
  await sink.delay(0);
  const throughputStats = await sink.stats();

  // ── Duplicates under injected failures ──
  await sink.reset();
  const failing = await insertContacts(sql, workspaceId, 'x', FAILURE_MESSAGES);
  // Every tenth address is refused once with 451 by the sink; disjoint sets of the others lose
  // their first completion or race a second attempt.
  await sql`
    update contacts set email = 'flaky-' || email
    where id = any(${failing.filter((_, i) => i % 10 === 0)}::uuid[])`;
  const injected = { temporaryRefusals: 0, lostCompletions: 0, racingAttempts: 0, retries: 0 };
  const sendWithFailures = async (i: number) => {
    const call = input(failing[i]!, `failures:${i}`);
    for (let attempt = 1; attempt <= 6; attempt++) {
      try {
        let result: SendEmailResult;
        if (i % 10 === 6 && attempt === 1) {
          injected.racingAttempts++;
          const both = await Promise.all([activities.sendEmail(call), activities.sendEmail(call)]);
          result = both[0];
        } else {
          result = await activities.sendEmail(call);
        }
        if (i % 10 === 3 && attempt === 1) {
          // The worker died after the send: Temporal never heard, and runs the activity again.
          injected.lostCompletions++;
          injected.retries++;
          continue;
        }
        return result;
      } catch (error) {
        if (!(error instanceof ApplicationFailure) || error.nonRetryable) throw error;
        if (attempt === 1) injected.temporaryRefusals++;
        injected.retries++;
      }
    }
    throw new Error(`message ${i} was not sent after 6 attempts`);
  };
  await timed(FAILURE_MESSAGES, CONCURRENCY, sendWithFailures);
  const failureStats = await sink.stats();
  const [statuses] = await sql<{ sent: number; other: number }[]>`
    select count(*) filter (where status = 'sent')::int as sent,
           count(*) filter (where status <> 'sent')::int as other
    from email_messages where idempotency_key like 'failures:%'`;

  raw.close();
  await provider.close();
  await writeResult('email-send', {
    goal: 'full send path ≥ 0.8× raw pooled nodemailer to the same sink; 0 duplicates under injected failures',
    setup: {
      messagesPerRound: MESSAGES,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      smtpConnections: SMTP_CONNECTIONS,
      postgresPool: 10,
      sink: 'smtp-server in a separate process on 127.0.0.1',
    },
    loadAverageAtStart,
    throughput,
    ratioGoal: 0.8,
    loadAverageAtEnd: loadavg().map((n) => Number(n.toFixed(1))),
    throughputDuplicates: throughputStats.duplicates,
    injectedFailures: {
      messages: FAILURE_MESSAGES,
      ...injected,
      delivered: failureStats.received,
      duplicates: failureStats.duplicates,
      duplicatesGoal: 0,
      recordedSent: statuses!.sent,
      recordedOther: statuses!.other,
    },
  });
} finally {
  await sql.end({ timeout: 5 });
  sink.stop();
  await services.stop();
}
