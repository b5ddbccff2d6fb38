import type { DescribeContext, DiffableDocument, FlowProblem } from '@relance/flow';
import { flowFieldName } from './flow-field-name';

/**
 * What publishing allows but the marketer should look at (an event never received yet), each
 * with the step it is about. Nothing when there is nothing to say.
 */
export function PublishWarnings({
  warnings,
  nodes,
  names,
}: {
  warnings: readonly FlowProblem[];
  nodes: DiffableDocument['nodes'];
  names: DescribeContext;
}) {
  if (warnings.length === 0) return null;
  const fieldName = flowFieldName(nodes, names);
  return (
    <div className="notice warn" role="status">
      <p>
        <strong>Check before publishing</strong> (this does not stop it)
      </p>
      <ul>
        {warnings.map((w) => {
          const path = [w.nodeId ? `nodes.${w.nodeId}` : null, w.field].filter(Boolean).join('.');
          // The step as it reads on the canvas: each message names the setting in its own words,
          // and a field's label after it ("— segment") reads as a stray word.
          const where = fieldName(w.nodeId ? `nodes.${w.nodeId}` : path);
          return (
            <li key={`${path}:${w.message}`}>
              {where && <strong>{where}: </strong>}
              {w.message}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
