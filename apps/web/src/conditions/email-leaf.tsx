import { EMAIL_ACTIONS } from '@relance/flow';
import { useId } from 'react';
import { TemplatePicker } from '../forms/pickers';
import { countsMachines, text, withEmailAction, withHumanOnly } from './condition-model';
import { CountInput, WithinInput, type LeafProps } from './leaf-parts';

/** The "by a person" checkbox's words, for opens and for clicks. */
export function humanOnlyLabel(action: unknown): string {
  return action === 'clicked'
    ? 'Only count clicks by a person (not link scanners)'
    : 'Only count opens by a person (not Apple Mail privacy or link scanners)';
}

/** "opened at least 3 emails in the last 30 days [of template] [by a person only]". */
export function EmailLeaf({ value, onChange }: LeafProps) {
  const templateId = useId();
  const hintId = useId();
  const within = typeof value.within === 'string' ? value.within : undefined;
  const humanOnly = value.humanOnly === true;
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
      <WithinInput value={within} onChange={(w) => onChange({ ...value, within: w })} />
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
      {countsMachines(value.action) && (
        <label className="inline-check leaf-wide-check">
          <input
            type="checkbox"
            checked={humanOnly}
            aria-describedby={humanOnly && value.action === 'opened' ? hintId : undefined}
            onChange={(e) => onChange(withHumanOnly(value, e.target.checked))}
          />
          {humanOnlyLabel(value.action)}
        </label>
      )}
      {humanOnly && value.action === 'opened' && (
        // Apple serves its readers' real opens from its cache: only their clicks reach us.
        <p id={hintId} className="leaf-hint">
          Apple Mail readers then count only when they click a link.
        </p>
      )}
    </>
  );
}
