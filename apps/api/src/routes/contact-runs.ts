import { Hono } from 'hono';
import { z } from 'zod';
import { findContactRuns, findRunSteps, getJourneyContact } from '@relance/db';
import type { AppDeps, AppEnv } from '../env';
import { notFound } from '../errors';
import { validate } from '../validation';

const RUNS_SHOWN = 50;

/** `GET /api/contacts/:id/runs`: the contact's journey runs, newest first, with every step. */
export const contactRunsRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>().get(
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
      return c.json(
        {
          runs: runs.map((run) => ({
            id: run.id,
            journeyId: run.journeyId,
            journeyName: run.journeyName,
            versionId: run.versionId,
            version: run.version,
            workflowId: run.workflowId,
            status: run.status,
            currentNode: run.currentNode,
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
