import { ConditionBuilder } from '../../conditions/condition-builder';
import { DurationInput } from '../../forms/duration-input';
import { Field } from '../../forms/field';
import { textOf, type KindFormProps } from './form-props';

export function WaitConditionForm({ config, set, names }: KindFormProps) {
  return (
    <>
      <h4 className="form-section">Wait until</h4>
      <ConditionBuilder
        value={config.condition}
        onChange={(v) => set('condition', v)}
        path="config.condition"
        names={names}
      />
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
