import {
  countRunsByStatus,
  findReferenceIds,
  findWaitingRuns,
  insertJourneyVersion,
  listKnownProperties,
  type Sql,
  type TransactionSql,
} from '@relance/db';
import {
  compile,
  flowWarnings,
  nodeReferences,
  validate,
  type FlowDocument,
  type FlowPlan,
  type FlowProblem,
} from '@relance/flow';
import { SIGNALS } from '@relance/workflows/contracts';
import { startDateScanner } from './date-scanner';
import { messageOf, type RuntimeDeps } from './runtime-deps';
import { keepScannerStart, signalRunsOrKeep } from './redelivery';

// Advisory lock key (two-int form, beside segment-locks' 7_305_524/5 and the send cap's
// 7_305_526): a workspace's topics. Publishing a journey and saving a template take it shared
// around their check that the topics they name exist and their write; deleting a topic takes it
// exclusively around its check that nothing names the topic and its delete. Either way, one
// commits before the other checks, which then sees it.
const TOPICS_SPACE = 7_305_527;

/** Holds the workspace's topics lock until the transaction ends (see TOPICS_SPACE). */
export async function lockTopics(
  tx: Sql | TransactionSql,
  workspaceId: string,
  mode: 'shared' | 'exclusive',
): Promise<void> {
  await (mode === 'shared'
    ? tx`select pg_advisory_xact_lock_shared(${TOPICS_SPACE}, hashtext(${workspaceId}))`
    : tx`select pg_advisory_xact_lock(${TOPICS_SPACE}, hashtext(${workspaceId}))`);
}

/**
 * Runs `work` in one transaction holding the workspace's topics lock, on a reserved connection:
 * the store's queries, written for the pool, run in that transaction as they are.
 */
export async function withTopicsLocked<T>(
  sql: Sql,
  workspaceId: string,
  mode: 'shared' | 'exclusive',
  work: (sql: Sql) => Promise<T>,
): Promise<T> {
  const connection = await sql.reserve();
  try {
    await connection`begin`;
    try {
      await lockTopics(connection, workspaceId, mode);
      const result = await work(connection);
      await connection`commit`;
      return result;
    } catch (error) {
      // A connection that failed cannot roll back either: the first error is the one to report.
      await connection`rollback`.catch(() => undefined);
      throw error;
    }
  } finally {
    connection.release();
  }
}

/** The topics a valid document's steps send under. */
function namedTopics(document: Record<string, unknown>): string[] {
  const { nodes } = document as FlowDocument;
  const keys = nodes.flatMap((node) =>
    nodeReferences(node).flatMap((ref) => (ref.type === 'topic' ? [ref.id] : [])),
  );
  return [...new Set(keys)];
}

/** Whether every topic in `keys` exists, read in the caller's transaction. */
async function topicsExist(tx: TransactionSql, workspaceId: string, keys: string[]) {
  if (keys.length === 0) return true;
  const rows = await tx`
    select key from email_topics where workspace_id = ${workspaceId} and key = any(${keys})`;
  return rows.length === keys.length;
}

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
  /**
   * Per version id: how many runs wait on it. Entries kept finish on their own version, which
   * is not the live one for runs an earlier publish left where they were.
   */
  byVersion: Record<string, number>;
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
  const byVersion: CarryOverPreview['byVersion'] = {};
  for (const run of runs) {
    byVersion[run.versionId] = (byVersion[run.versionId] ?? 0) + 1;
    const entry = (byNode[run.nodeId] ??= { waiting: 0, movable: 0 });
    entry.waiting += 1;
    if (run.movable) entry.movable += 1;
  }
  return {
    inFlight: counts.active + counts.held,
    movable: runs.filter((r) => r.movable).length,
    byNode,
    byVersion,
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
  const topics = namedTopics(input.document);
  const version = await deps.sql.begin(async (tx) => {
    // Checked again under the lock: a topic deleted since the check above is not published.
    await lockTopics(tx, input.workspaceId, 'shared');
    if (!(await topicsExist(tx, input.workspaceId, topics))) return null;
    return insertJourneyVersion(tx, {
      workspaceId: input.workspaceId,
      journeyId: input.journeyId,
      document: input.document,
      plan,
    });
  });
  if (!version) {
    // The check above now names the deleted topic (one created again meanwhile is published).
    const problems = await validateJourney(deps.sql, input.workspaceId, input.document);
    return problems.length > 0 ? { ok: false, errors: problems } : publishJourney(deps, input);
  }
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
