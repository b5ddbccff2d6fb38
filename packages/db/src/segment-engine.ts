import type { Condition } from '@relance/flow';
import {
  compileMembersSelect,
  dependenciesOf,
  orderByDependencies,
  readsOf,
  SqlParams,
} from '@relance/segments';
import { getScoring, rescoreContacts } from './scoring';
import { lockContacts, lockWorkspaceShared } from './segment-locks';
import type { Sql, TransactionSql } from './sql';

export interface DynamicSegment {
  id: string;
  rule: Condition;
}

/** The workspace's dynamic segments, each after the segments its rule reads. */
export async function loadDynamicSegments(
  sql: Sql | TransactionSql,
  workspaceId: string,
): Promise<DynamicSegment[]> {
  const rows = await sql<DynamicSegment[]>`
    select id, rule from segments where workspace_id = ${workspaceId} and kind = 'dynamic'
    order by created_at, id`;
  return orderByDependencies([...rows]);
}

/** Groups ordered segments into levels whose members do not read each other. */
function levelsOf(segments: DynamicSegment[]): DynamicSegment[][] {
  const depth = new Map<string, number>();
  const levels: DynamicSegment[][] = [];
  for (const s of segments) {
    const d = Math.max(-1, ...dependenciesOf(s.rule).map((id) => depth.get(id) ?? -1)) + 1;
    depth.set(s.id.toLowerCase(), d);
    (levels[d] ??= []).push(s);
  }
  return levels;
}

export interface SegmentDiff {
  segmentId: string;
  entered: number;
  exited: number;
  changeIds: string[];
  /** Contacts that entered or left. */
  contactIds: string[];
}

interface DiffInput {
  workspaceId: string;
  segment: DynamicSegment;
  /** The contacts to re-check; null: the whole base. */
  contactIds: readonly string[] | null;
  now: Date;
  cause: string;
}

/**
 * One statement that brings a dynamic segment's materialised members in line with its rule
 * and writes every enter/exit to the change log, as a `changes` CTE followed by `tail`.
 */
function diffStatement(input: DiffInput, tail: string) {
  const params = new SqlParams();
  const ws = params.uuid(input.workspaceId);
  const now = params.timestamp(input.now);
  const seg = params.uuid(input.segment.id);
  const cause = params.text(input.cause);
  const ids = input.contactIds ? params.uuids(input.contactIds) : undefined;
  const select = compileMembersSelect(input.segment.rule, {
    params,
    workspace: ws,
    now,
    at: input.now,
    contactIds: ids,
  });
  const text = `with matching as (${select}),
entered as (
  insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
  select ${seg}, m.id, ${ws}, ${now} from matching m
  where not exists (select 1 from segment_members x where x.segment_id = ${seg} and x.contact_id = m.id)
  on conflict (segment_id, contact_id) do nothing
  returning contact_id),
exited as (
  delete from segment_members sm
  where sm.segment_id = ${seg}${ids ? ` and sm.contact_id = any(${ids})` : ''}
    and not exists (select 1 from matching m where m.id = sm.contact_id)
  returning contact_id),
changes as (
  insert into segment_changes (workspace_id, segment_id, contact_id, change, at, cause)
  select ${ws}, ${seg}, contact_id, 'entered', ${now}, ${cause} from entered
  union all
  select ${ws}, ${seg}, contact_id, 'exited', ${now}, ${cause} from exited
  returning id, contact_id, change)
${tail}`;
  return { text, values: params.values };
}

/** Re-checks a dynamic segment for some contacts; returns each change. */
export async function applySegmentRule(
  tx: TransactionSql,
  input: DiffInput & { contactIds: readonly string[] },
): Promise<SegmentDiff> {
  const { text, values } = diffStatement(
    input,
    'select id::text as id, contact_id, change from changes',
  );
  const rows = await tx.unsafe<{ id: string; contactId: string; change: string }[]>(text, values);
  return {
    segmentId: input.segment.id,
    entered: rows.filter((r) => r.change === 'entered').length,
    exited: rows.filter((r) => r.change === 'exited').length,
    changeIds: rows.map((r) => r.id),
    contactIds: [...new Set(rows.map((r) => r.contactId))],
  };
}

export interface SegmentRebuild {
  segmentId: string;
  entered: number;
  exited: number;
  /** The change ids lie in this range (null when nothing changed): page them to dispatch. */
  firstChangeId: string | null;
  lastChangeId: string | null;
}

/**
 * Re-evaluates a dynamic segment over the whole base (new or edited rule, reconciliation).
 * Returns counts and the range of change ids rather than a million ids.
 */
