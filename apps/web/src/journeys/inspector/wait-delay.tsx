import { DurationInput } from '../../forms/duration-input';
import { Field } from '../../forms/field';
import { textOf, type KindFormProps } from './form-props';

export function WaitDelayForm({ config, set }: KindFormProps) {
  return (
    <Field label="Wait for" path="config.duration">
      {(ids) => (
        <DurationInput
          {...ids}
          label="Wait"
          value={textOf(config.duration)}
          onChange={(v) => set('duration', v)}
        />
      )}
    </Field>
  );
}
