import {
  ConnectionLineType,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore as useFlowStore,
  type IsValidConnection,
  type OnMove,
  type OnNodeDrag,
  type Viewport,
} from '@xyflow/react';
import { groupOf, isNodeKind } from '@relance/flow';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type DragEvent } from 'react';
import { nodeTypes } from '../nodes/node-types';
import { EdgeLabelLayer, edgeTypes } from './branch-edge';
import { DotGrid } from './dot-grid';
import type { CanvasEdge, CanvasNode } from './convert';
import { useEditor, useEditorStore } from './editor-context';
import { KIND_MIME } from './palette';
import { NODE_WIDTH } from './store';
import './canvas.css';

const GROUP_COLOURS = {
  trigger: '#7c3aed',
  wait: '#0e7490',
  logic: '#b45309',
  action: '#15803d',
} as const;

const defaultEdgeOptions = {
  type: 'branch',
  markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: '#98a2b3' },
};

/** How far (px) the view may move under a press that is still a click. */
const CLICK_SLOP = 4;

/** The topmost edge under the pointer that `accepts` (the dragged step's own edges are not). */
function edgeUnder(
  x: number,
  y: number,
  accepts: (edgeId: string) => boolean = () => true,
): string | null {
  for (const element of document.elementsFromPoint(x, y)) {
    const id = element.closest('.react-flow__edge')?.getAttribute('data-id');
    if (id && accepts(id)) return id;
  }
  return null;
}

/** Where the pointer is, for mouse and touch drags alike. */
function pointOf(event: MouseEvent | TouchEvent): { x: number; y: number } | null {
  if ('touches' in event) {
    const touch = event.changedTouches[0];
    return touch ? { x: touch.clientX, y: touch.clientY } : null;
  }
  return { x: event.clientX, y: event.clientY };
}

