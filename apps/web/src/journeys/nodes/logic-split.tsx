import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../canvas/convert';
import { NodeCard } from './node-card';
import { SplitBar } from './split-bar';

/** "Split randomly: 50% A, 50% B", drawn as a bar of shares. */
export function LogicSplitNode({ id, data, selected }: NodeProps<CanvasNode>) {
  const detail = <SplitBar config={data.config} />;
  return <NodeCard id={id} data={data} selected={selected} detail={detail} />;
}
