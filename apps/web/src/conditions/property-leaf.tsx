import { useId } from 'react';
import { DurationInput } from '../forms/duration-input';
import { PropertyPicker } from '../forms/pickers';
import { parseList, PROPERTY_OPS, shapeOf, withPropertyOp, text } from './condition-model';
import type { LeafProps } from './leaf-parts';

/** "plan is 'pro'", "signed_up_at is within the last 30 days", "birthday has its anniversary in 7 days". */
export function PropertyLeaf({
  value,
  onChange,
  event,
}: LeafProps & { event?: string | undefined }) {
  const propertyId = useId();
  const durationId = useId();
  const shape = shapeOf(value.op);
  const set = (v: unknown) => onChange({ ...value, value: v });
  return (
    <>
      <label htmlFor={propertyId} className="visually-hidden">
        Property
      </label>
      <PropertyPicker
        id={propertyId}
        event={event}
        value={text(value.property)}
        onChange={(property) => onChange({ ...value, property })}
      />
      <select
        aria-label="Comparison"
        value={text(value.op)}
        onChange={(e) => onChange(withPropertyOp(value, e.target.value))}
      >
        {PROPERTY_OPS.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {shape === 'text' && (
        <input aria-label="Value" value={text(value.value)} onChange={(e) => set(e.target.value)} />
      )}
      {shape === 'number' && (
        <input
          aria-label="Value"
          type="number"
          className="narrow"
          value={typeof value.value === 'number' ? value.value : ''}
          onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      )}
      {shape === 'list' && (
        <input
          aria-label="Values, separated by commas"
          placeholder="red, green, blue"
          defaultValue={Array.isArray(value.value) ? value.value.join(', ') : ''}
          onChange={(e) => set(parseList(e.target.value))}
        />
      )}
      {shape === 'date' && (
        <input
          aria-label="Date"
          type="date"
          value={text(value.value).slice(0, 10)}
          onChange={(e) => set(e.target.value)}
        />
      )}
      {shape === 'duration' && (
        <DurationInput id={durationId} label="Period" value={text(value.value)} onChange={set} />
      )}
      {shape === 'days' && (
        <>
          <input
            aria-label="Days from today"
            type="number"
            min={0}
            max={366}
            className="narrow"
            value={typeof value.days === 'number' ? value.days : ''}
            onChange={(e) =>
              onChange({
                ...value,
                days: e.target.value === '' ? undefined : Number(e.target.value),
              })
            }
          />
          <span>days</span>
        </>
      )}
    </>
  );
}
