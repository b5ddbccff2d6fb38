import type { Condition } from '@relance/flow';
import {
  compileMembersSelect,
  compileVerdictsSelect,
  dependenciesOf,
  orderByDependencies,
  readsOf,
  SqlParams,
  type VerdictPairs,
} from '@relance/segments';
import { writeJourneyOutbox } from './journey-dispatch-outbox';
import { byKeys } from './keyed-plans';
import { getScoring, rescoreContacts } from './scoring';
import { lockContacts, lockWorkspaceShared } from './segment-locks';
import { mapLimit } from './map-limit';
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
  now: Date;
  cause: string;
}

/**
 * `changes as (insert into segment_changes … returning id, segment_id, contact_id, change)`:
 * every enter and exit that the `entered`/`exited` CTEs named in `sources` made, logged.
 */
function logChanges(
  params: { ws: string; now: string; cause: string },
  sources: readonly { entered: string; exited: string }[],
): string {
  const rows = sources.flatMap(({ entered, exited }) => [
    `select segment_id, contact_id, 'entered' as change from ${entered}`,
    `select segment_id, contact_id, 'exited' from ${exited}`,
  ]);
  return `changes as (
  insert into segment_changes (workspace_id, segment_id, contact_id, change, at, cause)
  select ${params.ws}, x.segment_id, x.contact_id, x.change, ${params.now}, ${params.cause}
  from (${rows.join('\n  union all\n  ')}) x
  returning id, segment_id, contact_id, change)`;
}

/** Placeholders every diff statement starts with. */
function diffParams(common: { workspaceId: string; now: Date; cause: string }) {
  const params = new SqlParams();
  return {
    params,
    ws: params.uuid(common.workspaceId),
    now: params.timestamp(common.now),
    cause: params.text(common.cause),
  };
}

/** Each contact once, with the (1-based) items that re-check it: see VerdictPairs. */
function verdictPairs(
  params: SqlParams,
  items: readonly { contactIds: readonly string[] }[],
): VerdictPairs {
  const byContact = new Map<string, number[]>();
  items.forEach((item, i) => {
    for (const id of item.contactIds) {
      const mine = byContact.get(id);
      if (mine) mine.push(i + 1);
      else byContact.set(id, [i + 1]);
    }
  });
  const flat: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  for (const mine of byContact.values()) {
    first.push(flat.length + 1);
    flat.push(...mine);
    last.push(flat.length);
  }
  return {
    contacts: params.uuids([...byContact.keys()]),
    items: params.integers(flat),
    first: params.integers(first),
    last: params.integers(last),
  };
}

/**
 * Re-checks dynamic segments, each for its own contacts, in one statement: every (segment,
 * contact) pair is judged once (`verdicts`) and its membership row looked up by key (`held`),
 * then the members that should be there and are not are inserted, those that should not and
 * are get deleted by that row's address, and each change is logged. Returns each segment's
 * changes (in the order given).
 *
 * The lookups are per pair on purpose: joined, the planner may hash the whole membership table
 * for a thousand pairs when its statistics are young, and an insert for every pair already a
 * member cost as much as judging it.
 */
export async function applySegmentRules(
  tx: TransactionSql,
  input: {
    workspaceId: string;
    now: Date;
    cause: string;
    items: readonly { segment: DynamicSegment; contactIds: readonly string[] }[];
  },
): Promise<SegmentDiff[]> {
  const items = input.items.filter((item) => item.contactIds.length > 0);
  if (items.length === 0) return [];
  const p = diffParams(input);
  const verdicts = compileVerdictsSelect(
    items.map((item) => ({ segment: p.params.uuid(item.segment.id), rule: item.segment.rule })),
    verdictPairs(p.params, items),
    { params: p.params, workspace: p.ws, now: p.now, at: input.now },
  );
  const text = `with verdicts as materialized (
${verdicts}
),
held as materialized (
  select v.segment_id, v.contact_id, v.member, m.ctid as row
  from verdicts v left join lateral (
    select ctid from segment_members x
    where x.segment_id = v.segment_id and x.contact_id = v.contact_id limit 1) m on true
),
entered as (
  insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
  select h.segment_id, h.contact_id, ${p.ws}, ${p.now} from held h where h.member and h.row is null
  on conflict (segment_id, contact_id) do nothing
  returning segment_id, contact_id),
exited as (
  delete from segment_members sm
  where sm.ctid = any(array(select h.row from held h where not h.member and h.row is not null))
  returning sm.segment_id, sm.contact_id),
${logChanges(p, [{ entered: 'entered', exited: 'exited' }])}
select id::text as id, segment_id, contact_id, change from changes`;
  const rows = await tx.unsafe<
    { id: string; segmentId: string; contactId: string; change: string }[]
  >(text, p.params.values);
  return items.map(({ segment }) => {
    const mine = rows.filter((r) => r.segmentId === segment.id.toLowerCase());
    return {
      segmentId: segment.id,
      entered: mine.filter((r) => r.change === 'entered').length,
      exited: mine.filter((r) => r.change === 'exited').length,
      changeIds: mine.map((r) => r.id),
      contactIds: [...new Set(mine.map((r) => r.contactId))],
    };
  });
}

