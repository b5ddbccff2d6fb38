import { Field } from '../../forms/field';
import { stringsOf, type KindFormProps } from './form-props';
import { SegmentListInput } from './segment-list-input';

export function ActionSegmentForm({ config, set }: KindFormProps) {
  return (
    <>
      <p className="muted">Choose both to move contacts from one list to another.</p>
      <Field label="Add to" path="config.add">
        {(ids) => (
          <SegmentListInput
            {...ids}
            values={stringsOf(config.add)}
            onChange={(v) => set('add', v)}
          />
        )}
      </Field>
      <Field label="Remove from" path="config.remove">
        {(ids) => (
          <SegmentListInput
            {...ids}
            values={stringsOf(config.remove)}
            onChange={(v) => set('remove', v)}
          />
        )}
      </Field>
    </>
  );
}
