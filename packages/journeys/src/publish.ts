import {
  countRunsByStatus,
  findReferenceIds,
  findWaitingRuns,
  insertJourneyVersion,
  listKnownProperties,
  type Sql,
} from '@relance/db';
import { compile, flowWarnings, validate, type FlowPlan, type FlowProblem } from '@relance/flow';
import { SIGNALS } from '@relance/workflows/contracts';
import { startDateScanner } from './date-scanner';
import { messageOf, type RuntimeDeps } from './runtime-deps';
import { keepScannerStart, signalRunsOrKeep } from './redelivery';

/** What happens to runs in flight when a new version goes live. */
export type CarryOver = 'keep' | 'move';

/** Checks a document against the flow language and the workspace's segments, templates and topics. */
export async function validateJourney(
  sql: Sql,
  workspaceId: string,
  document: unknown,
): Promise<FlowProblem[]> {
  const refs = await findReferenceIds(sql, workspaceId);
  return validate(document, {
    // Names, not ids, in the problems' sentences.
    segmentName: (id: string) => refs.segmentNames.get(id),
    templateName: (id: string) => refs.templateNames.get(id),
    ...(refs.segments ? { segmentExists: (id: string) => refs.segments!.has(id) } : {}),
    segmentKind: (id: string) => refs.segmentKinds.get(id),
    ...(refs.templates ? { templateExists: (id: string) => refs.templates!.has(id) } : {}),
    archivedTemplateName: (id: string) =>
      refs.archivedTemplates.has(id) ? refs.templateNames.get(id) : undefined,
    ...(refs.topics ? { topicExists: (key: string) => refs.topics!.has(key) } : {}),
  });
}

/** What publishing shows but does not refuse: events the workspace has not received yet. */
export async function warnJourney(
  sql: Sql,
  workspaceId: string,
  document: unknown,
): Promise<FlowProblem[]> {
  const known = new Set((await listKnownProperties(sql, workspaceId)).events.map((e) => e.name));
  return flowWarnings(document, { eventKnown: (name) => known.has(name) });
}

/** How many in-flight runs each carry-over choice affects. */
export interface CarryOverPreview {
  /** Open runs of the journey (they stay on their version with `keep`). */
  inFlight: number;
  /** Runs waiting at a node whose id and kind the new version keeps (moved with `move`). */
  movable: number;
  /** Per waiting node: how many wait there, and how many of them `move` would carry over. */
  byNode: Record<string, { waiting: number; movable: number }>;
}

async function movableRuns(deps: RuntimeDeps, journeyId: string, plan: FlowPlan) {
  const waiting = await findWaitingRuns(deps.sql, journeyId);
  return waiting.map((run) => ({
    ...run,
    movable: plan.nodes[run.nodeId]?.kind === run.kind,
  }));
}

/** Counts, before publishing `plan`, the runs `keep` and `move` would affect. */
export async function previewCarryOver(
  deps: RuntimeDeps,
  journeyId: string,
  plan: FlowPlan,
): Promise<CarryOverPreview> {
  const counts = await countRunsByStatus(deps.sql, journeyId);
  const runs = await movableRuns(deps, journeyId, plan);
  const byNode: CarryOverPreview['byNode'] = {};
  for (const run of runs) {
    const entry = (byNode[run.nodeId] ??= { waiting: 0, movable: 0 });
    entry.waiting += 1;
    if (run.movable) entry.movable += 1;
  }
  return {
    inFlight: counts.active + counts.held,
    movable: runs.filter((r) => r.movable).length,
    byNode,
  };
}

export type PublishResult =
  | { ok: true; versionId: string; version: number; plan: FlowPlan; moved: number }
  | { ok: false; errors: FlowProblem[] };

/**
 * Validates and compiles `document`, stores it as the journey's next (immutable) version and
 * makes it live. With `move`, runs waiting at nodes the new version keeps are signalled to
 * carry over; each checks the node again before it moves.
 */
export async function publishJourney(
  deps: RuntimeDeps,
  input: {
    workspaceId: string;
    journeyId: string;
    document: Record<string, unknown>;
    carryOver: CarryOver;
  },
): Promise<PublishResult> {
  const errors = await validateJourney(deps.sql, input.workspaceId, input.document);
  if (errors.length > 0) return { ok: false, errors };
  const plan = compile(input.document);
  const version = await deps.sql.begin((tx) =>
    insertJourneyVersion(tx, {
      workspaceId: input.workspaceId,
      journeyId: input.journeyId,
      document: input.document,
      plan,
    }),
  );
  if (plan.trigger.kind === 'trigger.date') {
    // The version is live: a scanner Temporal does not take now is started by the worker.
    try {
      await startDateScanner(deps, input.journeyId);
    } catch (error) {
      await keepScannerStart(deps, {
        workspaceId: input.workspaceId,
        journeyId: input.journeyId,
        error: messageOf(error),
      });
    }
  }
  let moved = 0;
  if (input.carryOver === 'move') {
    const runs = (await movableRuns(deps, input.journeyId, plan)).filter(
      (r) => r.movable && r.versionId !== version.id,
    );
    moved = await signalRunsOrKeep(
      deps,
      input.workspaceId,
      runs.map((r) => ({
        workflowId: r.workflowId,
        name: SIGNALS.moveToVersion,
        args: [{ journeyVersionId: version.id }],
      })),
    );
  }
  return { ok: true, versionId: version.id, version: version.version, plan, moved };
}
