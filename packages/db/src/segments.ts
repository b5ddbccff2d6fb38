import { assertNever, type Condition } from '@relance/flow';
import {
  compileMembersQuery,
  compilePreviewQuery,
  dependenciesOf,
  findCycle,
  SegmentRuleError,
  UUID,
  type PreviewContact,
} from '@relance/segments';
import { DataError, notFoundError } from './data-error';
import { writeJourneyOutbox } from './journey-dispatch-outbox';
import {
  loadDynamicSegments,
  rebuildSegment,
  useWholeBaseSettings,
  type SegmentRebuild,
} from './segment-engine';
import { lockWorkspaceExclusive } from './segment-locks';
import { findSegmentUses, SegmentInUseError } from './segment-usage';
import { cancellable, type Sql, type TransactionSql } from './sql';

export type SegmentKind = 'static' | 'dynamic';

export interface Segment {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  kind: SegmentKind;
  rule: Condition | null;
  /** Key of a built-in lifecycle segment (`prospects`, `inactive`, …); null for the marketer's own. */
  builtin: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SegmentStats {
  memberCount: number;
  /** Contacts in the workspace (merged ones excluded). */
  totalContacts: number;
  /** memberCount / totalContacts, 0 when there are no contacts. */
  share: number;
  /** Set when the segment holds more than half of the base. */
  warning: string | null;
}

/** A segment a marketer's `share` should be warned about: more than half the base. */
export function statsOf(memberCount: number, totalContacts: number): SegmentStats {
  const share = totalContacts === 0 ? 0 : memberCount / totalContacts;
  return {
    memberCount,
    totalContacts,
    share,
    warning:
      share > 0.5
        ? `This segment holds ${Math.round(share * 100)}% of all contacts: more than half of the base`
        : null,
  };
}

export async function countContacts(
  sql: Sql | TransactionSql,
  workspaceId: string,
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from contacts where workspace_id = ${workspaceId} and merged_into is null`;
  return row!.n;
}

export async function listSegments(
  sql: Sql,
  workspaceId: string,
): Promise<(Segment & { memberCount: number })[]> {
  return sql<(Segment & { memberCount: number })[]>`
    select s.*, (select count(*) from segment_members m where m.segment_id = s.id)::int as member_count
    from segments s where s.workspace_id = ${workspaceId}
    order by s.builtin is not null, lower(s.name), s.name`;
}

export async function getSegment(
  sql: Sql | TransactionSql,
  workspaceId: string,
  id: string,
): Promise<Segment | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await sql<Segment[]>`
    select * from segments where workspace_id = ${workspaceId} and id = ${id}`;
  return row;
}

/** The segment with its live member count, share of the base and the >50% warning. */
export async function getSegmentWithStats(
  sql: Sql,
  workspaceId: string,
  id: string,
): Promise<(Segment & SegmentStats) | undefined> {
  const segment = await getSegment(sql, workspaceId, id);
  if (!segment) return undefined;
  const [[members], total] = await Promise.all([
    sql<{ n: number }[]>`select count(*)::int as n from segment_members where segment_id = ${id}`,
    countContacts(sql, workspaceId),
  ]);
  return { ...segment, ...statsOf(members!.n, total) };
}

/** Every membership leaf of a rule with its path (`conditions.1.segmentId`). */
function segmentReferences(rule: Condition, path = ''): { field: string; segmentId: string }[] {
  const at = (...parts: (string | number)[]) => [path, ...parts].filter((p) => p !== '').join('.');
  switch (rule.kind) {
    case 'all':
    case 'any':
      return rule.conditions.flatMap((c, i) => segmentReferences(c, at('conditions', i)));
    case 'not':
      return segmentReferences(rule.condition, at('condition'));
    case 'segment':
      return [{ field: at('segmentId'), segmentId: rule.segmentId }];
    case 'property':
    case 'tag':
    case 'score':
    case 'event_count':
    case 'event_last':
    case 'event_aggregate':
    case 'email':
      return [];
    default:
      return assertNever(rule);
  }
}

/**
 * Checks a rule before it is saved: it compiles, every segment it reads exists in the
 * workspace, and no segment ends up reading itself. Errors name the field under `rule`.
 */
export async function checkRule(
  tx: TransactionSql | Sql,
  input: { workspaceId: string; segmentId: string | null; name: string; rule: Condition },
): Promise<void> {
  try {
    compileMembersQuery(input.rule, { workspaceId: input.workspaceId, now: new Date() });
  } catch (error) {
    if (error instanceof SegmentRuleError) {
      throw new DataError(
        'invalid_rule',
        400,
        error.message,
        ['rule', error.field].filter(Boolean).join('.'),
      );
    }
    throw error;
  }
  const others = await tx<{ id: string; name: string; rule: Condition | null }[]>`
    select id, name, rule from segments where workspace_id = ${input.workspaceId}`;
  const ids = new Set(others.map((s) => s.id));
  for (const ref of segmentReferences(input.rule)) {
    if (!ids.has(ref.segmentId.toLowerCase())) {
      throw new DataError(
        'invalid_rule',
        400,
        `No segment has the id ${ref.segmentId}`,
        `rule.${ref.field}`,
      );
    }
  }
  const self = input.segmentId ?? 'new';
  const nodes = [
    ...others.filter((s) => s.id !== input.segmentId).map((s) => ({ id: s.id, rule: s.rule })),
    { id: self, rule: input.rule },
  ];
  const found = findCycle(nodes);
  if (found) {
    // Told from the segment being saved: "A → B → A" when editing A.
    const loop = found.slice(0, -1);
    const start = Math.max(0, loop.indexOf(self));
    const cycle = [...loop.slice(start), ...loop.slice(0, start), loop[start]!];
    const names = new Map<string, string>([
      ...others.map((s) => [s.id, s.name] as const),
      [self, input.name],
    ]);
    throw new DataError(
      'segment_cycle',
      400,
      `Segments cannot contain each other: ${cycle.map((id) => names.get(id) ?? id).join(' → ')}`,
      'rule',
    );
  }
}

/** What a rule would hold now: its stats and the newest matching contacts. */
export interface RulePreview extends SegmentStats {
  count: number;
  sample: PreviewContact[];
}

/**
 * The segment builder's preview of a rule being edited: checked as a save would check it, then
 * counted over the whole base with the newest `sampleSize` members, in one statement. At a
 * million contacts that statement takes up to seconds; `signal` cancels it when the marketer's
 * next edit has made it moot.
 */
export async function previewRule(
  sql: Sql,
  input: {
    workspaceId: string;
    rule: Condition;
    now: Date;
    sampleSize?: number;
    signal?: AbortSignal;
  },
): Promise<RulePreview> {
  await checkRule(sql, { ...input, segmentId: null, name: 'Preview' });
  const query = compilePreviewQuery(input.rule, { ...input, sampleSize: input.sampleSize ?? 20 });
  const [row] = await sql.begin(async (tx) => {
    await useWholeBaseSettings(tx);
    return cancellable(
      tx.unsafe<{ count: number; total: number; sample: PreviewContact[] }[]>(
        query.text,
        query.values,
      ),
      input.signal,
    );
  });
  return { ...statsOf(row!.count, row!.total), count: row!.count, sample: row!.sample };
}

function nameTaken(error: unknown): boolean {
  const e = error as { code?: string; constraint_name?: string };
  return e.code === '23505' && e.constraint_name === 'segments_workspace_name';
}

export interface SegmentInput {
  name: string;
  description?: string;
  kind: SegmentKind;
  rule?: Condition | null;
  builtin?: string | null;
}

/**
 * Creates a segment; a dynamic one is evaluated over the whole base at once and every member's
 * entry is logged (cause `rule`). The caller dispatches the rebuild's changes.
 */
export async function createSegment(
  sql: Sql,
  input: SegmentInput & {
    workspaceId: string;
    now: Date;
    /**
     * Also write the rebuild's journey outbox row (the segment and its change-id range) in the
     * transaction, for a caller that clears it once the changes were dispatched.
     */
    outbox?: boolean | undefined;
  },
): Promise<{ segment: Segment; rebuild: SegmentRebuild | null; outboxIds: string[] }> {
  if ((input.kind === 'dynamic') !== (input.rule !== undefined && input.rule !== null)) {
    throw new DataError(
      'invalid_segment',
      400,
      input.kind === 'dynamic' ? 'A dynamic segment needs a rule' : 'A static segment has no rule',
      'rule',
    );
  }
  try {
    return await sql.begin(async (tx) => {
      if (input.rule) {
        await lockWorkspaceExclusive(tx, input.workspaceId);
        await checkRule(tx, {
          workspaceId: input.workspaceId,
          segmentId: null,
          name: input.name,
          rule: input.rule,
        });
      }
      const [segment] = await tx<Segment[]>`
        insert into segments (workspace_id, name, description, kind, rule, builtin, created_at, updated_at)
        values (${input.workspaceId}, ${input.name.trim()}, ${input.description ?? ''}, ${input.kind},
          ${input.rule ? tx.json(input.rule) : null}, ${input.builtin ?? null}, ${input.now}, ${input.now})
        returning *`;
      const rebuild = input.rule
        ? await rebuildSegment(tx, {
            workspaceId: input.workspaceId,
            segment: { id: segment!.id, rule: input.rule },
            now: input.now,
            cause: 'rule',
          })
        : null;
      const outboxId =
        input.outbox && rebuild
          ? await writeJourneyOutbox(tx, input.workspaceId, { rebuilds: [rebuild] })
          : null;
      return { segment: segment!, rebuild, outboxIds: outboxId === null ? [] : [outboxId] };
    });
  } catch (error) {
    if (nameTaken(error)) {
      throw new DataError(
        'name_taken',
        409,
        `A segment named "${input.name.trim()}" already exists`,
        'name',
      );
    }
    throw error;
  }
}

/**
 * Renames, re-describes or re-rules a segment. A new rule re-evaluates the segment and then
 * every segment that reads it, over the whole base; their changes are logged (cause `rule`).
 */
export async function updateSegment(
  sql: Sql,
  input: {
    workspaceId: string;
    id: string;
    name?: string | undefined;
    description?: string | undefined;
    rule?: Condition | undefined;
    now: Date;
    /** Also write the rebuilds' journey outbox row in the transaction (see createSegment). */
    outbox?: boolean | undefined;
  },
): Promise<{ segment: Segment; rebuilds: SegmentRebuild[]; outboxIds: string[] }> {
  try {
    return await sql.begin(async (tx) => {
      const current = await getSegment(tx, input.workspaceId, input.id);
      if (!current) throw notFoundError('The segment');
      if (input.rule !== undefined) {
        if (current.kind !== 'dynamic') {
          throw new DataError(
            'not_dynamic',
            400,
            'A static segment has no rule: its members are added and removed',
            'rule',
          );
        }
        await lockWorkspaceExclusive(tx, input.workspaceId);
        await checkRule(tx, {
          workspaceId: input.workspaceId,
          segmentId: current.id,
          name: input.name ?? current.name,
          rule: input.rule,
        });
      }
      const [segment] = await tx<Segment[]>`
        update segments set
          name = ${input.name?.trim() ?? current.name},
          description = ${input.description ?? current.description},
          rule = ${input.rule ? tx.json(input.rule) : current.rule ? tx.json(current.rule) : null},
          updated_at = ${input.now}
        where id = ${current.id}
        returning *`;
      const rebuilds: SegmentRebuild[] = [];
      if (input.rule !== undefined) {
        // The edited segment and everything that reads it, dependencies first.
        const affected = new Set([current.id]);
        for (const s of await loadDynamicSegments(tx, input.workspaceId)) {
          if (!affected.has(s.id) && !dependenciesOf(s.rule).some((id) => affected.has(id)))
            continue;
          affected.add(s.id);
          rebuilds.push(
            await rebuildSegment(tx, {
              workspaceId: input.workspaceId,
              segment: s,
              now: input.now,
              cause: 'rule',
            }),
          );
        }
      }
      const outboxId = input.outbox
        ? await writeJourneyOutbox(tx, input.workspaceId, { rebuilds })
        : null;
      return { segment: segment!, rebuilds, outboxIds: outboxId === null ? [] : [outboxId] };
    });
  } catch (error) {
    if (nameTaken(error)) {
      throw new DataError(
        'name_taken',
        409,
        `A segment named "${input.name?.trim()}" already exists`,
        'name',
      );
    }
    throw error;
  }
}

/** Deletes a segment no other segment reads. */
export async function deleteSegment(sql: Sql, workspaceId: string, id: string): Promise<void> {
  await sql.begin(async (tx) => {
    const segment = await getSegment(tx, workspaceId, id);
    if (!segment) throw notFoundError('The segment');
    // A marketer must know every place to change: journeys' steps (drafts and versions) and rules.
    const uses = await findSegmentUses(tx, workspaceId, id);
    if (uses.journeys.length > 0 || uses.segments.length > 0) throw new SegmentInUseError(uses);
    await tx`delete from segments where id = ${id}`;
  });
}
