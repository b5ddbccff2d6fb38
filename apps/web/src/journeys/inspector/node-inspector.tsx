import { definitionOf, describeNode } from '@relance/flow';
import { GroupIcon } from '../../components/icons';
import { FieldProblems, ProblemList } from '../../forms/field';
import type { CanvasNode } from '../canvas/convert';
import { useEditor } from '../canvas/editor-context';
import { problemsOf } from '../canvas/problems';
import { kindForms } from './kind-forms';

// Problems a form field shows next to itself; the rest (connections, the step as a whole) show
// at the top of the inspector.
function isAboutAField(field: string | undefined): boolean {
  return field !== undefined && field.startsWith('config.');
}

/** The selected step: what it does as a sentence, its settings form, its problems. */
export function NodeInspector({ node }: { node: CanvasNode }) {
  const problems = useEditor((s) => problemsOf(s.problemsByNode, node.id));
  const context = useEditor((s) => s.context);
  const readOnly = useEditor((s) => s.readOnly);
  const updateConfig = useEditor((s) => s.updateConfig);
  const removeSelected = useEditor((s) => s.removeSelected);
  const definition = definitionOf(node.data.kind);
  const Form = kindForms[node.data.kind];
  const general = problems.filter((p) => !isAboutAField(p.field));
  const { config } = node.data;
  const sentence = describeNode(node.data, context);

  return (
    <div className="node-inspector">
      <header className={`inspector-head group-${definition.group}`}>
        <GroupIcon group={definition.group} size={18} />
        <div>
          <h2>{definition.label}</h2>
          {sentence !== definition.label && <p className="inspector-sentence">{sentence}</p>}
        </div>
      </header>
      <ProblemList problems={general} />
      <FieldProblems problems={problems}>
        <fieldset disabled={readOnly} className="inspector-form">
          <Form
            config={config}
            names={context}
            set={(field, value) => {
              const next = { ...config };
              if (value === undefined) delete next[field];
              else next[field] = value;
              updateConfig(node.id, next, field);
            }}
            replace={(next) => updateConfig(node.id, next)}
          />
        </fieldset>
      </FieldProblems>
      {!readOnly && (
        <footer className="inspector-foot">
          <button type="button" className="danger" onClick={removeSelected}>
            Delete step
          </button>
          <span className="muted">
            Step id <code>{node.id}</code>
          </span>
        </footer>
      )}
    </div>
  );
}
