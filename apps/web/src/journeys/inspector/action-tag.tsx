import { Field } from '../../forms/field';
import { stringsOf, type KindFormProps } from './form-props';
import { ChipInput } from '../../forms/chip-input';

export function ActionTagForm({ config, set }: KindFormProps) {
  return (
    <>
      <Field label="Add tags" path="config.add" hint="Press Enter after each tag.">
        {(ids) => (
          <ChipInput
            {...ids}
            placeholder="vip"
            values={stringsOf(config.add)}
            onChange={(v) => set('add', v)}
          />
        )}
      </Field>
      <Field label="Remove tags" path="config.remove">
        {(ids) => (
          <ChipInput
            {...ids}
            placeholder="trial"
            values={stringsOf(config.remove)}
            onChange={(v) => set('remove', v)}
          />
        )}
      </Field>
    </>
  );
}
