import { useId, useState } from 'react';
import { DurationInput } from '../forms/duration-input';
import { PropertyPicker } from '../forms/pickers';
import { useKnownProperties } from '../lib/catalog';
import { ChipInput } from '../forms/chip-input';
import { PROPERTY_OPS, text, withPropertyOp } from './condition-model';
import type { LeafProps } from './leaf-parts';
import {
  chipValue,
  comparisonHint,
  fitToType,
  inputFor,
  opsForType,
  TYPE_LABELS,
  typeOfProperty,
} from './property-types';

/**
 * "plan is 'pro'", "signed_up_at is within the last 30 days", "birthday is in the next 7 days":
 * the comparisons and the value input follow the property's registered type.
 */
export function PropertyLeaf({
  value,
  onChange,
  event,
}: LeafProps & { event?: string | undefined }) {
  const propertyId = useId();
  const durationId = useId();
  const known = useKnownProperties(event);
  // What changed when a new property did not fit the comparison, until the marketer picks another
  // property or comparison.
  const [note, setNote] = useState<string | null>(null);
  const typeOf = (property: string) => typeOfProperty(property, known.items, { contact: !event });
  const type = typeOf(text(value.property));
  const input = inputFor(type, value.op);
  const offered = opsForType(type);
  // A stored comparison the type does not offer stays visible rather than silently changing.
  const current = PROPERTY_OPS.find((o) => o.op === value.op);
  const ops = current && !offered.includes(current) ? [...offered, current] : offered;
  const set = (v: unknown) => onChange({ ...value, value: v });
  const hint = comparisonHint(value, type);

  function changeProperty(property: string) {
    const fitted = fitToType({ ...value, property }, typeOf(property));
    setNote(fitted.note);
    onChange(fitted.condition);
  }

  return (
    <>
      <label htmlFor={propertyId} className="visually-hidden">
        Property
      </label>
      <PropertyPicker
        id={propertyId}
        event={event}
        value={text(value.property)}
        onChange={changeProperty}
        warnUnseen
      />
      {type && (
        <span className="leaf-type" title="The kind of value the property holds">
          {TYPE_LABELS[type]}
        </span>
      )}
      <select
        aria-label="Comparison"
        value={text(value.op)}
        onChange={(e) => {
          // A note about the comparison it changed would now describe one no longer shown.
          setNote(null);
          onChange(withPropertyOp(value, e.target.value));
        }}
      >
        {ops.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {input === 'text' && (
        <input aria-label="Value" value={text(value.value)} onChange={(e) => set(e.target.value)} />
      )}
      {input === 'number' && (
        <input
          aria-label="Value"
          type="number"
          className="narrow"
          value={typeof value.value === 'number' ? value.value : ''}
          onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      )}
      {input === 'boolean' && (
        <select
          aria-label="Value"
          value={String(value.value === true)}
          onChange={(e) => set(e.target.value === 'true')}
        >
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      )}
      {input === 'chips' && (
        <ChipInput
          className="leaf-wide"
          label="Values"
          values={Array.isArray(value.value) ? (value.value as (string | number)[]) : []}
          onChange={set}
          read={(typed) => chipValue(typed, type)}
          invalidReason={`“${text(value.property)}” holds numbers: type a number.`}
        />
      )}
      {input === 'date' && (
        <input
          aria-label="Date"
          type="date"
          value={text(value.value).slice(0, 10)}
          onChange={(e) => set(e.target.value)}
        />
      )}
      {input === 'duration' && (
        <DurationInput id={durationId} label="Period" value={text(value.value)} onChange={set} />
      )}
      {input === 'days' && (
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
          <span>{value.op === 'anniversary_in' ? 'days away' : 'days'}</span>
        </>
      )}
      {hint && <p className="field-hint">{hint}</p>}
      {note && (
        <p className="leaf-note" role="status">
          {note}
        </p>
      )}
    </>
  );
}
