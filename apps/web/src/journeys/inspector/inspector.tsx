import { useShallow } from 'zustand/react/shallow';
import { InJourneyContext } from '../../conditions/leaf-parts';
import { useEditor } from '../canvas/editor-context';
import { NodeInspector } from './node-inspector';
import { SettingsForm } from './settings-form';

/** The right-hand panel: the selected step, several selected steps, or the journey's settings. */
export function Inspector() {
  const selected = useEditor(useShallow((s) => s.nodes.filter((n) => n.selected)));
  const removeSelected = useEditor((s) => s.removeSelected);
  const readOnly = useEditor((s) => s.readOnly);
  // A journey's conditions may count "since they entered the journey".
  return (
    <InJourneyContext value>
      <aside className="inspector" aria-label="Inspector">
        {selected.length === 1 && <NodeInspector key={selected[0]!.id} node={selected[0]!} />}
        {selected.length > 1 && (
          <div className="multi-selection">
            <h2>{selected.length} steps selected</h2>
            <p className="muted">
              Drag to move them together; Ctrl+C copies them, Ctrl+D duplicates them.
            </p>
            {!readOnly && (
              <button type="button" className="danger" onClick={removeSelected}>
                Delete {selected.length} steps
              </button>
            )}
          </div>
        )}
        {selected.length === 0 && <SettingsForm />}
      </aside>
    </InJourneyContext>
  );
}
