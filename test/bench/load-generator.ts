// The ingestion benchmark's load generator, run in a child process: its own event loop (and
// core, when one is free), so the server under test does not share one with the code that
// measures it. Keep-alive sockets, one
// per concurrent loop; request bodies are built by string concatenation so generating load
// costs little next to serving it.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export interface LoadSpec {
  url: string;
  path: string;
  key: string;
  perRequest: number;
  concurrency: number;
  durationMs: number;
  users: number;
}

export interface LoadResult {
  events: number;
  failures: number;
  seconds: number;
  latenciesMs: number[];
  /** The first non-200 answer, to say why requests failed. */
  firstFailure?: string;
}

/** Runs one load in a fresh child process and resolves with what it measured. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url), [], { execArgv: ['--import', 'tsx'] });
    child.once('message', (result: LoadResult) => {
      resolve(result);
      child.disconnect();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The load generator exited with code ${code}`));
    });
    child.send(spec);
  });
}

function trackJson(users: number, runId: string, n: number, at: string): string {
  const user = Math.floor(Math.random() * users);
  const event = Math.random() < 0.7 ? 'email.opened' : 'email.clicked';
  return `{"type":"track","userId":"user-${user}","event":"${event}","properties":{"templateId":"newsletter-42","campaign":"autumn"},"messageId":"${runId}-${n}","timestamp":"${at}"}`;
}

async function generate(spec: LoadSpec): Promise<LoadResult> {
  const target = new URL(spec.path, spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const runId = randomUUID();
  let sent = 0;
  const body = () => {
    const at = new Date().toISOString();
    if (spec.perRequest === 1) return trackJson(spec.users, runId, sent++, at);
    const items: string[] = [];
    for (let i = 0; i < spec.perRequest; i++) items.push(trackJson(spec.users, runId, sent++, at));
    return `{"batch":[${items.join(',')}]}`;
  };
  const post = (payload: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${spec.key}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const latenciesMs: number[] = [];
  let events = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const until = started + spec.durationMs;
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (performance.now() < until) {
        const payload = body();
        const t = performance.now();
        const answer = await post(payload).catch((error: Error) => ({
          status: 0,
          text: error.message,
        }));
        latenciesMs.push(performance.now() - t);
        if (answer.status === 200) events += spec.perRequest;
        else {
          failures++;
          firstFailure ??= `${answer.status} ${answer.text.slice(0, 300)}`;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { events, failures, seconds, latenciesMs, ...(firstFailure ? { firstFailure } : {}) };
}

// Run as the child of runLoad: wait for the spec, measure, answer.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  process.once('message', (spec: LoadSpec) => {
    void generate(spec).then((result) => process.send!(result));
  });
}
