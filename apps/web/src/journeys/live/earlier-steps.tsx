import { describeNode, type DescribeContext, type DiffableDocument } from '@relance/flow';
import type { Journey, NodeStatsMap } from '../journey-api';
import { WaitingContacts } from './live-node-panel';

/** A step of an earlier version, not on the version shown, where entries still wait. */
export interface EarlierStep {
  id: string;
  waiting: number;
  /** What the step does, from the newest version that has it. */
  sentence: string;
  /** That version, or null when no version listed has the step. */
  version: number | null;
}

/**
 * The steps with entries waiting that the shown version does not have: entries that stayed on
 * an earlier version when a newer one was published. The live canvas draws only the shown
 * version, so without this list they would count as in progress yet sit on no step.
 */
export function earlierSteps(
  nodes: NodeStatsMap,
  shown: ReadonlySet<string>,
  versions: readonly { version: number; document: DiffableDocument }[],
  names: DescribeContext,
): EarlierStep[] {
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  return Object.entries(nodes)
    .filter(([id, stats]) => stats.waiting > 0 && !shown.has(id))
    .map(([id, stats]) => {
      for (const { version, document } of newestFirst) {
        const node = document.nodes.find((n) => n.id === id);
        if (node)
          return { id, waiting: stats.waiting, sentence: describeNode(node, names), version };
      }
      return { id, waiting: stats.waiting, sentence: `Step ${id}`, version: null };
    })
    .sort((a, b) => b.waiting - a.waiting);
}

const entries = (n: number) => (n === 1 ? '1 entry' : `${n.toLocaleString('en')} entries`);

/** The live view's list of entries waiting at steps the shown version no longer has. */
export function EarlierSteps({
  journey,
  steps,
  shownVersion,
}: {
  journey: Journey;
  steps: readonly EarlierStep[];
  shownVersion: number;
}) {
  if (steps.length === 0) return null;
  return (
    <section aria-label="Waiting on earlier versions" className="earlier-steps">
      <h3 className="live-section-title">Waiting at steps version {shownVersion} does not have</h3>
      <p className="muted">
        These entries stayed on the version they started on when a newer one was published, and go
        on from there.
      </p>
      <ul>
        {steps.map((step) => (
          <li key={step.id} data-node={step.id}>
            <details>
              <summary>
                {step.sentence}
                {step.version !== null && ` (version ${step.version})`}:{' '}
                <strong>{entries(step.waiting)}</strong>
              </summary>
              <WaitingContacts journey={journey} nodeId={step.id} />
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
