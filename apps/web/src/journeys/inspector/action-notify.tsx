import { aria, Field } from '../../forms/field';
import { textOf, type KindFormProps } from './form-props';

export function ActionNotifyForm({ config, set }: KindFormProps) {
  return (
    <>
      <Field label="Teammate's email" path="config.to">
        {(ids) => (
          <input
            {...aria(ids)}
            type="email"
            value={textOf(config.to)}
            placeholder="sales@example.com"
            onChange={(e) => set('to', e.target.value)}
          />
        )}
      </Field>
      <Field label="Subject" path="config.subject" hint="Liquid works here: {{ contact.email }}">
        {(ids) => (
          <input
            {...aria(ids)}
            value={textOf(config.subject)}
            onChange={(e) => set('subject', e.target.value)}
          />
        )}
      </Field>
      <Field label="Message" path="config.body">
        {(ids) => (
          <textarea
            {...aria(ids)}
            rows={5}
            value={textOf(config.body)}
            onChange={(e) => set('body', e.target.value)}
          />
        )}
      </Field>
    </>
  );
}
