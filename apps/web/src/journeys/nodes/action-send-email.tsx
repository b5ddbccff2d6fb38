import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../canvas/convert';
import { NodeCard } from './node-card';

/** "Send 'Your order tips'", with its topic. */
export function ActionSendEmailNode({ id, data, selected }: NodeProps<CanvasNode>) {
  const topic = data.config.topic;
  const detail = typeof topic === 'string' && topic !== '' ? `Topic: ${topic}` : undefined;
  return <NodeCard id={id} data={data} selected={selected} detail={detail} />;
}
