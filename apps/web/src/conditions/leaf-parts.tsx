import { useId } from 'react';
import { DurationInput } from '../forms/duration-input';
import type { Loose } from './condition-model';

export interface LeafProps {
  value: Loose;
  onChange: (value: Loose) => void;
  path: string;
}

/** "in the last [30 days]" or "ever". */
export function WithinInput({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const id = useId();
  return (
    <>
      <select
        aria-label="Time window"
        value={value === undefined ? 'ever' : 'within'}
        onChange={(e) => onChange(e.target.value === 'ever' ? undefined : '30d')}
      >
        <option value="within">in the last</option>
        <option value="ever">ever</option>
      </select>
      {value !== undefined && (
        <DurationInput id={id} label="Time window" value={value} onChange={onChange} />
      )}
    </>
  );
}
