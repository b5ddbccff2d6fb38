import { changeTagsOfMany } from './contact-actions';
import { DataError } from './data-error';
import { versionLabel } from './segment-usage';
import type { Sql, TransactionSql } from './sql';

/** What still gives or reads a tag: renaming or deleting it would change what they do. */
export interface TagUses {
  /** Dynamic segments whose rule tests the tag. */
  segments: { segmentId: string; segmentName: string }[];
  /**
   * Journeys that test, add or remove the tag: the draft (`null`, unless the journey was stopped
   * for good), the live version, and any version that runs are still going through.
   */
  journeys: { journeyId: string; journeyName: string; versions: (number | null)[] }[];
  /** The score gives the tag from this many points (and takes it away below). */
  minScore: number | null;
}

/** One of the workspace's tags, for the tags page. */
export interface TagSummary {
  tag: string;
  /** Contacts who have it now (merged duplicates counted once, as their survivor). */
  contacts: number;
  uses: TagUses;
}

const noUses = (): TagUses => ({ segments: [], journeys: [], minScore: null });

export const isInUse = (uses: TagUses) =>
  uses.segments.length > 0 || uses.journeys.length > 0 || uses.minScore !== null;

// The tags a document names: the `tag` of every condition leaf `{ kind: 'tag' }` however deep
// (segment rules, journey conditions, switches, goals, exit conditions), and what a journey's
// tag steps add and remove. Walked as JSON, so a half-finished draft is read too: `.**` in strict
// mode (lax mode also visits unwrapped arrays and reports leaves twice), the
// steps in lax mode (a document without steps has none).
const tagsOf = (sql: Sql | TransactionSql, document: 'rule' | 'document') => sql`
  select distinct btrim(x #>> '{}') as tag from (
    select jsonb_path_query(${sql(document)}, 'strict $.** ? (@.kind == "tag").tag') as x
    union all
    select jsonb_path_query(${sql(document)}, 'lax $.nodes[*] ? (@.kind == "action.tag").config.add[*]')
    union all
    select jsonb_path_query(${sql(document)}, 'lax $.nodes[*] ? (@.kind == "action.tag").config.remove[*]')
  ) found
  where jsonb_typeof(x) = 'string' and btrim(x #>> '{}') <> ''`;

/** Every tag the workspace's segments, journeys and score name, with who names it. */
export async function findTagUses(
  sql: Sql | TransactionSql,
  workspaceId: string,
): Promise<Map<string, TagUses>> {
  const [segments, journeys, scored] = await Promise.all([
    sql<{ tag: string; segmentId: string; segmentName: string }[]>`
      select t.tag, s.id as segment_id, s.name as segment_name
      from segments s
      cross join lateral (${tagsOf(sql, 'rule')}) t
      where s.workspace_id = ${workspaceId} and s.rule is not null
      order by s.name, s.id`,
    sql<{ tag: string; journeyId: string; journeyName: string; version: number | null }[]>`
      with documents as (
        select j.id, j.name, null::int as version, j.draft as document
        from journeys j
        where j.workspace_id = ${workspaceId} and j.status <> 'stopped'
        union all
        select j.id, j.name, v.version, v.document
        from journey_versions v join journeys j on j.id = v.journey_id
        where v.workspace_id = ${workspaceId}
          and ((v.id = j.live_version_id and j.status in ('active', 'paused'))
            or exists (
              select 1 from journey_runs r
              where r.journey_id = v.journey_id and r.status in ('active', 'held')
                and r.version_id = v.id))
      )
      select t.tag, d.id as journey_id, d.name as journey_name, d.version
      from documents d
      cross join lateral (${tagsOf(sql, 'document')}) t
      order by d.name, d.id, d.version nulls first`,
    sql<{ tag: string; minScore: number }[]>`
      select tag, min_score from score_tags where workspace_id = ${workspaceId}`,
  ]);
  const uses = new Map<string, TagUses>();
  const of = (tag: string) => {
    let found = uses.get(tag);
    if (!found) uses.set(tag, (found = noUses()));
    return found;
  };
  for (const row of segments) {
    const list = of(row.tag).segments;
    if (!list.some((s) => s.segmentId === row.segmentId)) {
      list.push({ segmentId: row.segmentId, segmentName: row.segmentName });
    }
  }
  for (const row of journeys) {
    const list = of(row.tag).journeys;
    let journey = list.find((j) => j.journeyId === row.journeyId);
    if (!journey) {
      journey = { journeyId: row.journeyId, journeyName: row.journeyName, versions: [] };
      list.push(journey);
    }
    journey.versions.push(row.version);
  }
  for (const row of scored) of(row.tag).minScore = row.minScore;
  return uses;
}

const byName = (a: string, b: string) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

/**
 * The tags page: every tag a contact has or had, that the score gives, or that a segment or
 * journey names, with how many contacts have it now and who uses it; alphabetical whatever the
 * case, at most `limit` (`truncated` when there were more). Counting reads every tagged contact
 * of the workspace once (`npm run bench -- segments` measures it on a million contacts).
 */
