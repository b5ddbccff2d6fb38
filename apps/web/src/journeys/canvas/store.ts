import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import {
  createNode,
  portsOf,
  validate,
  type FlowProblem,
  type NodeKind,
  type ValidateContext,
} from '@relance/flow';
import { createStore } from 'zustand/vanilla';
import { draftOf, toCanvasEdges, toCanvasNodes, type CanvasEdge, type CanvasNode } from './convert';
import { newNodeId, type Draft, type XY } from './draft';
import {
  appendAfter,
  canMoveOntoEdge,
  connect,
  copyFragment,
  deleteSteps,
  insertOnEdge,
  moveOntoEdge,
  pasteFragment,
  pruneDanglingEdges,
  type Fragment,
} from './graph-edits';
import { emptyHistory, record, redo, undo, type History } from './history';
import { layoutFlow } from './layout';
import { groupProblems } from './problems';

/** Card size used for layout until React Flow has measured a node. */
export const NODE_WIDTH = 264;
export const NODE_HEIGHT = 92;

export interface EditorState {
  name: string;
  settings: Record<string, unknown>;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  history: History<Draft>;
  problems: FlowProblem[];
  problemsByNode: Map<string, readonly FlowProblem[]>;
  /** Names and existence checks for segments, templates and events, once loaded. */
  context: ValidateContext;
  /** Bumps on every change to the document (autosave watches it); not on selection. */
  revision: number;
  readOnly: boolean;
  /** Re-lays out whenever cards change size (the live view, where counts make them taller). */
  autoArrange: boolean;
  /** The edge a palette item or a step is being dragged over (it will be inserted there). */
  dropTarget: string | null;
  /** Set while nodes are being dragged, so one drag is one undo step. */
  dragging: boolean;
  /**
   * Ids the journey's published versions used: a new step never takes one, even when the draft
   * no longer has it, or the old step's numbers and waiting contacts would pass to the new one.
   */
  usedIds: ReadonlySet<string>;
  /** A node the canvas should bring into view (problem clicked, node added off-screen). */
  focusRequest: { nodeId: string; at: number; onlyIfHidden: boolean } | null;
}

export interface EditorActions {
  load: (draft: Draft, options?: { readOnly?: boolean; autoArrange?: boolean }) => void;
  setContext: (context: ValidateContext) => void;
  /** The ids the journey's published versions used (the journey's `usedNodeIds`). */
  setUsedIds: (ids: readonly string[]) => void;
  onNodesChange: (changes: NodeChange<CanvasNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<CanvasEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  /** Adds a node dropped at `position`, onto edge `edgeId`, or after `after`; returns its id. */
  addNode: (
    kind: NodeKind,
    where: { position?: XY; edgeId?: string; after?: { nodeId: string; port: string } },
  ) => string | null;
  updateConfig: (nodeId: string, config: Record<string, unknown>, field?: string) => void;
  setName: (name: string) => void;
  setSettings: (settings: Record<string, unknown>, field?: string) => void;
  removeSelected: () => void;
  copySelected: () => Fragment | null;
  paste: (fragment: Fragment, at?: XY) => void;
  selectAll: () => void;
  select: (ids: readonly string[]) => void;
  focusNode: (nodeId: string) => void;
  undo: () => void;
  redo: () => void;
  tidy: () => void;
  /** Lays out with the measured card sizes without touching history (read-only views too). */
  arrange: () => void;
  setDropTarget: (edgeId: string | null) => void;
  /** Whether the step being dragged may be dropped onto `edgeId`. */
  canDropOnEdge: (nodeId: string, edgeId: string) => boolean;
  /** Ends a drag of an existing step over an edge by moving the step onto it. */
  dropOnEdge: (nodeId: string, edgeId: string) => void;
}

export type EditorStore = ReturnType<typeof createEditorStore>;

function selectedIds(state: EditorState): Set<string> {
  return new Set(state.nodes.filter((n) => n.selected).map((n) => n.id));
}

/** Positions from dagre for every node, anchored on the trigger (or the first node). */
function laidOut(draft: Draft, measured: readonly CanvasNode[]): Draft {
  if (draft.nodes.length === 0) return draft;
  const sizes = new Map(measured.map((n) => [n.id, n.measured]));
  const anchor = draft.nodes.find((n) => n.kind.startsWith('trigger.')) ?? draft.nodes[0]!;
  const positions = layoutFlow(
    draft.nodes.map((n) => ({
      id: n.id,
      width: sizes.get(n.id)?.width ?? NODE_WIDTH,
      height: sizes.get(n.id)?.height ?? NODE_HEIGHT,
      position: n.position,
      ports: portsOf(n),
    })),
    draft.edges,
    anchor.id,
  );
  return {
    ...draft,
    nodes: draft.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })),
  };
}

