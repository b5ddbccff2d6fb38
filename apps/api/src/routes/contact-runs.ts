import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import { z } from 'zod';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  describeSteps,
  findContactRuns,
  findRunSteps,
  getJourneyContact,
  getRun,
  OPEN_RUN_STATUSES,
} from '@relance/db';
import { withCallDeadline } from '@relance/journeys';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, notFound } from '../errors';
import { validate } from '../validation';

const RUNS_SHOWN = 50;
/** How long a stop request waits for the run to record its end before answering 202. */
const STOP_WAIT_MS = 5_000;

/**
 * `GET /api/contacts/:id/runs`: the contact's journey runs, newest first, with every step.
 * `POST /api/contacts/:id/runs/:runId/stop`: takes the contact out of a journey.
 */
export const contactRunsRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>()
    .post(
      '/:id/runs/:runId/stop',
      validate(
        'param',
        z.object({ id: z.uuid('No contact has this id'), runId: z.uuid('No run has this id') }),
      ),
      async (c) => {
        const workspaceId = c.get('workspaceId');
        const { id, runId } = c.req.valid('param');
        const contact = await getJourneyContact(deps.sql, workspaceId, id);
        if (!contact) throw notFound('The contact');
        const run = await getRun(deps.sql, runId);
        if (!run || run.workspaceId !== workspaceId || run.contactId !== contact.id) {
          throw notFound('The journey run');
        }
        if (!OPEN_RUN_STATUSES.includes(run.status)) {
          throw new ApiError(409, 'run_ended', `This run has already ended (${run.status})`);
        }
        // Cancelled, not terminated: the run records its end (status `cancelled`) itself, and a
        // step in flight finishes or is abandoned the way any cancelled step is.
        const handle = deps.temporal.client.workflow.getHandle(run.workflowId);
        try {
          // The deadline ends the client's own retries: a silent Temporal answers 503 in 5 s.
          await withCallDeadline(deps.temporal.client, () => handle.cancel());
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) {
            throw new ApiError(
              503,
              'temporal_unavailable',
              'The workflow service did not answer, so the contact is still in the journey; try again shortly',
            );
          }
        }
        // Whichever comes first; the other is then called off (the result's long poll too).
        const ended = new AbortController();
        await Promise.race([
          deps.temporal.client
            .withAbortSignal(ended.signal, () => handle.result())
            .catch(() => undefined),
          sleep(STOP_WAIT_MS, undefined, { signal: ended.signal }).catch(() => undefined),
        ]);
        ended.abort();
        const after = (await getRun(deps.sql, runId))!;
        const stopped = !OPEN_RUN_STATUSES.includes(after.status);
        // 202 while the worker has not picked the cancellation up (it is down, or busy).
        return c.json(
          { run: { id: after.id, status: after.status }, stopped },
          stopped ? 200 : 202,
        );
      },
    )
    .get(
      '/:id/runs',
      validate('param', z.object({ id: z.uuid('No contact has this id') })),
      async (c) => {
        const workspaceId = c.get('workspaceId');
        const contact = await getJourneyContact(deps.sql, workspaceId, c.req.valid('param').id);
        if (!contact) throw notFound('The contact');
        const runs = await findContactRuns(deps.sql, {
          workspaceId,
          contactId: contact.id,
          limit: RUNS_SHOWN,
        });
        const steps = await findRunSteps(
          deps.sql,
          runs.map((r) => r.id),
        );
        const current = await describeSteps(
          deps.sql,
          workspaceId,
          runs.map((r) => ({ kind: r.currentKind ?? '', config: r.currentConfig })),
        );
        return c.json(
          {
            runs: runs.map((run, i) => ({
              id: run.id,
              journeyId: run.journeyId,
              journeyName: run.journeyName,
              versionId: run.versionId,
              version: run.version,
              workflowId: run.workflowId,
              status: run.status,
              currentNode: run.currentNode,
              // The step it is at (or ended at) as the canvas words it: "Wait 3 days".
              currentStep: run.currentKind ? current[i]!.step : null,
              entry: run.entry,
              startedAt: run.startedAt,
              endedAt: run.endedAt,
              convertedAt: run.convertedAt,
              goalNode: run.goalNode,
              steps: steps
                .filter((s) => s.runId === run.id)
                .map(({ runId: _runId, ...step }) => step),
            })),
          },
          200,
        );
      },
    );
