// POST /api/contacts/:id/runs/:runId/stop against the dev server and a worker running the real
// journey runtime: the run is cancelled and records its own end.

import { beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_RUN_WORKFLOW } from '@relance/workflows/contracts';
import { createTestApp } from '../../support/app';
import { eventually, useJourneyEnv, waitThenTag, withTemporalDown } from './harness';

const env = useJourneyEnv({ worker: true });
let call: ReturnType<typeof createTestApp>['call'];
let journeyId: string;

beforeAll(async () => {
  ({ call } = createTestApp({ db: env.db, temporal: env.temporal, dispatcher: env.runtime }));
  const created = await call(
    'POST',
    '/api/journeys',
    waitThenTag({ name: 'Long wait', wait: '1h', tag: 'late' }),
  );
  expect((await call('POST', `/api/journeys/${created.body.id}/publish`, {})).status).toBe(201);
  journeyId = created.body.id;
});

async function enrolled(email: string) {
  const contact = await call('POST', '/api/contacts', { email });
  const contactId = contact.body.contact.id as string;
  const enrol = await call('POST', `/api/journeys/${journeyId}/enrol`, { contactId });
  expect(enrol.status).toBe(201);
  const run = await eventually(async () => {
    const [row] = await env.db.sql<{ id: string; workflowId: string }[]>`
      select id, workflow_id from journey_runs
      where contact_id = ${contactId} and status = 'active' and current_node = 'wait'`;
    return row;
  });
  return { contactId, ...run! };
}

describe('taking a contact out of a journey', () => {
  it('cancels the run, which records its end; a second stop is refused', async () => {
    const { contactId, id, workflowId } = await enrolled('stop.me@x.test');
    const stopped = await call('POST', `/api/contacts/${contactId}/runs/${id}/stop`);
    expect(stopped).toMatchObject({
      status: 200,
      body: { run: { id, status: 'cancelled' }, stopped: true },
    });
    const description = await env.temporal.client.workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('CANCELLED');
    const [run] = await env.db.sql`select status, ended_at from journey_runs where id = ${id}`;
    expect(run).toMatchObject({ status: 'cancelled', endedAt: expect.any(Date) });
    const runs = await call('GET', `/api/contacts/${contactId}/runs`);
    expect(runs.body.runs[0]).toMatchObject({ id, status: 'cancelled', currentNode: 'wait' });
    // The wait it was at is left, so the journey no longer counts the contact as waiting there.
    expect(runs.body.runs[0].steps).toEqual([
      expect.objectContaining({
        nodeId: 'wait',
        outcome: 'exited',
        leftAt: expect.any(String),
        why: expect.objectContaining({ runEnded: 'cancelled' }),
      }),
    ]);
    const stats = await call('GET', `/api/journeys/${journeyId}/stats`);
    expect(stats.body.nodes.wait).toMatchObject({ waiting: 0 });
    const waiting = await call('GET', `/api/journeys/${journeyId}/nodes/wait/waiting`);
    expect(waiting.body.contacts.map((w: { contactId: string }) => w.contactId)).not.toContain(
      contactId,
    );
    // The tag after the wait never came.
    const [contact] = await env.db.sql`select tags from contacts where id = ${contactId}`;
    expect(contact!.tags).toEqual([]);

    const again = await call('POST', `/api/contacts/${contactId}/runs/${id}/stop`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'run_ended',
      message: 'This run has already ended (cancelled)',
    });
  });

  it("refuses a run that is not this contact's, and says when Temporal cannot be told", async () => {
    const first = await enrolled('first@x.test');
    const second = await enrolled('second@x.test');
    const wrong = await call('POST', `/api/contacts/${first.contactId}/runs/${second.id}/stop`);
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.message).toBe('The journey run was not found');

    await withTemporalDown(env, async (offline) => {
      const refused = await offline(
        'POST',
        `/api/contacts/${first.contactId}/runs/${first.id}/stop`,
      );
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('temporal_unavailable');
    });
    const [run] = await env.db.sql`select status from journey_runs where id = ${first.id}`;
    expect(run!.status).toBe('active');
  });

  it('answers 202 while no worker has taken the cancellation, which Temporal keeps for it', async () => {
    // A run whose workflow waits on a queue no worker polls: its worker is away.
    const { id: model } = await enrolled('model@x.test');
    const contact = await call('POST', '/api/contacts', { email: 'away@x.test' });
    const contactId = contact.body.contact.id as string;
    const runId = crypto.randomUUID();
    const workflowId = `run:away:${runId}`;
    await env.db.sql`
      insert into journey_runs
        (id, workspace_id, journey_id, version_id, contact_id, workflow_id, entry, started_at)
      select ${runId}, workspace_id, journey_id, version_id, ${contactId}, ${workflowId}, entry, now()
      from journey_runs where id = ${model}`;
    const handle = await env.temporal.client.workflow.start(JOURNEY_RUN_WORKFLOW, {
      taskQueue: `nobody-${runId}`,
      workflowId,
      args: [],
    });
    try {
      const answer = await call('POST', `/api/contacts/${contactId}/runs/${runId}/stop`);
      expect(answer).toMatchObject({
        status: 202,
        body: { run: { id: runId, status: 'active' }, stopped: false },
      });
      const history = await handle.fetchHistory();
      expect(history.events?.some((e) => e.workflowExecutionCancelRequestedEventAttributes)).toBe(
        true,
      );
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
  });
});
