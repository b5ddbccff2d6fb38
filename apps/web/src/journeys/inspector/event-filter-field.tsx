import { ConditionBuilder } from '../../conditions/condition-builder';
import type { KindFormProps } from './form-props';

/** The optional filter on an event's properties, shared by the event trigger and the event wait. */
export function EventFilterField({
  where,
  event,
  set,
}: {
  where: unknown;
  event: string;
  set: KindFormProps['set'];
}) {
  return (
    <fieldset className="subtle">
      <legend>Only when the event matches</legend>
      {where === undefined ? (
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
            value={where}
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
  );
}
