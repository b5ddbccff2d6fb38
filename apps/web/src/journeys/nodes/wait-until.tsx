import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../canvas/convert';
import { NodeCard } from './node-card';

/** "Wait until 09:00 on a weekday". */
export function WaitUntilNode({ id, data, selected }: NodeProps<CanvasNode>) {
  return <NodeCard id={id} data={data} selected={selected} />;
}
