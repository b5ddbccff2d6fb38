import { useId } from 'react';
import { ProblemList, useProblemsAt } from '../forms/field';
import { KnownTagOptions, SegmentPicker } from '../forms/pickers';
import {
  COMPARE_OPS,
  defaultLeaf,
  LEAF_KINDS,
  type ConditionScope,
  type LeafKind,
  text,
} from './condition-model';
import { EmailLeaf } from './email-leaf';
import { EventLeaf } from './event-leaf';
import type { LeafProps } from './leaf-parts';
import { PropertyLeaf } from './property-leaf';

function TagLeaf({ value, onChange }: LeafProps) {
  const tagList = useId();
  return (
    <>
      <KnownTagOptions id={tagList} />
      <select
        aria-label="Has or lacks"
        value={text(value.op)}
        onChange={(e) => onChange({ ...value, op: e.target.value })}
      >
        <option value="has">has tag</option>
        <option value="lacks">does not have tag</option>
      </select>
      <input
        aria-label="Tag"
        list={tagList}
        autoComplete="off"
        value={text(value.tag)}
        placeholder="vip"
        onChange={(e) => onChange({ ...value, tag: e.target.value })}
      />
    </>
  );
}

function ScoreLeaf({ value, onChange }: LeafProps) {
  return (
    <>
      <span>is</span>
      <select
        aria-label="Comparison"
        value={text(value.op)}
        onChange={(e) => onChange({ ...value, op: e.target.value })}
      >
        {COMPARE_OPS.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      <input
        aria-label="Score"
        type="number"
        className="narrow"
        value={typeof value.value === 'number' ? value.value : ''}
        onChange={(e) =>
          onChange({ ...value, value: e.target.value === '' ? undefined : Number(e.target.value) })
        }
      />
    </>
  );
}

function SegmentLeaf({ value, onChange }: LeafProps) {
  const id = useId();
  return (
    <>
      <select
        aria-label="In or not in"
        value={text(value.op)}
        onChange={(e) => onChange({ ...value, op: e.target.value })}
      >
        <option value="in">is in</option>
        <option value="not_in">is not in</option>
      </select>
      <label htmlFor={id} className="visually-hidden">
        Segment
      </label>
      <SegmentPicker
        id={id}
        value={text(value.segmentId)}
        onChange={(segmentId) => onChange({ ...value, segmentId })}
      />
    </>
  );
}

/** One condition: what it looks at, then the inputs that kind needs, then its problems. */
export function LeafEditor({
  value,
  onChange,
  onRemove,
  path,
  scope,
}: LeafProps & { onRemove: () => void; scope: ConditionScope }) {
  const problems = useProblemsAt(path);
  const kind = text(value.kind) as LeafKind;
  const kinds =
    scope.kind === 'event' ? LEAF_KINDS.filter((k) => k.kind === 'property') : LEAF_KINDS;
  const props = { value, onChange, path };
  return (
    <div className={`condition-leaf${problems.length > 0 ? ' has-problem' : ''}`}>
      <div className="leaf-row">
        {kinds.length > 1 && (
          <select
            aria-label="What to check"
            value={kind}
            onChange={(e) => onChange(defaultLeaf(e.target.value as LeafKind))}
            className="leaf-kind"
          >
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        )}
        {kind === 'property' && <PropertyLeaf {...props} event={scope.event} />}
        {kind === 'tag' && <TagLeaf {...props} />}
        {kind === 'score' && <ScoreLeaf {...props} />}
        {kind === 'segment' && <SegmentLeaf {...props} />}
        {kind === 'email' && <EmailLeaf {...props} />}
        {(kind === 'event_count' || kind === 'event_last' || kind === 'event_aggregate') && (
          <EventLeaf {...props} />
        )}
        <button
          type="button"
          className="icon-button leaf-remove"
          onClick={onRemove}
          aria-label="Remove condition"
        >
          ×
        </button>
      </div>
      <ProblemList problems={problems} />
    </div>
  );
}
