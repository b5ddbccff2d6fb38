import { describeNode } from '@relance/flow';
import { DataError } from './data-error';
import type { Sql, TransactionSql } from './sql';

/** A journey step (or the journey's settings) that names a segment. */
export interface SegmentUseInJourney {
  journeyId: string;
  journeyName: string;
  /** `draft` until first published, then `active`, `paused` or `stopped`. */
  journeyStatus: JourneyUseStatus;
  /** The published version, or null for the draft. */
  version: number | null;
  /** This version is the one new entries take (the journey is active or paused). */
  live: boolean;
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

export type JourneyUseStatus = 'draft' | 'active' | 'paused' | 'stopped';

/** One journey that uses a segment, once, with where and what to do about it. */
export interface JourneyUsingSegment {
  journeyId: string;
  journeyName: string;
  status: JourneyUseStatus;
  /** Its draft names the segment: removing it there and saving releases the draft. */
  inDraft: boolean;
  /** The live version names it: published versions cannot be edited, so stop or republish. */
  liveVersion: number | null;
  /** Older versions that runs are still going through and that name it. */
  runningVersions: number[];
  /** The steps that name it, as a marketer reads them, each once. */
  steps: string[];
  /** What the marketer does next, in words. */
  nextStep: string;
}

/** The journeys of `uses`, each once, in the order found (by name). */
export function journeysUsing(uses: SegmentUses): JourneyUsingSegment[] {
  const byId = new Map<string, JourneyUsingSegment>();
  for (const u of uses.journeys) {
    let j = byId.get(u.journeyId);
    if (!j) {
      j = {
        journeyId: u.journeyId,
        journeyName: u.journeyName,
        status: u.journeyStatus,
        inDraft: false,
        liveVersion: null,
        runningVersions: [],
        steps: [],
        nextStep: '',
      };
      byId.set(u.journeyId, j);
    }
    if (u.version === null) j.inDraft = true;
    else if (u.live) j.liveVersion = u.version;
    else if (!j.runningVersions.includes(u.version)) j.runningVersions.push(u.version);
    if (!j.steps.includes(u.step)) j.steps.push(u.step);
  }
  return [...byId.values()].map((j) => ({ ...j, nextStep: nextStepFor(j) }));
}

function nextStepFor(j: Omit<JourneyUsingSegment, 'nextStep'>): string {
  const steps = j.steps.join('; ');
  if (j.liveVersion !== null) {
    return `It is ${j.status === 'paused' ? 'paused' : 'live'} and its published version ${j.liveVersion} cannot be edited: stop the journey, or publish a version without the segment (${steps})${j.runningVersions.length > 0 ? ' and stop the journey once nobody is left in older versions' : ''}.`;
  }
  if (j.runningVersions.length > 0) {
    const versions = j.runningVersions.map((v) => `version ${v}`).join(', ');
    return `People are still going through ${versions}, which ${j.runningVersions.length === 1 ? 'uses' : 'use'} it (${steps}): wait until they have finished, or stop the journey.`;
  }
  return j.status === 'draft'
    ? `Remove it from the draft (${steps}) and save, or delete the draft.`
    : `Remove it from the draft (${steps}) and save.`;
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
 * Every journey step and every segment rule that names a segment. A journey's uses are, as for
 * tags, its draft (unless it was stopped for good, when it can no longer be published), its live
 * version, and any version that runs are still going through: stopping a journey releases its
 * segments. Documents are walked as JSON rather than parsed, so a half-finished draft that would
 * not validate is still found.
 */
export async function findSegmentUses(
  sql: Sql | TransactionSql,
  workspaceId: string,
  segmentId: string,
): Promise<SegmentUses> {
  const id = segmentId.toLowerCase();
  const mention = `%${id}%`;
  const documents = await sql<
    {
      journeyId: string;
      journeyName: string;
      journeyStatus: JourneyUseStatus;
      version: number | null;
      live: boolean;
      document: StoredDocument;
    }[]
  >`
    select j.id as journey_id, j.name as journey_name, j.status as journey_status,
      null::int as version, false as live, j.draft as document
    from journeys j
    where j.workspace_id = ${workspaceId} and j.status <> 'stopped'
      and j.draft::text ilike ${mention}
    union all
    select j.id, j.name, j.status, v.version,
      v.id = j.live_version_id and j.status in ('active', 'paused'), v.document
    from journey_versions v join journeys j on j.id = v.journey_id
    where v.workspace_id = ${workspaceId} and v.document::text ilike ${mention}
      and ((v.id = j.live_version_id and j.status in ('active', 'paused'))
        or exists (
          select 1 from journey_runs r
          where r.journey_id = v.journey_id and r.status in ('active', 'held')
            and r.version_id = v.id))
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
  const parts = [
    ...journeysUsing(uses).map((j) => `Journey "${j.journeyName}": ${j.nextStep}`),
    ...[...new Set(uses.segments.map((s) => s.segmentName))].map(
      (n) => `Segment "${n}": change its rule so that it no longer reads this one.`,
    ),
  ];
  return `This segment cannot be deleted while it is used. ${parts.join(' ')}`;
}
