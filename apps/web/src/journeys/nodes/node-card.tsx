import { Handle, Position } from '@xyflow/react';
import { definitionOf, describeNode, portLabelOf, portsOf } from '@relance/flow';
import { memo, type ReactNode } from 'react';
import { GroupIcon } from '../../components/icons';
import type { CanvasNodeData } from '../canvas/convert';
import { useEditor } from '../canvas/editor-context';
import { problemsOf } from '../canvas/problems';
import { NodeStatsBadge } from '../live/node-stats-badge';
import { useNodeStats } from '../live/node-stats-context';

export interface NodeCardProps {
  id: string;
  data: CanvasNodeData;
  selected: boolean;
  /** A second line particular to the kind: the topic of an email, the split bars. */
  detail?: ReactNode;
}

/** The card every node kind draws: icon, kind, the step as a sentence, ports, problems, counts. */
export const NodeCard = memo(function NodeCard({ id, data, selected, detail }: NodeCardProps) {
  const problems = useEditor((s) => problemsOf(s.problemsByNode, id));
  const context = useEditor((s) => s.context);
  const stats = useNodeStats(id);
  // Connected ports are named on their edges; the card names only those still open.
  const connected = useEditor((s) =>
    s.edges
      .filter((e) => e.source === id)
      .map((e) => e.sourceHandle)
      .join(' '),
  ).split(' ');
  const definition = definitionOf(data.kind);
  const sentence = describeNode(data, context);
  const ports = portsOf(data);
  const named = ports.length > 1 || (ports.length === 1 && ports[0] !== 'out');
  const invalid = problems.length > 0;
  const className = [
    'node-card',
    `group-${definition.group}`,
    selected ? 'selected' : '',
    invalid ? 'invalid' : '',
  ].join(' ');

  return (
    <div
      className={className}
      aria-label={`${definition.label}: ${sentence}${invalid ? `. ${problems.length} problem${problems.length === 1 ? '' : 's'}` : ''}`}
    >
      {definition.group !== 'trigger' && (
        <Handle type="target" position={Position.Top} className="handle target" />
      )}
      <div className="node-head">
        <GroupIcon group={definition.group} />
        <span className="node-kind">{definition.label}</span>
        {invalid && (
          <span className="node-problem-badge" aria-hidden="true">
            !
          </span>
        )}
      </div>
      <p className="node-sentence">{sentence}</p>
      {detail && <div className="node-detail">{detail}</div>}
      {stats && <NodeStatsBadge stats={stats} />}
      {named && ports.some((port) => !connected.includes(port)) && (
        <div className="node-ports" aria-hidden="true">
          {ports.map((port, index) =>
            connected.includes(port) ? null : (
              <span key={port} style={{ left: `${((index + 1) / (ports.length + 1)) * 100}%` }}>
                {portLabelOf(data, port, context)}
              </span>
            ),
          )}
        </div>
      )}
      {ports.map((port, index) => (
        <Handle
          key={port}
          type="source"
          id={port}
          position={Position.Bottom}
          className={`handle source port-${port}`}
          style={{ left: `${((index + 1) / (ports.length + 1)) * 100}%` }}
          title={named ? portLabelOf(data, port, context) : 'Drag to connect the next step'}
        />
      ))}
      {invalid && (
        <ul className="node-problems" role="tooltip">
          {problems.map((p) => (
            <li key={`${p.field ?? ''}:${p.message}`}>{p.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
});
