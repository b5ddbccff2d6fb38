import type { NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../canvas/convert';
import { EmailSummary } from '../../components/email-results';
import { useEmailStats } from '../live/node-stats-context';
import { NodeCard } from './node-card';

/** "Send 'Your order tips'", with its topic, and on the live view what its emails did. */
export function ActionSendEmailNode({ id, data, selected }: NodeProps<CanvasNode>) {
  const emails = useEmailStats(id);
  const topic = data.config.topic;
  const topicLine = typeof topic === 'string' && topic !== '' ? `Topic: ${topic}` : null;
  const detail =
    topicLine || emails ? (
      <>
        {topicLine}
        {emails && <EmailSummary stats={emails} />}
      </>
    ) : undefined;
  return <NodeCard id={id} data={data} selected={selected} detail={detail} />;
}
