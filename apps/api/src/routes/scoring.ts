import { Hono } from 'hono';
import { z } from 'zod';
import { dispatchCommitted, getScoring, replaceScoring } from '@relance/db';
import { readsOf, ScoreTag, ScoringRule } from '@relance/segments';
import type { AppDeps, AppEnv } from '../env';
import { recheckAfterSettings } from '../recheck';
import { validate } from '../validation';

const Scoring = z.object({
  rules: z.array(ScoringRule).max(100, 'At most 100 rules'),
  tags: z
    .array(ScoreTag)
    .max(20, 'At most 20 score tags')
    .refine((tags) => new Set(tags.map((t) => t.tag)).size === tags.length, 'Each tag once'),
});

/** Engagement scoring: the rules and the tags the score maintains. */
export const scoringRoutes = (deps: AppDeps) => {
  const now = deps.clock ?? (() => new Date());
  const log = deps.log ?? ((line: string) => console.error(line));
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json(await getScoring(deps.sql, c.get('workspaceId')), 200))
    .put('/', validate('json', Scoring), async (c) => {
      const workspaceId = c.get('workspaceId');
      const scoring = c.req.valid('json');
      const untagged = await deps.sql.begin((tx) => replaceScoring(tx, workspaceId, scoring));
      await dispatchCommitted(deps.dispatcher, workspaceId, { contactIds: untagged }, log);
      // Every score, then every segment reading scores or tags (or a segment that reads one of
      // those), follows the new rules at once.
      const report = await recheckAfterSettings(deps, {
        workspaceId,
        now: now(),
        cause: 'scoring',
        segments: (segment) => readsOf(segment.rule).contact,
      });
      return c.json(
        {
          ...(await getScoring(deps.sql, workspaceId)),
          rescored: report.scoresChanged,
          membershipsChanged: report.segments.reduce((n, s) => n + s.entered + s.exited, 0),
        },
        200,
      );
    });
};
