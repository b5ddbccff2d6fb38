import { describeNode, type FlowProblem } from '@relance/flow';
import { useEditor } from './editor-context';

/** Every problem of the draft; clicking one selects its step and brings it into view. */
export function ProblemsPanel({
  onShowSettings,
  onClose,
}: {
  onShowSettings: () => void;
  onClose: () => void;
}) {
  const problems = useEditor((s) => s.problems);
  const nodes = useEditor((s) => s.nodes);
  const context = useEditor((s) => s.context);
  const focusNode = useEditor((s) => s.focusNode);
  const byId = new Map(nodes.map((n) => [n.id, n]));

  function open(problem: FlowProblem) {
    if (problem.nodeId && byId.has(problem.nodeId)) focusNode(problem.nodeId);
    else onShowSettings();
  }

  return (
    <section className="problems-panel" aria-labelledby="problems-title">
      <header>
        <h2 id="problems-title">
          {problems.length === 0
            ? 'No problems'
            : `${problems.length} problem${problems.length === 1 ? '' : 's'} to fix before publishing`}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close problems">
          ×
        </button>
      </header>
      {problems.length === 0 ? (
        <p className="muted">This journey is ready to publish.</p>
      ) : (
        <ul>
          {problems.map((problem, index) => {
            const node = problem.nodeId ? byId.get(problem.nodeId) : undefined;
            return (
              <li key={`${problem.nodeId ?? ''}:${problem.field ?? ''}:${index}`}>
                <button type="button" onClick={() => open(problem)}>
                  <strong>{node ? describeNode(node.data, context) : 'Journey settings'}</strong>
                  <span>{problem.message}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
