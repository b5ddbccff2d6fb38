import { useId } from 'react';
import { DurationInput } from '../forms/duration-input';
import { EventPicker, PropertyPicker } from '../forms/pickers';
import { useKnownProperties } from '../lib/catalog';
import { COMPARE_OPS, machineAction, text, withEvent } from './condition-model';
import type { PropertyType } from './property-types';
import { CountInput, HumanOnlyCheck, WithinInput, type LeafProps } from './leaf-parts';

const AGGREGATES = [
  { fn: 'sum', label: 'total' },
  { fn: 'avg', label: 'average' },
  { fn: 'min', label: 'smallest' },
  { fn: 'max', label: 'largest' },
] as const;

const HOLDS: Record<PropertyType, string> = {
  string: 'text',
  number: 'numbers',
  boolean: 'yes / no values',
  date: 'dates',
  array: 'lists',
  object: 'groups of values',
};

/**
 * Why a total, average, smallest or largest of `property` finds nobody when the event's property
 * is registered as something other than a number ("currency" holds text), with the numbers it has.
 */
export function notANumberHint(
  property: string,
  fn: unknown,
  known: readonly { name: string; type: PropertyType }[],
): string | undefined {
  const type = known.find((p) => p.name === property)?.type;
  if (type === undefined || type === 'number') return undefined;
  const what = AGGREGATES.find((a) => a.fn === fn)?.label ?? 'total';
  const numbers = known.filter((p) => p.type === 'number').map((p) => p.name);
  return (
    `“${property}” holds ${HOLDS[type]}, not numbers: no ${what} can be made of it.` +
    (numbers.length > 0 ? ` Choose a number, such as ${numbers.join(' or ')}.` : '')
  );
}

/** Event history: how often, how long ago, or how much ("spent more than 500 in a year"). */
export function EventLeaf({ value, onChange }: LeafProps) {
  const eventId = useId();
  const durationId = useId();
  const propertyId = useId();
  const event = text(value.event);
  const eventProperties = useKnownProperties(event || undefined);
  const set = (patch: Record<string, unknown>) => onChange({ ...value, ...patch });
  const eventInput = (
    <>
      <label htmlFor={eventId} className="visually-hidden">
        Event
      </label>
      <EventPicker id={eventId} value={event} onChange={(e) => onChange(withEvent(value, e))} />
    </>
  );

  if (value.kind === 'event_last') {
    const byPerson = machineAction(value);
    return (
      <>
        {eventInput}
        <select
          aria-label="When"
          value={text(value.op)}
          onChange={(e) => set({ op: e.target.value })}
        >
          <option value="more_than">last happened more than</option>
          <option value="within">happened within the last</option>
        </select>
        <DurationInput
          id={durationId}
          label="How long"
          value={text(value.duration)}
          onChange={(d) => set({ duration: d })}
        />
        {value.op === 'more_than' && <span>ago</span>}
        {value.op === 'more_than' && (
          <label className="inline-check">
            <input
              type="checkbox"
              checked={value.includeNever !== false}
              onChange={(e) => set({ includeNever: e.target.checked })}
            />
            or never (counting from when they joined)
          </label>
        )}
        {byPerson && <HumanOnlyCheck action={byPerson} value={value} onChange={onChange} />}
      </>
    );
  }

  if (value.kind === 'event_count') {
    return (
      <>
        {eventInput}
        <span>happened</span>
        <CountInput value={value} label="Number of times" onChange={set} />
        <span>times</span>
        <WithinInput value={value} onChange={set} />
      </>
    );
  }

  const notNumber = event
    ? notANumberHint(text(value.property).trim(), value.fn, eventProperties.items)
    : undefined;
  return (
    <>
      <select
        aria-label="Total or average"
        value={text(value.fn)}
        onChange={(e) => set({ fn: e.target.value })}
      >
        {AGGREGATES.map((a) => (
          <option key={a.fn} value={a.fn}>
            {a.label}
          </option>
        ))}
      </select>
      <span>of</span>
      <label htmlFor={propertyId} className="visually-hidden">
        Event property
      </label>
      {event ? (
        <PropertyPicker
          id={propertyId}
          event={event}
          value={text(value.property)}
          onChange={(p) => set({ property: p })}
          warnUnseen
        />
      ) : (
        // Without its event the picker would offer the contact's properties (total_spent),
        // which no event carries: the total would be of nothing.
        <input
          id={propertyId}
          value={text(value.property)}
          placeholder="choose the event first"
          disabled
        />
      )}
      <span>in</span>
      {eventInput}
      <span>is</span>
      <select
        aria-label="Comparison"
        value={text(value.op)}
        onChange={(e) => set({ op: e.target.value })}
      >
        {COMPARE_OPS.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      <input
        aria-label="Amount"
        type="number"
        className="narrow"
        value={typeof value.value === 'number' ? value.value : ''}
        onChange={(e) => set({ value: e.target.value === '' ? undefined : Number(e.target.value) })}
      />
      <WithinInput value={value} onChange={set} />
      {notNumber && <p className="field-hint">{notNumber}</p>}
    </>
  );
}