/** Re-checks one dynamic segment for some contacts; returns its changes. */
export async function applySegmentRule(
  tx: TransactionSql,
  input: DiffInput & { contactIds: readonly string[] },
): Promise<SegmentDiff> {
  const [diff] = await applySegmentRules(tx, { ...input, items: [input] });
  return (
    diff ?? { segmentId: input.segment.id, entered: 0, exited: 0, changeIds: [], contactIds: [] }
  );
}

/**
 * Settings, local to the transaction, for statements that evaluate a rule over the whole base
 * (rebuilds, reconciliation, previews): memory to hash a window's rollups without spilling to
 * disk, and the page cost of storage that reads at random about as fast as in sequence (SSD or
 * cache), so that PostgreSQL takes the index-only paths over contacts and rollups.
 */
export async function useWholeBaseSettings(tx: TransactionSql): Promise<void> {
  await tx`select set_config('work_mem', '64MB', true), set_config('random_page_cost', '1.1', true)`;
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
  input: DiffInput,
): Promise<SegmentRebuild> {
  await useWholeBaseSettings(tx);
  const p = diffParams(input);
  const seg = p.params.uuid(input.segment.id);
  const matching = compileMembersSelect(input.segment.rule, {
    params: p.params,
    workspace: p.ws,
    now: p.now,
    at: input.now,
  });
  const text = `with matching as (${matching}),
entered as (
  insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
  select ${seg}, m.id, ${p.ws}, ${p.now} from matching m
  where not exists (select 1 from segment_members x where x.segment_id = ${seg} and x.contact_id = m.id)
  on conflict (segment_id, contact_id) do nothing
  returning segment_id, contact_id),
exited as (
  delete from segment_members sm
  where sm.segment_id = ${seg} and not exists (select 1 from matching m where m.id = sm.contact_id)
  returning segment_id, contact_id),
${logChanges(p, [{ entered: 'entered', exited: 'exited' }])}
select count(*) filter (where change = 'entered')::int as entered,
  count(*) filter (where change = 'exited')::int as exited,
  min(id)::text as first_change_id, max(id)::text as last_change_id
from changes`;
  const [row] = await tx.unsafe<Omit<SegmentRebuild, 'segmentId'>[]>(text, p.params.values);
  return { segmentId: input.segment.id, ...row! };
}

/**
 * The contacts whose membership of a dynamic segment its rule would change now (members it no
 * longer matches, matches not yet members), by a plain read over the whole base that writes and
 * locks nothing; in id order. A re-check repairs those alone, under the lock (see
 * `recheckSegments`).
 */
export async function findSegmentDrift(
  sql: Sql,
  input: { workspaceId: string; segment: DynamicSegment; now: Date },
): Promise<string[]> {
  const params = new SqlParams();
  const ws = params.uuid(input.workspaceId);
  const seg = params.uuid(input.segment.id);
  const matching = compileMembersSelect(input.segment.rule, {
    params,
    workspace: ws,
    now: params.timestamp(input.now),
    at: input.now,
  });
  const text = `with matching as materialized (${matching})
select id::text as id from (
  select m.id from matching m
  where not exists (select 1 from segment_members x where x.segment_id = ${seg} and x.contact_id = m.id)
  union all
  select sm.contact_id from segment_members sm
  where sm.segment_id = ${seg} and not exists (select 1 from matching m where m.id = sm.contact_id)
) drifted order by drifted.id`;
  return sql.begin(async (tx) => {
    await useWholeBaseSettings(tx);
    const rows = await tx.unsafe<{ id: string }[]>(text, params.values);
    return rows.map((r) => r.id);
  });
}

export interface SettleResult {
  /** segment_changes ids written: hand them to JourneyDispatcher.segmentsChanged. */
  changeIds: string[];
  /** Contacts whose score or score tags changed: JourneyDispatcher.contactsChanged. */
  changedContactIds: string[];
  /**
   * With `outbox`: the journey_outbox rows of the transactions that changed something, to
   * delete once their changes are dispatched.
   */
  outboxIds: string[];
}

const SETTLE_CHUNK = 1_000;

export interface SettleInput {
  workspaceId: string;
  contactIds: readonly string[];
  now: Date;
  cause: string;
  /**
   * What is new for these contacts, when known: the names of the events each received. Such a
   * contact is re-checked against the segments and scoring rules that read those events (time
   * passing is the tick's business); contacts in `everything` (new, or properties changed)
   * against all. Absent: every contact against everything.
   */
  changed?:
    { events: ReadonlyMap<string, readonly string[]>; everything: readonly string[] } | undefined;
  /**
   * Write the changes into the journey outbox in the same transaction, for a caller that then
   * dispatches them and deletes the row: a process stopping in between loses no journey start.
   */
  outbox?: boolean | undefined;
}

