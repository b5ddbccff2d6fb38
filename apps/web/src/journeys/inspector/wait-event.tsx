import { DurationInput } from '../../forms/duration-input';
import { Field } from '../../forms/field';
import { EventPicker } from '../../forms/pickers';
import { EventFilterField } from './event-filter-field';
import { textOf, type KindFormProps } from './form-props';

export function WaitEventForm({ config, set }: KindFormProps) {
  const event = textOf(config.event);
  return (
    <>
      <Field label="Wait until the contact does" path="config.event">
        {(ids) => <EventPicker {...ids} value={event} onChange={(v) => set('event', v)} />}
      </Field>
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
