import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import { readClipboard, writeClipboard } from './clipboard';
import { useEditorStore } from './editor-context';

/** Keys the editor answers to, listed in the shortcuts dialog. */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Delete / Backspace', what: 'Delete the selected steps and connections' },
  { keys: 'Ctrl+Z', what: 'Undo' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', what: 'Redo' },
  { keys: 'Ctrl+C / Ctrl+X / Ctrl+V', what: 'Copy, cut, paste steps (also into another journey)' },
  { keys: 'Ctrl+D', what: 'Duplicate the selected steps' },
  { keys: 'Ctrl+A', what: 'Select every step' },
  { keys: 'Shift+drag', what: 'Select several steps with a box' },
  { keys: 'Ctrl+click', what: 'Add a step to the selection' },
  { keys: 'L', what: 'Tidy up the layout' },
  { keys: 'F', what: 'Fit the whole journey in view' },
  { keys: 'Esc', what: 'Clear the selection' },
  { keys: '?', what: 'Show these shortcuts' },
];

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return (
    el.isContentEditable ||
    el.tagName === 'INPUT' ||
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT'
  );
}

/** Editor keyboard shortcuts; keys typed into form fields are left alone. */
export function useShortcuts(options: { onHelp: () => void }) {
  const store = useEditorStore();
  const { fitView } = useReactFlow();
  const { onHelp } = options;

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (typingIn(event.target) || event.defaultPrevented) return;
      // Dialogs own the keyboard while they are open.
      if (document.querySelector('dialog[open]')) return;
      const state = store.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const handled = () => event.preventDefault();

      if (mod && key === 'z' && !event.shiftKey) return (handled(), state.undo());
      if (mod && (key === 'y' || (key === 'z' && event.shiftKey))) return (handled(), state.redo());
      if (mod && key === 'a') return (handled(), state.selectAll());
      if (mod && (key === 'c' || key === 'x')) {
        const fragment = state.copySelected();
        if (!fragment) return;
        handled();
        writeClipboard(fragment);
        if (key === 'x') state.removeSelected();
        return;
      }
      if (mod && key === 'v') {
        const fragment = readClipboard();
        if (!fragment) return;
        handled();
        return state.paste(fragment);
      }
      if (mod && key === 'd') {
        const fragment = state.copySelected();
        if (!fragment) return;
        handled();
        return state.paste(fragment);
      }
      if (mod || event.altKey) return;
      if (key === 'delete' || key === 'backspace') return (handled(), state.removeSelected());
      if (key === 'escape') return state.select([]);
      if (key === 'l') return (handled(), state.tidy());
      if (key === 'f')
        return (handled(), void fitView({ padding: 0.15, maxZoom: 1, duration: 250 }));
      if (event.key === '?') return (handled(), onHelp());
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, fitView, onHelp]);
}
