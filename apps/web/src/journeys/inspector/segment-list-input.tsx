import { useId } from 'react';
import { SegmentPicker } from '../../forms/pickers';
import { useSegments } from '../../lib/catalog';

/** Several segments: the chosen ones as removable chips, and a picker to add one more. */
export function SegmentListInput({
  id,
  values,
  onChange,
  describedBy,
}: {
  id: string;
  values: string[];
  onChange: (values: string[]) => void;
  describedBy?: string | undefined;
}) {
  const segments = useSegments();
  const pickerKey = useId();
  const nameOf = (segmentId: string) =>
    segments.items.find((s) => s.id === segmentId)?.name ?? segmentId;
  return (
    <div className="segment-list">
      {values.map((value) => (
        <span key={value} className="chip">
          {nameOf(value)}
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove ${nameOf(value)}`}
            onClick={() => onChange(values.filter((v) => v !== value))}
          >
            ×
          </button>
        </span>
      ))}
      <SegmentPicker
        key={`${pickerKey}-${values.length}`}
        id={id}
        onlyStatic
        describedBy={describedBy}
        value=""
        onChange={(segmentId) => {
          if (segmentId !== '' && !values.includes(segmentId)) onChange([...values, segmentId]);
        }}
      />
    </div>
  );
}
