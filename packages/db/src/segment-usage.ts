import { describeNode } from '@relance/flow';
import { DataError } from './data-error';
import type { Sql, TransactionSql } from './sql';

/** A journey step (or the journey's settings) that names a segment. */
export interface SegmentUseInJourney {
  journeyId: string;
  journeyName: string;
  /** The published version, or null for the draft. */
  version: number | null;
  /** The step's node id; null when the journey's settings (exit conditions) name it. */
  nodeId: string | null;
  /** The step as a marketer reads it ("Add to Reactivation"). */
  step: string;
  /** Where in the node (or the document, for settings) the id sits: `config.add.0`. */
  field: string;
}

/** Another segment whose rule reads this one. */
export interface SegmentUseInRule {
  segmentId: string;
  segmentName: string;
  /** Where in the rule: `conditions.1.segmentId`. */
  field: string;
}

export interface SegmentUses {
  journeys: SegmentUseInJourney[];
  segments: SegmentUseInRule[];
}

/** The paths under `at` of every string in `value` equal to `id` (compared case-insensitively). */
function pathsOf(value: unknown, id: string, at: string): string[] {
  if (typeof value === 'string') return value.toLowerCase() === id ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => pathsOf(v, id, `${at}.${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => pathsOf(v, id, at ? `${at}.${k}` : k));
  }
  return [];
}

interface StoredDocument {
  nodes?: { id?: unknown; kind?: unknown; config?: unknown }[];
  settings?: unknown;
}

/**
 * Every journey step (drafts and every published version: a version's runs may still reach it)
 * and every segment rule that names a segment. Documents are walked as JSON rather than parsed,
 * so a half-finished draft that would not validate is still found.
 */
export async function findSegmentUses(
  sql: Sql | TransactionSql,
  workspaceId: string,
  segmentId: string,
): Promise<SegmentUses> {
  const id = segmentId.toLowerCase();
  const mention = `%${id}%`;
  const documents = await sql<
    { journeyId: string; journeyName: string; version: number | null; document: StoredDocument }[]
  >`
    select j.id as journey_id, j.name as journey_name, null::int as version, j.draft as document
    from journeys j where j.workspace_id = ${workspaceId} and j.draft::text ilike ${mention}
    union all
    select j.id, j.name, v.version, v.document
    from journey_versions v join journeys j on j.id = v.journey_id
    where v.workspace_id = ${workspaceId} and v.document::text ilike ${mention}
    order by journey_name, journey_id, version nulls first`;
  const names = new Map(
    (
      await sql<{ id: string; name: string }[]>`
        select id, name from segments where workspace_id = ${workspaceId}`
    ).map((s) => [s.id, s.name]),
  );
  const segmentName = (s: string) => names.get(s.toLowerCase());
  const journeys = documents.flatMap(({ document, ...journey }) => [
    ...(document.nodes ?? []).flatMap((node) =>
      pathsOf(node.config, id, 'config').map((field) => ({
        ...journey,
        nodeId: String(node.id),
        step: describeNode({ kind: String(node.kind), config: node.config }, { segmentName }),
        field,
      })),
    ),
    ...pathsOf(document.settings, id, 'settings').map((field) => ({
      ...journey,
      nodeId: null,
      step: 'Exit conditions',
      field,
    })),
  ]);
  const rules = await sql<{ id: string; name: string; rule: unknown }[]>`
    select id, name, rule from segments
    where workspace_id = ${workspaceId} and id <> ${id} and rule::text ilike ${mention}
    order by name`;
  const segments = rules.flatMap((r) =>
    pathsOf(r.rule, id, '').map((field) => ({ segmentId: r.id, segmentName: r.name, field })),
  );
  return { journeys, segments };
}

/** "draft" or "version 3", as a marketer reads it. */
export const versionLabel = (version: number | null) =>
  version === null ? 'draft' : `version ${version}`;

/** Refusal to delete a segment that journeys or other segments still use; lists each use. */
export class SegmentInUseError extends DataError {
  constructor(readonly uses: SegmentUses) {
    super('segment_in_use', 409, describeUses(uses));
  }
}

function describeUses(uses: SegmentUses): string {
  const where = (u: SegmentUseInJourney) =>
    `journey "${u.journeyName}" (${versionLabel(u.version)}: ${u.step})`;
  const parts = [
    ...uses.journeys.map(where),
    ...[...new Set(uses.segments.map((s) => s.segmentName))].map((n) => `segment "${n}"`),
  ];
  return `This segment is still used by ${parts.join('; ')}. Remove it there first, then delete it.`;
}
