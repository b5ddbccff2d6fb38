import { createContext, useContext } from 'react';

/** What the live view shows on one node (GET /api/journeys/:id/stats). */
export interface NodeStats {
  entered: number;
  waiting: number;
  completed: number;
  failed: number;
}

/** Per-node counts when the canvas shows a live journey; null while editing a draft. */
export const NodeStatsContext = createContext<ReadonlyMap<string, NodeStats> | null>(null);

export function useNodeStats(nodeId: string): NodeStats | null {
  return useContext(NodeStatsContext)?.get(nodeId) ?? null;
}
