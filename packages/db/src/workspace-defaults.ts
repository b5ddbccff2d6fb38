import { BUILTIN_SCORE_TAGS, BUILTIN_SCORING_RULES, BUILTIN_SEGMENTS } from '@relance/segments';
import { replaceScoring } from './scoring';
import { rebuildSegment } from './segment-engine';
import { lockWorkspaceExclusive } from './segment-locks';
import type { Sql } from './sql';

/**
 * Gives a workspace its built-in lifecycle segments (prospects, engaged prospects, new, repeat
 * and inactive customers, inactive, value tiers) and engagement scoring, once: they are the
 * marketer's to edit or delete afterwards. Returns whether it seeded now.
 */
export async function seedWorkspaceDefaults(
  sql: Sql,
  workspaceId: string,
  now = new Date(),
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [marked] = await tx`
      insert into workspace_defaults (workspace_id, seeded_at) values (${workspaceId}, ${now})
      on conflict do nothing returning workspace_id`;
    if (!marked) return false;
    await lockWorkspaceExclusive(tx, workspaceId);
    await replaceScoring(tx, workspaceId, {
      rules: [...BUILTIN_SCORING_RULES],
      tags: [...BUILTIN_SCORE_TAGS],
    });
    for (const builtin of BUILTIN_SEGMENTS) {
      const [segment] = await tx<{ id: string }[]>`
        insert into segments (workspace_id, name, description, kind, rule, builtin, created_at, updated_at)
        values (${workspaceId}, ${builtin.name}, ${builtin.description}, 'dynamic',
          ${tx.json(builtin.rule)}, ${builtin.key}, ${now}, ${now})
        on conflict do nothing
        returning id`;
      // A workspace that already has contacts (an install that predates these segments).
      if (segment) {
        await rebuildSegment(tx, {
          workspaceId,
          segment: { id: segment.id, rule: builtin.rule },
          now,
          cause: 'rule',
        });
      }
    }
    return true;
  });
}
