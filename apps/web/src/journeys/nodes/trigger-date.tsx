import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../canvas/convert';
import { NodeCard } from './node-card';

/** "3 days before renews_on at 09:00". */
export function TriggerDateNode({ id, data, selected }: NodeProps<CanvasNode>) {
  return <NodeCard id={id} data={data} selected={selected} />;
}
