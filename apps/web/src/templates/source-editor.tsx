import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { html } from '@codemirror/lang-html';
import { liquid } from '@codemirror/lang-liquid';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { diagnosticsFor, type SourceProblem } from './source-problems';

// CodeMirror 6 for a template's MJML or HTML source: markup highlighted by the HTML grammar (MJML
// tags are markup too) with Liquid's {{ outputs }} and {% tags %} parsed over it, line numbers,
// and the lines the API refused marked in the gutter and underlined. Loaded on demand
// (template-form.tsx) so that no other page carries the editor.

export interface SourceEditorProps {
  id: string;
  /** The accessible name of the editable area (a <label for> cannot name a contenteditable). */
  label: string;
  describedBy: string | undefined;
  invalid: boolean;
  value: string;
  onChange: (value: string) => void;
  problems: readonly SourceProblem[];
}

const theme = EditorView.theme({
  '&': { border: '1px solid var(--border)', borderRadius: '8px', background: '#fff' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '.cm-scroller': {
    fontFamily: "'JetBrains Mono', ui-monospace, Menlo, monospace",
    fontSize: '12.5px',
    lineHeight: '1.45',
    minHeight: '340px',
    maxHeight: '70vh',
  },
  '.cm-gutters': { background: 'var(--bg)', borderRight: '1px solid var(--border)' },
});

type Labelling = Pick<SourceEditorProps, 'id' | 'label' | 'describedBy' | 'invalid'>;

function ariaOf({ id, label, describedBy, invalid }: Labelling) {
  return EditorView.contentAttributes.of({
    id,
    'aria-label': label,
    'aria-multiline': 'true',
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
    ...(invalid ? { 'aria-invalid': 'true' } : {}),
  });
}

export default function SourceEditor(props: SourceEditorProps) {
  const { id, label, describedBy, invalid, value, onChange, problems } = props;
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const aria = useRef(new Compartment());
  // The editor is created once; it reports through the latest onChange.
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          history(),
          bracketMatching(),
          liquid({ base: html({ selfClosingTags: true }) }),
          syntaxHighlighting(defaultHighlightStyle),
          lintGutter(),
          // The source sits in half the page: long MJML lines wrap rather than scroll sideways.
          EditorView.lineWrapping,
          // Tab indents; Escape then Tab leaves the editor (CodeMirror's focus-trap escape).
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          aria.current.of(ariaOf({ id, label, describedBy, invalid })),
          theme,
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // Created once per mount; later prop changes are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A source replaced from outside (a reset, a starter) is taken in; what was typed is already there.
  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (editor)
      editor.dispatch(setDiagnostics(editor.state, diagnosticsFor(editor.state.doc, problems)));
  }, [problems]);

  useEffect(() => {
    view.current?.dispatch({
      effects: aria.current.reconfigure(ariaOf({ id, label, describedBy, invalid })),
    });
  }, [id, label, describedBy, invalid]);

  return <div ref={host} className="source-editor" data-testid="source-editor" />;
}
