import { DurationInput } from '../../forms/duration-input';
import { Field } from '../../forms/field';
import { EventPicker } from '../../forms/pickers';
import { EventFilterField } from './event-filter-field';
import { EventHumanOnly, withEvent } from './event-human-only';
import { textOf, type KindFormProps } from './form-props';

export function WaitEventForm({ config, set, replace }: KindFormProps) {
  const event = textOf(config.event);
  return (
    <>
      <Field label="Wait until the contact does" path="config.event">
        {(ids) => (
          <EventPicker {...ids} value={event} onChange={(v) => replace(withEvent(config, v))} />
        )}
      </Field>
      <EventHumanOnly config={config} event={event} replace={replace} />
      <EventFilterField where={config.where} event={event} set={set} />
      <Field
        label="Give up after"
        path="config.timeout"
        hint="Then the contact takes the “timed out” path."
      >
        {(ids) => (
          <DurationInput
            {...ids}
            label="Give up after"
            value={textOf(config.timeout)}
            onChange={(v) => set('timeout', v)}
          />
        )}
      </Field>
    </>
  );
}
