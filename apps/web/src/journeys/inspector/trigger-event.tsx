import { Field } from '../../forms/field';
import { EventPicker, PropertyPicker } from '../../forms/pickers';
import { EventFilterField } from './event-filter-field';
import { EntryOnceNotice } from './entry-once-notice';
import { EventHumanOnly, withEvent } from './event-human-only';
import { textOf, type KindFormProps } from './form-props';

export function TriggerEventForm({ config, set, replace, names }: KindFormProps) {
  const event = textOf(config.event);
  const entryKey = textOf(config.entryKey);
  return (
    <>
      <Field
        label="When this event happens"
        path="config.event"
        hint="Events arrive through the API or a signup form."
      >
        {(ids) => (
          <EventPicker {...ids} value={event} onChange={(v) => replace(withEvent(config, v))} />
        )}
      </Field>
      <EventHumanOnly config={config} event={event} replace={replace} />
      <EventFilterField where={config.where} event={event} set={set} />
      <EntryOnceNotice
        event={event.trim()}
        entryKey={entryKey}
        names={names}
        onKey={(key) => set('entryKey', key)}
      />
      <Field
        label="One journey per (optional)"
        path="config.entryKey"
        hint="An event property such as orderId: each order starts its own run for the same contact."
      >
        {(ids) => (
          <PropertyPicker
            {...ids}
            event={event}
            placeholder="orderId"
            value={entryKey}
            onChange={(v) => set('entryKey', v.trim() === '' ? undefined : v)}
          />
        )}
      </Field>
    </>
  );
}
