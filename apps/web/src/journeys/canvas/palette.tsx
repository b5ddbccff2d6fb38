import { useReactFlow } from '@xyflow/react';
import { NODE_KINDS, definitionOf, groupOf, type NodeGroup, type NodeKind } from '@relance/flow';
import { useState, type DragEvent } from 'react';
import { GroupIcon } from '../../components/icons';
import { useEditor, useEditorStore } from './editor-context';
import { freePortOf } from './graph-edits';
import { draftOf } from './convert';
import { PALETTE_HINTS } from './palette-hints';
import { NODE_HEIGHT, NODE_WIDTH } from './store';

/** The drag payload type: a node kind from the palette. */
export const KIND_MIME = 'application/x-relance-kind';

const GROUPS: { group: NodeGroup; title: string }[] = [
  { group: 'trigger', title: 'Triggers' },
  { group: 'wait', title: 'Waits' },
  { group: 'logic', title: 'Logic' },
  { group: 'action', title: 'Actions' },
];

/**
 * The steps a flow can use. Drag one onto the canvas (or onto a connection to insert it), or
 * click it to add it after the selected step — the keyboard way in.
 */
export function Palette() {
  const store = useEditorStore();
  const readOnly = useEditor((s) => s.readOnly);
  const { getViewport } = useReactFlow();
  const [filter, setFilter] = useState('');
  const wanted = filter.trim().toLowerCase();

  function add(kind: NodeKind) {
    const state = store.getState();
    const selected = state.nodes.filter((n) => n.selected);
    const only = selected.length === 1 ? selected[0]! : null;
    const port = only ? freePortOf(draftOf(state), only.id) : null;
    if (only && port && !kind.startsWith('trigger.')) {
      state.addNode(kind, { after: { nodeId: only.id, port } });
      return;
    }
    // Nothing to attach to: place it in the middle of what the marketer is looking at.
    const { x, y, zoom } = getViewport();
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    const centre = {
      x: ((pane?.width ?? 800) / 2 - x) / zoom - NODE_WIDTH / 2,
      y: ((pane?.height ?? 600) / 2 - y) / zoom - NODE_HEIGHT / 2,
    };
    state.addNode(kind, { position: centre });
  }

  function dragStart(event: DragEvent, kind: NodeKind) {
    event.dataTransfer.setData(KIND_MIME, kind);
    event.dataTransfer.effectAllowed = 'copy';
  }

  return (
    <aside className="palette" aria-label="Steps you can add">
      <input
        type="search"
        className="palette-filter"
        placeholder="Find a step…"
        aria-label="Find a step"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      {GROUPS.map(({ group, title }) => {
        const kinds = NODE_KINDS.filter(
          (k) =>
            groupOf(k) === group &&
            (wanted === '' ||
              definitionOf(k).label.toLowerCase().includes(wanted) ||
              PALETTE_HINTS[k].toLowerCase().includes(wanted)),
        );
        if (kinds.length === 0) return null;
        return (
          <section key={group} className={`palette-group group-${group}`}>
            <h3>{title}</h3>
            <ul>
              {kinds.map((kind) => (
                <li key={kind}>
                  <button
                    type="button"
                    className="palette-item"
                    draggable={!readOnly}
                    disabled={readOnly}
                    onDragStart={(e) => dragStart(e, kind)}
                    onClick={() => add(kind)}
                    data-kind={kind}
                    title={PALETTE_HINTS[kind]}
                  >
                    <GroupIcon group={group} />
                    <span>{definitionOf(kind).label}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </aside>
  );
}
