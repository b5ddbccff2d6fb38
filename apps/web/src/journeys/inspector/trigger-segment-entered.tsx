import { Field } from '../../forms/field';
import { SegmentPicker } from '../../forms/pickers';
import { textOf, type KindFormProps } from './form-props';

export function TriggerSegmentEnteredForm({ config, set }: KindFormProps) {
  return (
    <Field label="When a contact enters" path="config.segmentId">
      {(ids) => (
        <SegmentPicker
          {...ids}
          value={textOf(config.segmentId)}
          onChange={(v) => set('segmentId', v)}
        />
      )}
    </Field>
  );
}
