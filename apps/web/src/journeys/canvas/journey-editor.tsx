import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useState, type ReactNode } from 'react';
import { Inspector } from '../inspector/inspector';
import { useEditor } from './editor-context';
import { FlowCanvas } from './flow-canvas';
import { Palette } from './palette';
import { ProblemsPanel } from './problems-panel';
import { ShortcutsDialog } from './shortcuts-dialog';
import { useShortcuts } from './use-shortcuts';
import '@xyflow/react/dist/style.css';
import '../journeys.css';

function CanvasTools({ onHelp }: { onHelp: () => void }) {
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const readOnly = useEditor((s) => s.readOnly);
  const undo = useEditor((s) => s.undo);
  const redo = useEditor((s) => s.redo);
  const tidy = useEditor((s) => s.tidy);
  const { fitView } = useReactFlow();
  return (
    <div className="canvas-tools" role="toolbar" aria-label="Canvas">
      {!readOnly && (
        <>
          <button type="button" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <button type="button" onClick={tidy} title="Tidy up the layout (L)">
            Tidy up
          </button>
        </>
      )}
      <button
        type="button"
        onClick={() => void fitView({ padding: 0.15, maxZoom: 1, duration: 250 })}
        title="Fit the journey in view (F)"
      >
        Fit
      </button>
      <button
        type="button"
        onClick={onHelp}
        title="Keyboard shortcuts (?)"
        aria-label="Keyboard shortcuts"
      >
        ?
      </button>
    </div>
  );
}

interface EditorProps {
  header: ReactNode;
  banner?: ReactNode;
  /** Replaces the inspector (the live view shows counts and waiting contacts there). */
  aside?: ReactNode;
}

function ProblemsToggle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const count = useEditor((s) => s.problems.length);
  return (
    <button
      type="button"
      className={`problems-toggle ${count === 0 ? 'ok' : 'bad'}`}
      aria-expanded={open}
      onClick={onToggle}
    >
      {count === 0 ? '✓ No problems' : `${count} problem${count === 1 ? '' : 's'}`}
    </button>
  );
}

function EditorBody({ header, banner, aside }: EditorProps) {
  const readOnly = useEditor((s) => s.readOnly);
  const select = useEditor((s) => s.select);
  const [problemsOpen, setProblemsOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const openHelp = useCallback(() => setHelpOpen(true), []);
  useShortcuts({ onHelp: openHelp });
  return (
    <div className={`journey-editor${readOnly ? ' read-only' : ''}`}>
      <div className="editor-header">{header}</div>
      {banner}
      <div className="editor-body">
        {!readOnly && <Palette />}
        <div className="editor-canvas">
          <FlowCanvas />
          <CanvasTools onHelp={openHelp} />
          {!readOnly && (
            <div className="editor-status">
              <ProblemsToggle open={problemsOpen} onToggle={() => setProblemsOpen((o) => !o)} />
            </div>
          )}
          {problemsOpen && (
            <ProblemsPanel
              onShowSettings={() => select([])}
              onClose={() => setProblemsOpen(false)}
            />
          )}
        </div>
        {aside ?? <Inspector />}
      </div>
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}

/**
 * The journey editor: palette, canvas, inspector, problems and shortcuts around one editor
 * store. `header` holds the page's own controls (name, save state, publish).
 */
export function JourneyEditor(props: EditorProps) {
  return (
    <ReactFlowProvider>
      <EditorBody {...props} />
    </ReactFlowProvider>
  );
}
