import { ConditionBuilder } from '../../conditions/condition-builder';
import { DurationInput } from '../../forms/duration-input';
import { Field } from '../../forms/field';
import { EventPicker } from '../../forms/pickers';
import { textOf, type KindFormProps } from './form-props';

export function WaitEventForm({ config, set }: KindFormProps) {
  const event = textOf(config.event);
  return (
    <>
      <Field label="Wait until the contact does" path="config.event">
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
