import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../canvas/convert';
import { NodeCard } from './node-card';

/** "Goal: has tag customer, then exit"; runs jump here whenever it is met. */
export function LogicGoalNode({ id, data, selected }: NodeProps<CanvasNode>) {
  const detail = 'Contacts jump here as soon as this is true';
  return <NodeCard id={id} data={data} selected={selected} detail={detail} />;
}
