import {
  compileRulesScore,
  GroupedAggregates,
  shifter,
  SqlParams,
  type ScoreTag,
  type ScoringRule,
} from '@relance/segments';
import { byKeys } from './keyed-plans';
import { lockWorkspaceExclusive } from './segment-locks';
import type { Sql, TransactionSql } from './sql';

export interface Scoring {
  rules: ScoringRule[];
  tags: ScoreTag[];
}

interface RuleRow {
  name: string;
  event: string;
  filter: ScoringRule['filter'] | null;
  points: number;
  within: string | null;
}

/** The workspace's scoring rules (in order) and score tags. */
export async function getScoring(sql: Sql | TransactionSql, workspaceId: string): Promise<Scoring> {
  const [rules, tags] = await Promise.all([
    sql<RuleRow[]>`
      select name, event, filter, points, within from scoring_rules
      where workspace_id = ${workspaceId} order by position, created_at`,
    sql<ScoreTag[]>`
      select tag, min_score from score_tags where workspace_id = ${workspaceId} order by min_score, tag`,
  ]);
  return {
    rules: rules.map((r) => ({
      name: r.name,
      event: r.event,
      points: r.points,
      ...(r.filter ? { filter: r.filter } : {}),
      ...(r.within ? { within: r.within } : {}),
    })),
    tags: [...tags],
  };
}

/**
 * Replaces the scoring rules and score tags (the caller re-scores the base afterwards). A score
 * tag that is dropped (or renamed) is taken off every contact: the score no longer gives it or
 * takes it away, so left in place it would stay for good on whoever had it at that moment.
 * Returns the contacts that lost one.
 */
export async function replaceScoring(
  tx: TransactionSql,
  workspaceId: string,
  scoring: Scoring,
): Promise<string[]> {
  const kept = scoring.tags.map((t) => t.tag);
  const dropped = (
    await tx<{ tag: string }[]>`
      select tag from score_tags
      where workspace_id = ${workspaceId} and tag <> all(${kept}::text[])`
  ).map((r) => r.tag);
  let untagged: string[] = [];
  if (dropped.length > 0) {
    // The settle's lock, so no settle rewrites these contacts' tags meanwhile.
    await lockWorkspaceExclusive(tx, workspaceId);
    const rows = await tx<{ id: string }[]>`
      update contacts c
      set tags = array(select x from unnest(c.tags) with ordinality u(x, i)
                       where x <> all(${dropped}::text[]) order by i),
        updated_at = now()
      where c.workspace_id = ${workspaceId} and c.tags && ${dropped}::text[]
      returning c.id::text as id`;
    untagged = rows.map((r) => r.id);
  }
  await tx`delete from scoring_rules where workspace_id = ${workspaceId}`;
  await tx`delete from score_tags where workspace_id = ${workspaceId}`;
  for (const [position, rule] of scoring.rules.entries()) {
    await tx`
      insert into scoring_rules (workspace_id, name, event, filter, points, within, position)
      values (${workspaceId}, ${rule.name}, ${rule.event},
        ${rule.filter ? tx.json(rule.filter) : null}, ${rule.points},
        ${rule.within ?? null}, ${position})`;
  }
  for (const tag of scoring.tags) {
    await tx`
      insert into score_tags (workspace_id, tag, min_score)
      values (${workspaceId}, ${tag.tag}, ${tag.minScore})
      on conflict (workspace_id, tag) do update set min_score = excluded.min_score`;
  }
  return untagged;
}

/** Which contacts a rescore computes: some by id, or the whole base (null). */
interface RescoreInput {
  workspaceId: string;
  contactIds: readonly string[] | null;
  now: Date;
}

/**
 * The statement computing each contact's new score and tags (in CTE `earned`), ending with
 * `tail`, which reads `earned e` and `<changed>`: the test that the contact's score or score tags
 * move.
 */
