import { EMAIL_ACTIONS } from '@relance/flow';
import { useId } from 'react';
import { TemplatePicker } from '../forms/pickers';
import { machineAction, text, withEmailAction } from './condition-model';
import { CountInput, HumanOnlyCheck, WithinInput, type LeafProps } from './leaf-parts';

/** "opened at least 3 emails in the last 30 days [of template] [by a person only]". */
export function EmailLeaf({ value, onChange }: LeafProps) {
  const templateId = useId();
  const byPerson = machineAction(value);
  return (
    <>
      <select
        aria-label="Email action"
        value={text(value.action)}
        onChange={(e) => onChange(withEmailAction(value, e.target.value))}
      >
        {EMAIL_ACTIONS.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
      <CountInput
        value={value}
        label="Number of emails"
        onChange={(patch) => onChange({ ...value, ...patch })}
      />
      <span>emails</span>
      <WithinInput value={value} onChange={(patch) => onChange({ ...value, ...patch })} />
      <label htmlFor={templateId} className="visually-hidden">
        Only this template
      </label>
      <div className="leaf-wide">
        <TemplatePicker
          id={templateId}
          value={text(value.templateId)}
          onChange={(t) => onChange({ ...value, templateId: t === '' ? undefined : t })}
        />
      </div>
      {byPerson && <HumanOnlyCheck action={byPerson} value={value} onChange={onChange} />}
    </>
  );
}