export async function rebuildSegment(
  tx: TransactionSql,
  input: Omit<DiffInput, 'contactIds'>,
): Promise<SegmentRebuild> {
  const { text, values } = diffStatement(
    { ...input, contactIds: null },
    `select count(*) filter (where change = 'entered')::int as entered,
  count(*) filter (where change = 'exited')::int as exited,
  min(id)::text as first_change_id, max(id)::text as last_change_id
from changes`,
  );
  const [row] = await tx.unsafe<Omit<SegmentRebuild, 'segmentId'>[]>(text, values);
  return { segmentId: input.segment.id, ...row! };
}

export interface SettleResult {
  /** segment_changes ids written: hand them to JourneyDispatcher.segmentsChanged. */
  changeIds: string[];
  /** Contacts whose score or score tags changed: JourneyDispatcher.contactsChanged. */
  changedContactIds: string[];
}

const SETTLE_CHUNK = 1_000;

export interface SettleInput {
  workspaceId: string;
  contactIds: readonly string[];
  now: Date;
  cause: string;
  /**
   * What is new for these contacts, when known. Contacts whose only news is events of these
   * names are re-checked against the segments and scoring rules that read them (time passing
   * is the tick's business); contacts in `everything` (new, or properties changed) against all.
   * Absent: every contact against everything.
   */
  changed?: { events: readonly string[]; everything: readonly string[] } | undefined;
}

const intersects = (a: ReadonlySet<string>, b: readonly string[]) => b.some((x) => a.has(x));

/**
 * Re-checks score, score tags and dynamic segments for some contacts, inside the caller's
 * transaction (so a fact and the memberships it causes commit together). Dependent segments
 * are evaluated after the segments they read, in the same pass, for the contacts that moved.
 */
export async function settleContactsIn(
  tx: TransactionSql,
  input: SettleInput,
): Promise<SettleResult> {
  const ids = [...new Set([...input.contactIds, ...(input.changed?.everything ?? [])])].sort();
  if (ids.length === 0) return { changeIds: [], changedContactIds: [] };
  await lockWorkspaceShared(tx, input.workspaceId);
  await lockContacts(tx, ids);
  // Only committed queue rows are visible here, and their facts with them; rows another
  // transaction is about to commit stay queued for the settle that transaction triggers.
  await tx`
    delete from segment_queue where id in (
      select id from segment_queue where contact_id = any(${ids}::uuid[]) for update skip locked)`;
  const changed = input.changed;
  const everything = changed ? [...new Set(changed.everything)].sort() : ids;
  const scoring = await getScoring(tx, input.workspaceId);
  const scoringReads = new Set(scoring.rules.map((r) => r.event));
  const rescored = !changed || intersects(scoringReads, changed.events) ? ids : everything;
  const changedContactIds =
    rescored.length === 0
      ? []
      : await rescoreContacts(
          tx,
          { workspaceId: input.workspaceId, contactIds: rescored, now: input.now },
          scoring,
        );
  const moved = new Map<string, string[]>();
  const changeIds: string[] = [];
  for (const level of levelsOf(await loadDynamicSegments(tx, input.workspaceId))) {
    const work = level.flatMap((segment) => {
      let targets: readonly string[] = ids;
      if (changed) {
        const reads = readsOf(segment.rule);
        if (!intersects(reads.events, changed.events)) {
          const due = new Set(everything);
          if (reads.contact) for (const id of changedContactIds) due.add(id);
          for (const dep of reads.segments) for (const id of moved.get(dep) ?? []) due.add(id);
          targets = [...due].sort();
        }
      }
      return targets.length === 0 ? [] : [{ segment, targets }];
    });
    const diffs = await Promise.all(
      work.map(({ segment, targets }) =>
        applySegmentRule(tx, { ...input, segment, contactIds: targets }),
      ),
    );
    for (const diff of diffs) {
      changeIds.push(...diff.changeIds);
      if (diff.contactIds.length > 0) moved.set(diff.segmentId.toLowerCase(), diff.contactIds);
    }
  }
  return { changeIds, changedContactIds };
}

/** settleContactsIn in transactions of at most 1,000 contacts (bounded locks and latency). */
export async function settleContacts(sql: Sql, input: SettleInput): Promise<SettleResult> {
  const ids = [...new Set([...input.contactIds, ...(input.changed?.everything ?? [])])].sort();
  const everything = new Set(input.changed?.everything ?? []);
  const result: SettleResult = { changeIds: [], changedContactIds: [] };
  for (let i = 0; i < ids.length; i += SETTLE_CHUNK) {
    const chunk = ids.slice(i, i + SETTLE_CHUNK);
    const changed = input.changed && {
      events: input.changed.events,
      everything: chunk.filter((id) => everything.has(id)),
    };
    const settled = await sql.begin((tx) =>
      settleContactsIn(tx, { ...input, contactIds: chunk, changed }),
    );
    result.changeIds.push(...settled.changeIds);
    result.changedContactIds.push(...settled.changedContactIds);
  }
  return result;
}
