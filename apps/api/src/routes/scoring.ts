import { Hono } from 'hono';
import { z } from 'zod';
import {
  dispatchFromOutbox,
  getScoring,
  latestSettingsRecheck,
  replaceScoring,
  startSettingsRecheck,
  writeJourneyOutbox,
} from '@relance/db';
import { ScoreTag, ScoringRule } from '@relance/segments';
import type { AppDeps, AppEnv } from '../env';
import { runRecheckAfterSave } from '../recheck';
import { validate } from '../validation';

const Scoring = z.object({
  rules: z.array(ScoringRule).max(100, 'At most 100 rules'),
  tags: z
    .array(ScoreTag)
    .max(20, 'At most 20 score tags')
    .refine((tags) => new Set(tags.map((t) => t.tag)).size === tags.length, 'Each tag once'),
});

/**
 * Engagement scoring: the rules and the tags the score maintains, and the latest re-check of
 * the base a save started (`recheck`: running, then done with its counts, or failed). Saving
 * answers once the rules are stored; the worker then re-scores every contact and re-checks the
 * segments reading scores, tags or other contact fields (and those reading such segments).
 */
export const scoringRoutes = (deps: AppDeps) => {
  const log = deps.log ?? ((line: string) => console.error(line));
  const read = async (workspaceId: string) => ({
    ...(await getScoring(deps.sql, workspaceId)),
    recheck: await latestSettingsRecheck(deps.sql, workspaceId, 'scoring'),
  });
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json(await read(c.get('workspaceId')), 200))
    .put('/', validate('json', Scoring), async (c) => {
      const workspaceId = c.get('workspaceId');
      const scoring = c.req.valid('json');
      const { untagged, recheck, outboxId } = await deps.sql.begin(async (tx) => {
        const untagged = await replaceScoring(tx, workspaceId, scoring);
        return {
          untagged,
          recheck: await startSettingsRecheck(tx, workspaceId, 'scoring'),
          // The contacts a dropped score tag left, kept for the worker until dispatched.
          outboxId: await writeJourneyOutbox(tx, workspaceId, { contactIds: untagged }),
        };
      });
      await dispatchFromOutbox(
        deps.sql,
        deps.dispatcher,
        workspaceId,
        { contactIds: untagged, outboxIds: outboxId === null ? [] : [outboxId] },
        log,
      );
      await runRecheckAfterSave(deps, recheck);
      return c.json(await read(workspaceId), 200);
    });
};
