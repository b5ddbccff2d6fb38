import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../canvas/convert';
import { NodeCard } from './node-card';

/** "Raise score by 10". */
export function ActionScoreNode({ id, data, selected }: NodeProps<CanvasNode>) {
  return <NodeCard id={id} data={data} selected={selected} />;
}