const intersects = (a: ReadonlySet<string>, b: readonly string[] | undefined) =>
  b !== undefined && b.some((x) => a.has(x));

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
  if (ids.length === 0) return { changeIds: [], changedContactIds: [], outboxIds: [] };
  // Pipelined: sent together, run one after the other (locks first), one round trip in all.
  const [, , , scoring, segments] = await Promise.all([
    lockWorkspaceShared(tx, input.workspaceId),
    lockContacts(tx, ids),
    // Only committed queue rows are visible here, and their facts with them; rows another
    // transaction is about to commit stay queued for the settle that transaction triggers.
    // The rows are found by contact and locked, taken once (an array), then deleted by their
    // address, which the lock holds still; by keys only, since statistics that think the busy
    // queue nearly empty misled every plan: `id in (subquery)` re-ran the locking subquery for
    // every queued row (23 s for 1,000 contacts), `id = any(…)` walked the (workspace, id)
    // index (50 ms), and the contacts' rows were found by reading the whole queue.
    byKeys(
      tx,
      tx`
        delete from segment_queue where ctid = any(array(
          select ctid from segment_queue where contact_id = any(${ids}::uuid[]) for update skip locked))`,
    ),
    getScoring(tx, input.workspaceId),
    loadDynamicSegments(tx, input.workspaceId),
  ]);
  const changed = input.changed;
  const everything = new Set(changed ? changed.everything : ids);
  // The contacts a reader of these facts must re-check.
  const due = (events: ReadonlySet<string>, also: (id: string) => boolean) =>
    changed
      ? ids.filter(
          (id) => everything.has(id) || intersects(events, changed.events.get(id)) || also(id),
        )
      : ids;
  const rescored = due(new Set(scoring.rules.map((r) => r.event)), () => false);
  const rescoring =
    rescored.length === 0
      ? Promise.resolve([])
      : rescoreContacts(
          tx,
          { workspaceId: input.workspaceId, contactIds: rescored, now: input.now },
          scoring,
        );
  // Its rejection is thrown where it is awaited below, never left unhandled.
  rescoring.catch(() => {});
  let scoreChanged: ReadonlySet<string> | undefined;
  const moved = new Map<string, Set<string>>();
  const changeIds: string[] = [];
  for (const level of levelsOf(segments)) {
    const reads = level.map((segment) => readsOf(segment.rule));
    // Only a level that reads contact fields waits for the new scores; the others are sent
    // right behind the rescore, pipelined (one round trip fewer).
    if (reads.some((r) => r.contact)) scoreChanged ??= new Set(await rescoring);
    const work = level.flatMap((segment, i) => {
      const { events, contact, segments: deps } = reads[i]!;
      const targets = due(
        events,
        (id) =>
          (contact && scoreChanged!.has(id)) ||
          [...deps].some((dep) => moved.get(dep)?.has(id) === true),
      );
      return targets.length === 0 ? [] : [{ segment, targets }];
    });
    const diffs = await applySegmentRules(tx, {
      ...input,
      items: work.map(({ segment, targets }) => ({ segment, contactIds: targets })),
    }).catch(async (error: unknown) => {
      await rescoring; // a failed rescore aborted the transaction: its error is the one to tell
      throw error;
    });
    for (const diff of diffs) {
      changeIds.push(...diff.changeIds);
      if (diff.contactIds.length > 0)
        moved.set(diff.segmentId.toLowerCase(), new Set(diff.contactIds));
    }
  }
  const changedContactIds = await rescoring;
  const outboxId = input.outbox
    ? await writeJourneyOutbox(tx, input.workspaceId, {
        changeIds,
        contactIds: changedContactIds,
      })
    : null;
  return { changeIds, changedContactIds, outboxIds: outboxId === null ? [] : [outboxId] };
}

/**
 * Settles of many contacts are split over this many transactions running at once: a settle is
 * one PostgreSQL backend's CPU, and the contacts' checks are independent (disjoint locks and
 * rows), so a large one finishes in about half the time on two cores.
 */
const SETTLE_PARALLEL = 2;
/** Below this many contacts a part is not worth its own transaction. */
const SETTLE_MIN_PART = 250;

/**
 * settleContactsIn in transactions of at most 1,000 contacts (bounded locks and latency), up to
 * SETTLE_PARALLEL of them at a time.
 */
export async function settleContacts(sql: Sql, input: SettleInput): Promise<SettleResult> {
  const ids = [...new Set([...input.contactIds, ...(input.changed?.everything ?? [])])].sort();
  if (ids.length === 0) return { changeIds: [], changedContactIds: [], outboxIds: [] };
  const everything = new Set(input.changed?.everything ?? []);
  const parts = Math.max(1, Math.min(SETTLE_PARALLEL, Math.floor(ids.length / SETTLE_MIN_PART)));
  const size = Math.min(SETTLE_CHUNK, Math.ceil(ids.length / parts));
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  const settled = await mapLimit(chunks, parts, (chunk) => {
    const changed = input.changed && {
      events: input.changed.events,
      everything: chunk.filter((id) => everything.has(id)),
    };
    return sql.begin((tx) => settleContactsIn(tx, { ...input, contactIds: chunk, changed }));
  });
  return {
    changeIds: settled.flatMap((r) => r.changeIds),
    changedContactIds: settled.flatMap((r) => r.changedContactIds),
    outboxIds: settled.flatMap((r) => r.outboxIds),
  };
}
