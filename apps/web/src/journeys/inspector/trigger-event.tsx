import { ConditionBuilder } from '../../conditions/condition-builder';
import { Field } from '../../forms/field';
import { EventPicker, PropertyPicker } from '../../forms/pickers';
import { textOf, type KindFormProps } from './form-props';

export function TriggerEventForm({ config, set }: KindFormProps) {
  const event = textOf(config.event);
  return (
    <>
      <Field
        label="When this event happens"
        path="config.event"
        hint="Events arrive through the API or a signup form."
      >
        {(ids) => <EventPicker {...ids} value={event} onChange={(v) => set('event', v)} />}
      </Field>
      <fieldset className="subtle">
        <legend>Only when the event matches</legend>
        {config.where === undefined ? (
          <button
            type="button"
            onClick={() =>
              set('where', {
                kind: 'all',
                conditions: [{ kind: 'property', property: '', op: 'eq', value: '' }],
              })
            }
          >
            + Add a filter on the event
          </button>
        ) : (
          <>
            <ConditionBuilder
              value={config.where}
              onChange={(v) => set('where', v)}
              path="config.where"
              scope={{ kind: 'event', event }}
            />
            <button type="button" className="link-button" onClick={() => set('where', undefined)}>
              Remove the filter
            </button>
          </>
        )}
      </fieldset>
      <Field
        label="One journey per (optional)"
        path="config.entryKey"
        hint="An event property such as orderId: each order starts its own run for the same contact."
      >
        {(ids) => (
          <PropertyPicker
            {...ids}
            event={event}
            value={textOf(config.entryKey)}
            onChange={(v) => set('entryKey', v.trim() === '' ? undefined : v)}
          />
        )}
      </Field>
    </>
  );
}
