import { useId } from 'react';
import { Field } from '../../forms/field';
import { KnownTagOptions } from '../../forms/pickers';
import { stringsOf, type KindFormProps } from './form-props';
import { ChipInput } from '../../forms/chip-input';

export function ActionTagForm({ config, set }: KindFormProps) {
  const tagList = useId();
  const add = stringsOf(config.add);
  const remove = stringsOf(config.remove);
  return (
    <>
      <KnownTagOptions id={tagList} except={[...add, ...remove]} />
      <Field label="Add tags" path="config.add" hint="Press Enter after each tag.">
        {(ids) => (
          <ChipInput
            {...ids}
            list={tagList}
            placeholder="vip"
            values={add}
            onChange={(v) => set('add', v)}
          />
        )}
      </Field>
      <Field label="Remove tags" path="config.remove">
        {(ids) => (
          <ChipInput
            {...ids}
            list={tagList}
            placeholder="trial"
            values={remove}
            onChange={(v) => set('remove', v)}
          />
        )}
      </Field>
    </>
  );
}
