import { BaseEdge, getSmoothStepPath, type EdgeProps } from '@xyflow/react';
import { createContext, useContext } from 'react';
import { createPortal } from 'react-dom';
import { useNodeStats } from '../live/node-stats-context';
import type { CanvasEdge } from './convert';
import { useEditor } from './editor-context';

/**
 * React Flow's layer for HTML edge labels, found once by the canvas. Its own EdgeLabelRenderer
 * looks the layer up with querySelector in a store selector, so 300 edges ran 300 DOM queries on
 * every frame of a pan (the largest JavaScript cost in a profile of panning).
 */
export const EdgeLabelLayer = createContext<HTMLElement | null>(null);

// Paths that mean "it happened" read green, "it did not" amber; case and split names neutral.
const TONE: Record<string, string> = {
  yes: 'good',
  event: 'good',
  met: 'good',
  no: 'warn',
  timeout: 'warn',
  else: 'warn',
};

/** A connection, its branch name near the port it leaves, and an insert marker while dragging. */
export function BranchEdge({
  id,
  source,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  selected,
  markerEnd,
}: EdgeProps<CanvasEdge>) {
  const isDropTarget = useEditor((s) => s.dropTarget === id);
  const labelLayer = useContext(EdgeLabelLayer);
  const [path, midX, midY] = getSmoothStepPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    borderRadius: 14,
  });
  // On the live view, a way out also says how many entries took it ("yes · 120").
  const taken = useNodeStats(source)?.ports;
  const label =
    data?.label && taken
      ? `${data.label} · ${(taken[data.port] ?? 0).toLocaleString('en')}`
      : (data?.label ?? null);
  const tone = TONE[data?.port ?? ''] ?? 'plain';
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`branch-edge${selected ? ' selected' : ''}${isDropTarget ? ' drop-target' : ''}`}
        interactionWidth={28}
      />
      {labelLayer &&
        (label || isDropTarget) &&
        createPortal(
          <>
            {label && (
              <div
                className={`edge-label tone-${tone}`}
                style={{ transform: `translate(-50%, -50%) translate(${midX}px, ${midY}px)` }}
              >
                {label}
              </div>
            )}
            {isDropTarget && (
              <div
                className="edge-insert"
                style={{ transform: `translate(-50%, -50%) translate(${midX}px, ${midY}px)` }}
              >
                Insert here
              </div>
            )}
          </>,
          labelLayer,
        )}
    </>
  );
}

/** Module-level so React Flow never sees a new object. */
export const edgeTypes = { branch: BranchEdge };
