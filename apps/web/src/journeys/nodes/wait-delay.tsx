import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../canvas/convert';
import { NodeCard } from './node-card';

/** "Wait 3 days". */
export function WaitDelayNode({ id, data, selected }: NodeProps<CanvasNode>) {
  return <NodeCard id={id} data={data} selected={selected} />;
}