export async function listTagSummaries(
  sql: Sql,
  workspaceId: string,
  limit: number,
): Promise<{ tags: TagSummary[]; truncated: boolean }> {
  const [known, counts, uses] = await Promise.all([
    sql<{ tag: string }[]>`select tag from known_tags where workspace_id = ${workspaceId}`,
    sql<{ tag: string; contacts: number }[]>`
      select t.tag, count(*)::int as contacts
      from contacts c cross join unnest(c.tags) t(tag)
      where c.workspace_id = ${workspaceId} and c.merged_into is null and c.tags <> '{}'
      group by t.tag`,
    findTagUses(sql, workspaceId),
  ]);
  const count = new Map(counts.map((r) => [r.tag, r.contacts]));
  const names = [...new Set([...known.map((r) => r.tag), ...count.keys(), ...uses.keys()])].sort(
    byName,
  );
  return {
    tags: names.slice(0, limit).map((tag) => ({
      tag,
      contacts: count.get(tag) ?? 0,
      uses: uses.get(tag) ?? noUses(),
    })),
    truncated: names.length > limit,
  };
}

/** Refusal to rename or delete a tag that segments, journeys or the score still use. */
export class TagInUseError extends DataError {
  constructor(
    tag: string,
    readonly uses: TagUses,
  ) {
    super('tag_in_use', 409, describeTagUses(tag, uses), 'tag');
  }
}

function describeTagUses(tag: string, uses: TagUses): string {
  const parts = [
    ...uses.segments.map((s) => `segment “${s.segmentName}”`),
    ...uses.journeys.map(
      (j) => `journey “${j.journeyName}” (${j.versions.map(versionLabel).join(', ')})`,
    ),
    ...(uses.minScore === null ? [] : [`the score, from ${uses.minScore} points`]),
  ];
  return `“${tag}” is still used by ${parts.join('; ')}. Change ${parts.length === 1 ? 'it' : 'them'} first, so that ${parts.length === 1 ? 'it does' : 'they do'} not go on with a tag nobody has.`;
}

/** Contacts a rename or deletion changes per request: one settle's worth. */
export const TAG_CHANGE_BATCH = 1_000;

/**
 * Refuses renaming `tag` to itself, renaming or deleting (`to` null) a tag that segments,
 * journeys or the score use, and renaming into a tag the score gives.
 */
export async function checkTagChange(
  sql: Sql | TransactionSql,
  workspaceId: string,
  tag: string,
  to: string | null,
): Promise<void> {
  if (to === tag) throw new DataError('same_tag', 400, `The tag is already called “${tag}”`, 'to');
  const uses = await findTagUses(sql, workspaceId);
  const mine = uses.get(tag);
  if (mine && isInUse(mine)) throw new TagInUseError(tag, mine);
  const target = to === null ? undefined : uses.get(to)?.minScore;
  if (target !== undefined && target !== null) {
    throw new DataError(
      'score_tag',
      409,
      `“${to}” is given and taken away by the score (from ${target} points); choose another name`,
      'to',
    );
  }
}

/**
 * Renames a tag on the workspace's contacts (`to`; a contact who already has `to` keeps one) or
 * deletes it (`to` null), for at most `limit` contacts per call, each call its own transaction
 * followed by the contacts' segment re-evaluation. `done` once no contact has the tag any more;
 * the tag then leaves the list of known tags. Refused while a segment, journey or the score
 * uses the tag, and renaming to a tag the score gives.
 */
export async function replaceTag(
  sql: Sql,
  input: {
    workspaceId: string;
    tag: string;
    to: string | null;
    cause: string;
    now: Date;
    limit?: number;
    /** Also write each batch's journey outbox row in its transaction (see changeTagsOfMany). */
    outbox?: boolean | undefined;
  },
): Promise<{
  changed: number;
  done: boolean;
  changeIds: string[];
  changedContactIds: string[];
  outboxIds: string[];
}> {
  const tag = input.tag.trim();
  const to = input.to?.trim() ?? null;
  const limit = input.limit ?? TAG_CHANGE_BATCH;
  await checkTagChange(sql, input.workspaceId, tag, to);
  const ids = await sql<{ id: string }[]>`
    select id from contacts
    where workspace_id = ${input.workspaceId} and merged_into is null
      and tags @> array[${tag}::text]
    limit ${limit}`;
  const result =
    ids.length === 0
      ? { changed: 0, changeIds: [], changedContactIds: [], outboxIds: [] }
      : await changeTagsOfMany(sql, {
          workspaceId: input.workspaceId,
          contactIds: ids.map((r) => r.id),
          add: to === null ? [] : [to],
          remove: [tag],
          cause: input.cause,
          now: input.now,
          outbox: input.outbox,
        });
  const done = ids.length < limit;
  if (done) {
    // Gone from the pickers, unless a contact was given it again meanwhile.
    await sql`
      delete from known_tags k
      where k.workspace_id = ${input.workspaceId} and k.tag = ${tag}
        and not exists (
          select 1 from contacts c
          where c.workspace_id = ${input.workspaceId} and c.merged_into is null
            and c.tags @> array[${tag}::text])`;
  }
  return {
    changed: result.changed,
    done,
    changeIds: result.changeIds,
    changedContactIds: result.changedContactIds,
    outboxIds: result.outboxIds,
  };
}
