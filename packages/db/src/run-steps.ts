import { OUT } from '@relance/flow';
import type { Queryable } from './queryable';

export type StepOutcome =
  'waiting' | 'held' | 'done' | 'skipped' | 'failed' | 'exited' | 'converted';

/** One step as the interpreter reports it (times in epoch ms, workflow time). */
export interface StepWrite {
  seq: number;
  nodeId: string;
  kind: string;
  visit: number;
  enteredAt: number;
  leftAt: number | null;
  outcome: StepOutcome;
  port: string | null;
  why: Record<string, unknown>;
}

export interface RunStep {
  runId: string;
  seq: number;
  nodeId: string;
  kind: string;
  visit: number;
  enteredAt: Date;
  leftAt: Date | null;
  outcome: StepOutcome;
  port: string | null;
  why: Record<string, unknown>;
}

/**
 * Writes steps by `(run, seq)`: a step first written as `waiting` is completed by a later write.
 * Idempotent, so a retried activity may write the same steps again.
 */
export async function upsertSteps(
  sql: Queryable,
  run: { runId: string; workspaceId: string; journeyId: string; versionId: string },
  steps: readonly StepWrite[],
): Promise<void> {
  if (steps.length === 0) return;
  // The last write of a seq wins inside one batch too (a wait entered and left in one flush).
  const bySeq = new Map(steps.map((s) => [s.seq, s]));
  const rows = [...bySeq.values()].map((s) => ({
    runId: run.runId,
    seq: s.seq,
    workspaceId: run.workspaceId,
    journeyId: run.journeyId,
    versionId: run.versionId,
    nodeId: s.nodeId,
    kind: s.kind,
    visit: s.visit,
    enteredAt: new Date(s.enteredAt),
    leftAt: s.leftAt === null ? null : new Date(s.leftAt),
    outcome: s.outcome,
    port: s.port,
    why: sql.json(s.why as never),
  }));
  await sql`
    insert into run_steps ${sql(rows)}
    on conflict (run_id, seq) do update set
      left_at = excluded.left_at, outcome = excluded.outcome, port = excluded.port,
      why = excluded.why`;
}

/** Steps of the given runs in order. */
export async function findRunSteps(sql: Queryable, runIds: string[]): Promise<RunStep[]> {
  if (runIds.length === 0) return [];
  return sql<RunStep[]>`
    select run_id, seq, node_id, kind, visit, entered_at, left_at, outcome, port, why
    from run_steps where run_id = any(${runIds}::uuid[]) order by run_id, seq`;
}

/** Per-node counts of a journey: the numbers drawn on the canvas. */
export interface NodeStats {
  entered: number;
  waiting: number;
  completed: number;
  failed: number;
}

/** One step's counts, with how many entries left it by each of its ways out. */
export interface NodePortStats extends NodeStats {
  /**
   * Entries that left through each port of a step with several (`yes`/`no`, a switch's cases,
   * `event`/`timeout`), failed ones apart; a step with one way out has none.
   */
  ports: Record<string, number>;
}

/**
 * Counts per node over every version: entered (steps), waiting (entered, not left: waiting or
 * held now), completed (left other than by failing), failed, and completed per port. One pass
 * over the journey's steps, grouped by node and port.
 */
export async function countStepsByNodeAndPort(
  sql: Queryable,
  journeyId: string,
): Promise<Record<string, NodePortStats>> {
  const rows = await sql<({ nodeId: string; port: string | null } & NodeStats)[]>`
    select node_id, port,
      count(*)::int as entered,
      (count(*) filter (where left_at is null))::int as waiting,
      (count(*) filter (where left_at is not null and outcome <> 'failed'))::int as completed,
      (count(*) filter (where outcome = 'failed'))::int as failed
    from run_steps where journey_id = ${journeyId} group by node_id, port`;
  const nodes: Record<string, NodePortStats> = {};
  for (const { nodeId, port, ...stats } of rows) {
    const node = (nodes[nodeId] ??= { entered: 0, waiting: 0, completed: 0, failed: 0, ports: {} });
    node.entered += stats.entered;
    node.waiting += stats.waiting;
    node.completed += stats.completed;
    node.failed += stats.failed;
    if (port !== null && port !== OUT && stats.completed > 0) {
      node.ports[port] = (node.ports[port] ?? 0) + stats.completed;
    }
  }
  return nodes;
}

/** The counts per node of `countStepsByNodeAndPort`, without the ways out. */
export async function countStepsByNode(
  sql: Queryable,
  journeyId: string,
): Promise<Record<string, NodeStats>> {
  const nodes = await countStepsByNodeAndPort(sql, journeyId);
  return Object.fromEntries(
    Object.entries(nodes).map(([nodeId, { ports: _ports, ...stats }]) => [nodeId, stats] as const),
  );
}
