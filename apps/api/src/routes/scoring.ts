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
import { ApiError } from '../errors';
import { runRecheckAfterSave } from '../recheck';
import { validate } from '../validation';

const Scoring = z.object({
  rules: z.array(ScoringRule).max(100, 'At most 100 rules'),
  tags: z
    .array(ScoreTag)
    .max(20, 'At most 20 score tags')
    .refine((tags) => new Set(tags.map((t) => t.tag)).size === tags.length, 'Each tag once'),
});

type Tx = Parameters<typeof replaceScoring>[0];

/**
 * A tag the score starts keeping must not be on any contact yet: the score takes a tag off
 * everyone below its threshold, so it would silently strip a tag put there by hand, an import
 * or a journey (a "vip" list). Refused (409 `tag_in_use`) at the tag's field, with how many
 * carry it; a tag the score kept already is not checked again.
 */
async function refuseTagsInUse(
  tx: Tx,
  workspaceId: string,
  tags: readonly { tag: string; minScore: number }[],
): Promise<void> {
  const kept = (
    await tx<{ tag: string }[]>`select tag from score_tags where workspace_id = ${workspaceId}`
  ).map((r) => r.tag);
  const added = tags.map((t) => t.tag).filter((tag) => !kept.includes(tag));
  if (added.length === 0) return;
  const carried = await tx<{ tag: string; contacts: number }[]>`
    select t.tag, count(*)::int as contacts
    from unnest(${added}::text[]) t(tag)
    join contacts c on c.workspace_id = ${workspaceId} and c.merged_into is null
      and c.tags @> array[t.tag]
    group by t.tag`;
  if (carried.length === 0) return;
  const count = new Map(carried.map((r) => [r.tag, r.contacts]));
  const issues = tags.flatMap(({ tag, minScore }, index) => {
    const contacts = count.get(tag);
    if (contacts === undefined) return [];
    const who =
      contacts === 1 ? '1 contact has it' : `${contacts.toLocaleString('en')} contacts have it`;
    return [
      {
        field: `tags.${index}.tag`,
        message:
          `“${tag}” is already in use: ${who}, put there by hand, an import or a journey. ` +
          `The score would take it off each of them below ${minScore} points. ` +
          'Choose a tag nobody has yet, or delete this one on the Tags page first.',
      },
    ];
  });
  throw new ApiError(409, 'tag_in_use', issues.map((i) => i.message).join(' '), issues);
}

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
        await refuseTagsInUse(tx, workspaceId, scoring.tags);
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