/** One journey editor's state: the draft as React Flow elements, its problems and its undo stack. */
export function createEditorStore(initial?: Draft) {
  return createStore<EditorState & EditorActions>()((set, get) => {
    /** Shows `draft` and revalidates; records the state it replaces unless told otherwise. */
    function change(
      draft: Draft,
      options: { key?: string; select?: readonly string[]; record?: boolean } = {},
    ) {
      const state = get();
      const next = pruneDanglingEdges(draft);
      const history =
        options.record === false
          ? state.history
          : record(state.history, draftOf(state), { key: options.key });
      const problems = validate(next, state.context);
      set({
        name: next.name,
        settings: next.settings,
        nodes: toCanvasNodes(
          next.nodes,
          state.nodes,
          options.select ? new Set(options.select) : undefined,
        ),
        edges: toCanvasEdges(next.edges, next.nodes, state.edges, state.context),
        history,
        problems,
        problemsByNode: groupProblems(problems, state.problemsByNode),
        revision: state.revision + 1,
      });
    }

    function restore(draft: Draft, history: History<Draft>) {
      const state = get();
      const problems = validate(draft, state.context);
      set({
        name: draft.name,
        settings: draft.settings,
        nodes: toCanvasNodes(draft.nodes, state.nodes),
        edges: toCanvasEdges(draft.edges, draft.nodes, state.edges, state.context),
        history,
        problems,
        problemsByNode: groupProblems(problems, state.problemsByNode),
        revision: state.revision + 1,
      });
    }

    const empty: Draft = initial ?? { name: '', settings: {}, nodes: [], edges: [] };
    const problems = validate(empty);
    return {
      name: empty.name,
      settings: empty.settings,
      nodes: toCanvasNodes(empty.nodes),
      edges: toCanvasEdges(empty.edges, empty.nodes),
      history: emptyHistory<Draft>(),
      problems,
      problemsByNode: groupProblems(problems),
      context: {},
      revision: 0,
      readOnly: false,
      autoArrange: false,
      dropTarget: null,
      dragging: false,
      focusRequest: null,
      usedIds: new Set<string>(),

      setUsedIds(ids) {
        set({ usedIds: new Set(ids) });
      },

      load(draft, options = {}) {
        const { context } = get();
        const problems = validate(draft, context);
        set({
          name: draft.name,
          settings: draft.settings,
          nodes: toCanvasNodes(draft.nodes),
          edges: toCanvasEdges(draft.edges, draft.nodes, [], context),
          history: emptyHistory<Draft>(),
          problems,
          problemsByNode: groupProblems(problems),
          revision: 0,
          readOnly: options.readOnly ?? false,
          autoArrange: options.autoArrange ?? false,
          dragging: false,
          dropTarget: null,
        });
      },

      setContext(context) {
        const state = get();
        const draft = draftOf(state);
        const problems = validate(draft, context);
        set({
          context,
          // The edges' labels name events as the context words them ("placed an order").
          edges: toCanvasEdges(draft.edges, draft.nodes, state.edges, context),
          problems,
          problemsByNode: groupProblems(problems, state.problemsByNode),
        });
      },

      onNodesChange(changes) {
        const state = get();
        if (state.readOnly) {
          // A read-only canvas still selects and measures, it just does not move or delete.
          const allowed = changes.filter((c) => c.type === 'select' || c.type === 'dimensions');
          set({ nodes: applyNodeChanges(allowed, state.nodes) });
          if (state.autoArrange && allowed.some((c) => c.type === 'dimensions')) get().arrange();
          return;
        }
        const moves = changes.filter((c) => c.type === 'position');
        const starting = moves.some((c) => c.dragging) && !state.dragging;
        const finished = state.dragging && moves.some((c) => c.dragging === false);
        const kept = changes.filter((c) => c.type !== 'remove');
        set({
          nodes: applyNodeChanges(kept, state.nodes),
          ...(starting ? { history: record(state.history, draftOf(state)), dragging: true } : {}),
          ...(finished ? { dragging: false, revision: state.revision + 1 } : {}),
        });
      },

      onEdgesChange(changes) {
        const state = get();
        // Removal goes through removeSelected so that it is one undo step.
        const kept = changes.filter((c) => c.type === 'select');
        if (kept.length > 0) set({ edges: applyEdgeChanges(kept, state.edges) });
      },

      onConnect(connection) {
        const state = get();
        if (state.readOnly || !connection.source || !connection.target) return;
        change(
          connect(draftOf(state), {
            from: connection.source,
            port: connection.sourceHandle ?? 'out',
            to: connection.target,
          }),
        );
      },

      addNode(kind, where) {
        const state = get();
        if (state.readOnly) return null;
        const draft = draftOf(state);
        const id = newNodeId(kind, new Set([...state.usedIds, ...draft.nodes.map((n) => n.id)]));
        const node = createNode(kind, id, where.position ?? { x: 0, y: 0 });
        let next: Draft;
        if (where.edgeId) next = laidOut(insertOnEdge(draft, where.edgeId, node), state.nodes);
        else if (where.after) {
          next = laidOut(
            appendAfter(draft, where.after.nodeId, where.after.port, node),
            state.nodes,
          );
        } else next = { ...draft, nodes: [...draft.nodes, node] };
        change(next, { select: [id] });
        // A step dropped where the marketer looks stays put; one placed by layout is brought into view.
        set({ focusRequest: { nodeId: id, at: Date.now(), onlyIfHidden: true } });
        return id;
      },

      updateConfig(nodeId, config, field) {
        const state = get();
        if (state.readOnly) return;
        const draft = draftOf(state);
        change(
          { ...draft, nodes: draft.nodes.map((n) => (n.id === nodeId ? { ...n, config } : n)) },
          { key: `config:${nodeId}:${field ?? '*'}` },
        );
      },

      setName(name) {
        const state = get();
        if (state.readOnly) return;
        change({ ...draftOf(state), name }, { key: 'name' });
      },

      setSettings(settings, field) {
        const state = get();
        if (state.readOnly) return;
        change({ ...draftOf(state), settings }, { key: `settings:${field ?? '*'}` });
      },

      removeSelected() {
        const state = get();
        if (state.readOnly) return;
        const nodes = selectedIds(state);
        const edges = new Set(state.edges.filter((e) => e.selected).map((e) => e.id));
        if (nodes.size === 0 && edges.size === 0) return;
        const draft = deleteSteps(draftOf(state), nodes);
        change({ ...draft, edges: draft.edges.filter((e) => !edges.has(`${e.from}:${e.port}`)) });
      },

      copySelected() {
        const state = get();
        const ids = selectedIds(state);
        return ids.size > 0 ? copyFragment(draftOf(state), ids) : null;
      },

      paste(fragment, at) {
        const state = get();
        if (state.readOnly || fragment.nodes.length === 0) return;
        const pasted = pasteFragment(draftOf(state), fragment, at, state.usedIds);
        change(pasted.draft, { select: pasted.ids });
      },

      selectAll() {
        const state = get();
        set({
          nodes: toCanvasNodes(
            draftOf(state).nodes,
            state.nodes,
            new Set(state.nodes.map((n) => n.id)),
          ),
        });
      },

      select(ids) {
        const state = get();
        const wanted = new Set(ids);
        set({
          nodes: toCanvasNodes(draftOf(state).nodes, state.nodes, wanted),
          edges: state.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
        });
      },

      focusNode(nodeId) {
        get().select([nodeId]);
        set({ focusRequest: { nodeId, at: Date.now(), onlyIfHidden: false } });
      },

      undo() {
        const state = get();
        const step = undo(state.history, draftOf(state));
        if (step) restore(step.state, step.history);
      },

      redo() {
        const state = get();
        const step = redo(state.history, draftOf(state));
        if (step) restore(step.state, step.history);
      },

      tidy() {
        const state = get();
        if (state.readOnly) return;
        change(laidOut(draftOf(state), state.nodes));
      },

      arrange() {
        const state = get();
        const next = laidOut(draftOf(state), state.nodes);
        set({ nodes: toCanvasNodes(next.nodes, state.nodes) });
      },

      setDropTarget(edgeId) {
        if (get().dropTarget !== edgeId) set({ dropTarget: edgeId });
      },

      canDropOnEdge(nodeId, edgeId) {
        const state = get();
        return !state.readOnly && canMoveOntoEdge(draftOf(state), nodeId, edgeId);
      },

      dropOnEdge(nodeId, edgeId) {
        const state = get();
        set({ dropTarget: null });
        if (!state.canDropOnEdge(nodeId, edgeId)) return;
        // The drag recorded the state it started from, so the drag and the move undo as one.
        change(laidOut(moveOntoEdge(draftOf(state), nodeId, edgeId), state.nodes), {
          record: false,
          select: [nodeId],
        });
      },
    };
  });
}
