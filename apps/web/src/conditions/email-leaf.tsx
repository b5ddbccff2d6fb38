import { EMAIL_ACTIONS } from '@relance/flow';
import { useId } from 'react';
import { TemplatePicker } from '../forms/pickers';
import { COUNT_OPS, countsMachines, text, withEmailAction, withHumanOnly } from './condition-model';
import { WithinInput, type LeafProps } from './leaf-parts';

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
      <select
        aria-label="How many times"
        value={text(value.op)}
        onChange={(e) => onChange({ ...value, op: e.target.value })}
      >
        {COUNT_OPS.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      <input
        aria-label="Number of emails"
        type="number"
        min={0}
        className="narrow"
        value={typeof value.count === 'number' ? value.count : ''}
        onChange={(e) =>
          onChange({ ...value, count: e.target.value === '' ? undefined : Number(e.target.value) })
        }
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
