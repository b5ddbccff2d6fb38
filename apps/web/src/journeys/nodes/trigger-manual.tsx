import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../canvas/convert';
import { NodeCard } from './node-card';

/** "When enrolled by hand or through the API". */
export function TriggerManualNode({ id, data, selected }: NodeProps<CanvasNode>) {
  const detail = 'Enrol contacts from their profile, a segment, or the API';
  return <NodeCard id={id} data={data} selected={selected} detail={detail} />;
}
