import { EMAIL_ACTIONS } from '@relance/flow';
import { useId } from 'react';
import { TemplatePicker } from '../forms/pickers';
import { useTemplatesWithArchived } from '../lib/catalog';
import { machineAction, text, withEmailAction } from './condition-model';
import { CountInput, HumanOnlyCheck, WithinInput, type LeafProps } from './leaf-parts';

/**
 * Any email, or the emails of one template. The template is optional: "Choose a template…" read
 * as if one had to be chosen. An archived template is offered after the live ones, and says so.
 */
function WhichEmail(props: { id: string; value: string; onChange: (id: string) => void }) {
  const templates = useTemplatesWithArchived();
  if (!templates.available) return <TemplatePicker {...props} />;
  const known = templates.items.some((t) => t.id === props.value);
  const listed = [
    ...templates.items.filter((t) => !t.archived),
    ...templates.items.filter((t) => t.archived),
  ];
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      <option value="">any email</option>
      {!known && props.value !== '' && <option value={props.value}>Missing: {props.value}</option>}
      {listed.map((t) => (
        <option key={t.id} value={t.id}>
          only the email “{t.name}”{t.archived ? ' (archived)' : ''}
        </option>
      ))}
    </select>
  );
}

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
        Which email
      </label>
      <div className="leaf-wide">
        <WhichEmail
          id={templateId}
          value={text(value.templateId)}
          onChange={(t) => onChange({ ...value, templateId: t === '' ? undefined : t })}
        />
      </div>
      {byPerson && <HumanOnlyCheck action={byPerson} value={value} onChange={onChange} />}
    </>
  );
}