function rescoreStatement(
  input: RescoreInput,
  scoring: Scoring,
  tail: (parts: { now: string; names: string; changed: string }) => string,
): { text: string; values: SqlParams['values']; byKey: boolean } {
  const params = new SqlParams();
  const ws = params.uuid(input.workspaceId);
  const now = params.timestamp(input.now);
  const ids = input.contactIds ? params.uuids(input.contactIds) : null;
  // A few contacts are looked up by key, one probe each, whatever the statistics say (the LIMIT
  // keeps the planner from hashing the workspace instead: 5–12 ms a settle at 10,000 contacts).
  const from = ids
    ? `unnest(${ids}) as u(id) cross join lateral (select * from contacts k where k.id = u.id limit 1) c`
    : 'contacts c';
  const score = compileRulesScore(scoring.rules, {
    params,
    contact: 'c',
    workspace: ws,
    timezone: 'coalesce(c.timezone, w.timezone)',
    now,
    shift: shifter(params, input.now),
    // The whole base: the rollups and windowed events in one grouped pass each.
    grouped: ids ? undefined : new GroupedAggregates(),
  });
  const tags = params.json(scoring.tags);
  const names = params.textArray(scoring.tags.map((t) => t.tag));
  const changed = `(e.part <> e.score_from_rules
  or not (e.tags @> e.earned)
  or exists (select 1 from unnest(e.tags) x where x = any(${names}) and x <> all(e.earned)))`;
  // Materialised: each contact's score is computed once.
  const text = `with target as materialized (
  select c.id, c.score, c.score_from_rules, c.tags, ${score.expression} as part
  from ${from} join workspaces w on w.id = c.workspace_id
  ${score.joins}
  where c.workspace_id = ${ws} and c.merged_into is null
), computed as (
  select t.*, t.score - t.score_from_rules + t.part as new_score from target t
), earned as (
  select t.*, array(select x->>'tag' from jsonb_array_elements(${tags}) x
    where (x->>'minScore')::int <= t.new_score) as earned
  from computed t
)
${tail({ now, names, changed })}`;
  return { text, values: params.values, byKey: ids !== null };
}

/**
 * Re-applies the scoring rules and score tags to some contacts. Score moves by the change of the
 * rules' share only, so points from flows and the API stay. Returns the contacts whose score or
 * tags changed. (Over the whole base, `findScoreDrift` says which to give here.)
 */
export async function rescoreContacts(
  tx: TransactionSql,
  input: RescoreInput & { contactIds: readonly string[] },
  scoring: Scoring,
): Promise<string[]> {
  const { text, values, byKey } = rescoreStatement(
    input,
    scoring,
    ({ now, names, changed }) => `update contacts c set
  score = e.new_score,
  score_from_rules = e.part,
  tags = array(select x from unnest(e.tags) with ordinality u(x, i)
      where not (x = any(${names}) and x <> all(e.earned)) order by i)
    || array(select x from unnest(e.earned) x where x <> all(e.tags)),
  updated_at = ${now}
from earned e
where c.id = e.id and ${changed}
returning c.id`,
  );
  const statement = tx.unsafe<{ id: string }[]>(text, values);
  // A few contacts: the update finds each by key too. Left to itself, the planner hashes the
  // new scores and joins them to a scan of every contact whenever the table looks small next to
  // the rows written (10 ms a settle at 10,000 contacts, against 2).
  const rows = await (byKey ? byKeys(tx, statement) : statement);
  return rows.map((r) => r.id);
}

/**
 * The contacts of the whole base whose score or score tags the rules would move now, read
 * without writing or locking anything (ordered by id): where a re-check must rescore, under the
 * lock, to repair drift. One grouped pass over the rollups and events, a few seconds at a
 * million contacts.
 */
export async function findScoreDrift(
  sql: Sql,
  input: { workspaceId: string; now: Date },
  scoring: Scoring,
): Promise<string[]> {
  const { text, values } = rescoreStatement(
    { ...input, contactIds: null },
    scoring,
    ({ changed }) => `select e.id::text as id from earned e where ${changed} order by e.id`,
  );
  const rows = await sql.unsafe<{ id: string }[]>(text, values);
  return rows.map((r) => r.id);
}
