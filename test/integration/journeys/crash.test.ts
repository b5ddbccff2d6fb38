import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { findContactRuns, getJourney, getJourneyContact } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import {
  createContact,
  createWorker,
  publish,
  realActivities,
  workflowBundle,
  useJourneyEnv,
} from './harness';

const env = useJourneyEnv();
let hooks: Server;
let hookCalls: { key: string | undefined }[] = [];
let hookUrl: string;
let bundlePath: string;

beforeAll(async () => {
  hooks = createServer((req, res) => {
    hookCalls.push({ key: req.headers['idempotency-key'] as string | undefined });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  const address = hooks.address();
  hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  bundlePath = `${tmpdir()}/journey-bundle-${process.pid}.js`;
  await writeFile(bundlePath, (await workflowBundle()).code);
});
afterAll(() => {
  hooks?.close();
});

function flow() {
  const b = createDocumentBuilder('Crash');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node(
    'hook',
    'action.webhook',
    { url: hookUrl, method: 'POST', body: '{"contact":"{{ contact.id }}"}' },
    0,
    1,
  );
  b.node('score', 'action.score', { delta: 10 }, 0, 2);
  b.node('exit', 'logic.exit', {}, 0, 3);
  b.edge('trigger', 'hook');
  b.edge('hook', 'score');
  b.edge('score', 'exit');
  return b.build();
}

/** Starts the crashing worker process and resolves when it has died, with how it died. */
function crashingWorker(crashKind: string, onReady: () => Promise<void>) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('../../fixtures/crashing-journey-worker.ts', import.meta.url)),
      env.db.url,
      inject('services').temporalAddress,
      env.temporal.taskQueue,
      crashKind,
      bundlePath,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise<NodeJS.Signals | null>((resolve, reject) => {
    child.stdout.once('data', () => void onReady().catch(reject));
    child.once('exit', (_code, signal) => resolve(signal));
  });
}

it.each([
  ['action.score', 'the score change committed'],
  ['action.webhook', 'the webhook was called'],
])(
  'a worker killed after %s acted (%s) but before completing: no duplicate on retry',
  async (crashKind) => {
    hookCalls = [];
    const contactId = await createContact(env, { email: `crash-${crashKind}@example.com` });
    const { journeyId } = await publish(env, { ...flow(), name: `Crash ${crashKind}` });
    const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
    let workflowId = '';
    const signal = await crashingWorker(crashKind, async () => {
      ({ workflowId } = await env.runtime.enrolContact({ journey, contactId }));
    });
    expect(signal).toBe('SIGKILL');

    // The effect happened and its key is recorded, but Temporal still waits for the activity.
    const [key] = await env.db.sql<{ state: string }[]>`
      select state from action_keys where node_id = ${crashKind === 'action.score' ? 'score' : 'hook'}
        and run_id = (select id from journey_runs where workflow_id = ${workflowId})`;
    expect(key).toEqual({ state: 'done' });

    // A healthy worker picks the activity up again once its attempt times out.
    const worker = await createWorker(env.temporal, realActivities(env.db.sql, env.runtime));
    const outcome = await worker.runUntil(
      env.temporal.client.workflow.getHandle(workflowId).result(),
    );
    expect(outcome).toMatchObject({ status: 'completed' });

    expect(hookCalls).toHaveLength(1);
    expect(hookCalls[0]!.key).toMatch(new RegExp(`^${workflowId}:[0-9a-f-]{36}:hook:1$`));
    expect((await getJourneyContact(env.db.sql, env.db.workspaceId, contactId))?.score).toBe(10);
    const [run] = await findContactRuns(env.db.sql, {
      workspaceId: env.db.workspaceId,
      contactId,
      limit: 1,
    });
    const steps = await env.db.sql<{ nodeId: string; why: Record<string, unknown> }[]>`
      select node_id, why from run_steps where run_id = ${run!.id} order by seq`;
    const crashed = steps.find(
      (s) => s.nodeId === (crashKind === 'action.score' ? 'score' : 'hook'),
    );
    expect(crashed?.why).toMatchObject({ replayed: true });
  },
  90_000,
);
