import { aria, Field } from '../../forms/field';
import { TemplatePicker } from '../../forms/pickers';
import { textOf, type KindFormProps } from './form-props';

export function ActionSendEmailForm({ config, set }: KindFormProps) {
  return (
    <>
      <Field label="Email template" path="config.templateId">
        {(ids) => (
          <TemplatePicker
            {...ids}
            value={textOf(config.templateId)}
            onChange={(v) => set('templateId', v)}
          />
        )}
      </Field>
      <Field
        label="Subscription topic (optional)"
        path="config.topic"
        hint="Contacts who opted out of this topic are skipped. Leave empty to use the template's topic."
      >
        {(ids) => (
          <input
            {...aria(ids)}
            value={textOf(config.topic)}
            placeholder="offers"
            onChange={(e) =>
              set('topic', e.target.value.trim() === '' ? undefined : e.target.value)
            }
          />
        )}
      </Field>
    </>
  );
}