/** The React Flow binding: everything it shows and changes lives in the editor store. */
export function FlowCanvas() {
  const store = useEditorStore();
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const readOnly = useEditor((s) => s.readOnly);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const onConnect = useEditor((s) => s.onConnect);
  const focusRequest = useEditor((s) => s.focusRequest);
  // Below this zoom the text is unreadable anyway: cards are drawn as plain coloured blocks,
  // which keeps panning a 300-step journey smooth.
  const zoomedOut = useFlowStore((s) => s.transform[2] < 0.35);
  const { screenToFlowPosition, flowToScreenPosition, setCenter, getInternalNode, getZoom } =
    useReactFlow();

  // Bring a node into view when a problem is clicked or a step was added elsewhere.
  useEffect(() => {
    if (!focusRequest) return;
    const node = getInternalNode(focusRequest.nodeId);
    if (!node) return;
    const { x, y } = node.internals.positionAbsolute;
    const width = node.measured.width ?? NODE_WIDTH;
    const height = node.measured.height ?? 90;
    if (focusRequest.onlyIfHidden) {
      const pane = document.querySelector('.react-flow__pane')?.getBoundingClientRect();
      const topLeft = flowToScreenPosition({ x, y });
      const bottomRight = flowToScreenPosition({ x: x + width, y: y + height });
      const visible =
        pane !== undefined &&
        topLeft.x >= pane.left &&
        topLeft.y >= pane.top &&
        bottomRight.x <= pane.right &&
        bottomRight.y <= pane.bottom;
      if (visible) return;
    }
    void setCenter(x + width / 2, y + height / 2, {
      zoom: Math.max(getZoom(), 0.8),
      duration: 250,
    });
  }, [focusRequest, getInternalNode, setCenter, getZoom, flowToScreenPosition]);

  const onDragOver = useCallback(
    (event: DragEvent) => {
      if (!event.dataTransfer.types.includes(KIND_MIME)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      store.getState().setDropTarget(edgeUnder(event.clientX, event.clientY));
    },
    [store],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(KIND_MIME);
      const state = store.getState();
      state.setDropTarget(null);
      if (!isNodeKind(kind)) return;
      event.preventDefault();
      const edgeId = edgeUnder(event.clientX, event.clientY);
      if (edgeId && !kind.startsWith('trigger.')) {
        state.addNode(kind, { edgeId });
        return;
      }
      // The card's top centre lands where the pointer is.
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      state.addNode(kind, { position: { x: at.x - NODE_WIDTH / 2, y: at.y - 16 } });
    },
    [store, screenToFlowPosition],
  );

  // A step dragged over an edge (alone, not as part of a selection) is moved onto it on drop.
  const onNodeDrag: OnNodeDrag<CanvasNode> = useCallback(
    (event, node, dragged) => {
      const state = store.getState();
      const point = pointOf(event);
      const target =
        dragged.length === 1 && point
          ? edgeUnder(point.x, point.y, (edgeId) => state.canDropOnEdge(node.id, edgeId))
          : null;
      state.setDropTarget(target);
    },
    [store],
  );

  const onNodeDragStop: OnNodeDrag<CanvasNode> = useCallback(
    (_event, node) => {
      const { dropTarget, dropOnEdge } = store.getState();
      if (dropTarget) dropOnEdge(node.id, dropTarget);
    },
    [store],
  );

  const canvasRef = useRef<HTMLDivElement>(null);

  // The sheet that spares hit testing during a pan (canvas.css) goes on only once a drag has
  // moved the view a few pixels: a press that stays put, or jitters, is a click on what is under
  // it (a card, on the read-only live view, where pressing on a card also starts a pan).
  // Marked on the element directly: React state here would re-render the whole canvas.
  const panStart = useRef<Viewport | null>(null);
  const onMoveStart: OnMove = useCallback((_event, viewport) => {
    panStart.current = viewport;
    canvasRef.current?.removeAttribute('data-panned');
  }, []);
  const onMove: OnMove = useCallback((_event, viewport) => {
    const start = panStart.current;
    if (start && Math.hypot(viewport.x - start.x, viewport.y - start.y) > CLICK_SLOP) {
      canvasRef.current?.setAttribute('data-panned', '');
    }
  }, []);

  const [labelLayer, setLabelLayer] = useState<HTMLElement | null>(null);
  useLayoutEffect(() => {
    setLabelLayer(
      canvasRef.current?.querySelector<HTMLElement>('.react-flow__edgelabel-renderer') ?? null,
    );
  }, []);

  const isValidConnection: IsValidConnection = useCallback(
    (connection) => connection.source !== connection.target,
    [],
  );

  return (
    <EdgeLabelLayer.Provider value={labelLayer}>
      <div
        ref={canvasRef}
        className={`flow-canvas${zoomedOut ? ' zoomed-out' : ''}`}
        onDragLeave={() => store.getState().setDropTarget(null)}
      >
        <ReactFlow<CanvasNode, CanvasEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          isValidConnection={isValidConnection}
          onDragOver={onDragOver}
          onDrop={onDrop}
          onNodeDrag={onNodeDrag}
          onNodeDragStop={onNodeDragStop}
          onMoveStart={onMoveStart}
          onMove={onMove}
          connectionLineType={ConnectionLineType.SmoothStep}
          nodesConnectable={!readOnly}
          nodesDraggable={!readOnly}
          // Deleting goes through the editor's shortcuts so that it is one undo step.
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control']}
          panOnScroll
          zoomOnPinch
          minZoom={0.1}
          maxZoom={1.75}
          fitView
          fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
          aria-label="Journey canvas"
        >
          <DotGrid />
          <MiniMap
            pannable
            style={{ width: 168, height: 112 }}
            zoomable
            ariaLabel="Overview of the journey"
            nodeColor={(node) =>
              isNodeKind(node.type) ? GROUP_COLOURS[groupOf(node.type)] : '#98a2b3'
            }
            nodeStrokeWidth={0}
            maskColor="rgba(246, 247, 251, 0.7)"
          />
          <Controls showInteractive={false} />
        </ReactFlow>
        {nodes.length === 0 && !readOnly && (
          <div className="canvas-empty">
            <p>
              <strong>Start with a trigger.</strong>
            </p>
            <p>
              Drag “Enters segment” or “Event happens” from the left onto the canvas, or click it.
            </p>
          </div>
        )}
      </div>
    </EdgeLabelLayer.Provider>
  );
}
