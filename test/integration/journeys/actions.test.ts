import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getJourney, getJourneyContact } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createContact, publish, useJourneyEnv } from './harness';

const env = useJourneyEnv({ worker: true });
let server: Server;
let base: string;
/** Answers queued per path; each request takes the next (the last one repeats). */
const answers = new Map<string, { status: number; body: unknown }[]>();
const requests: { path: string; method: string; body: string; headers: Record<string, unknown> }[] =
  [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', method: req.method ?? '', body, headers: req.headers });
      const queue = answers.get(req.url ?? '') ?? [{ status: 200, body: {} }];
      const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
      res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => {
  server?.close();
});

async function run(build: (b: ReturnType<typeof createDocumentBuilder>) => void, email: string) {
  const b = createDocumentBuilder(`Actions ${email}`);
  build(b);
  const { journeyId } = await publish(env, b.build());
  const contactId = await createContact(env, { email, properties: { first_name: 'Ada' } });
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  const { workflowId } = await env.runtime.enrolContact({ journey, contactId });
  const outcome = await env.temporal.client.workflow.getHandle(workflowId).result();
  const steps = await env.db.sql<
    { nodeId: string; outcome: string; why: Record<string, unknown> }[]
  >`
    select node_id, outcome, why from run_steps where journey_id = ${journeyId} order by seq`;
  return { outcome, steps, contactId };
}

it('a webhook renders Liquid, is retried on 503 and saves fields of its JSON answer on the contact', async () => {
  answers.set('/enrich', [
    { status: 503, body: { error: 'busy' } },
    { status: 200, body: { data: { company: { name: 'Acme', size: 42 } } } },
  ]);
  const { outcome, steps, contactId } = await run((b) => {
    b.node('trigger', 'trigger.manual', {}, 0, 0);
    b.node(
      'enrich',
      'action.webhook',
      {
        url: `${base}/enrich`,
        method: 'POST',
        headers: { 'x-contact': '{{ contact.email }}' },
        body: '{"name":"{{ contact.first_name }}"}',
        save: [
          { path: 'data.company.name', property: 'company' },
          { path: 'data.company.size', property: 'company_size' },
        ],
      },
      0,
      1,
    );
    b.node('exit', 'logic.exit', {}, 0, 2);
    b.edge('trigger', 'enrich');
    b.edge('enrich', 'exit');
  }, 'enrich@example.com');
  expect(outcome).toMatchObject({ status: 'completed' });
  const calls = requests.filter((r) => r.path === '/enrich');
  expect(calls).toHaveLength(2);
  expect(calls[1]).toMatchObject({
    method: 'POST',
    body: '{"name":"Ada"}',
    headers: { 'x-contact': 'enrich@example.com' },
  });
  // Both attempts carried the same key: the receiver can tell a retry.
  expect(calls[0]!.headers['idempotency-key']).toBe(calls[1]!.headers['idempotency-key']);
  expect(
    (await getJourneyContact(env.db.sql, env.db.workspaceId, contactId))?.properties,
  ).toMatchObject({
    company: 'Acme',
    company_size: 42,
  });
  expect(steps[0]).toMatchObject({
    nodeId: 'enrich',
    outcome: 'done',
    why: { status: 200, saved: { company: 'Acme' } },
  });
}, 60_000);

it('a webhook refused for good (404) fails its step and the run goes on', async () => {
  answers.set('/gone', [{ status: 404, body: { error: 'no such hook' } }]);
  const { outcome, steps, contactId } = await run((b) => {
    b.node('trigger', 'trigger.manual', {}, 0, 0);
    b.node('hook', 'action.webhook', { url: `${base}/gone`, method: 'GET' }, 0, 1);
    b.node('tag', 'action.tag', { add: ['after-hook'] }, 0, 2);
    b.node('exit', 'logic.exit', {}, 0, 3);
    b.edge('trigger', 'hook');
    b.edge('hook', 'tag');
    b.edge('tag', 'exit');
  }, 'gone@example.com');
  expect(outcome).toMatchObject({ status: 'completed' });
  expect(requests.filter((r) => r.path === '/gone')).toHaveLength(1);
  expect(steps[0]).toMatchObject({ nodeId: 'hook', outcome: 'failed' });
  expect(String(steps[0]!.why.error)).toContain('answered 404');
  expect((await getJourneyContact(env.db.sql, env.db.workspaceId, contactId))?.tags).toContain(
    'after-hook',
  );
});

it('notify emails a teammate through the mail provider, rendered with Liquid', async () => {
  const { outcome, steps } = await run((b) => {
    b.node('trigger', 'trigger.manual', {}, 0, 0);
    b.node(
      'tell_sales',
      'action.notify',
      {
        to: 'sales@acme.test',
        subject: 'Lead: {{ contact.email }}',
        body: '{{ contact.first_name }} is ready.',
      },
      0,
      1,
    );
    b.node('exit', 'logic.exit', {}, 0, 2);
    b.edge('trigger', 'tell_sales');
    b.edge('tell_sales', 'exit');
  }, 'lead@example.com');
  expect(outcome).toMatchObject({ status: 'completed' });
  const sent = await env.db.sql<{ toAddress: string; subject: string; text: string }[]>`
    select to_address, subject, text from email_outbox where to_address = 'sales@acme.test'`;
  expect(sent).toEqual([
    { toAddress: 'sales@acme.test', subject: 'Lead: lead@example.com', text: 'Ada is ready.' },
  ]);
  expect(steps[0]).toMatchObject({
    nodeId: 'tell_sales',
    outcome: 'done',
    why: { to: 'sales@acme.test' },
  });
});
