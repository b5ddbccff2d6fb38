import { useState } from 'react';
import { DURATION_UNITS, joinDuration, splitDuration, type DurationUnit } from './duration';
import { useHasFieldLabel } from './field';

/** A duration as an amount and a unit; durations written another way stay editable as text. */
export function DurationInput({
  id,
  value,
  onChange,
  describedBy,
  invalid,
  label,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  describedBy?: string | undefined;
  invalid?: boolean;
  /** What the duration is ("Wait"): names the unit select, and the amount box when no label does. */
  label: string;
}) {
  // Inside a <Field> whose label points at `id`, the label names the amount box already.
  const named = useHasFieldLabel(id);
  const amountName = named ? undefined : `${label} amount`;
  const parts = splitDuration(value);
  const [raw, setRaw] = useState(parts === null);
  if (raw || parts === null) {
    return (
      <div className="duration-input">
        <input
          id={id}
          aria-label={named ? undefined : label}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          placeholder="3d, 12h, P1W"
        />
        {parts !== null && (
          <button type="button" className="link-button" onClick={() => setRaw(false)}>
            Use units
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="duration-input">
      <input
        id={id}
        aria-label={amountName}
        type="number"
        min={1}
        step="any"
        inputMode="decimal"
        value={parts.amount}
        onChange={(e) => onChange(joinDuration({ amount: e.target.value, unit: parts.unit }))}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
      />
      <select
        aria-label={`${label} unit`}
        value={parts.unit}
        onChange={(e) =>
          onChange(
            joinDuration({ amount: parts.amount || '1', unit: e.target.value as DurationUnit }),
          )
        }
      >
        {DURATION_UNITS.map((u) => (
          <option key={u.unit} value={u.unit}>
            {parts.amount === '1' ? u.one : u.label}
          </option>
        ))}
      </select>
    </div>
  );
}
