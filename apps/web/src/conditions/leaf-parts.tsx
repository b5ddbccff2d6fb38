import { createContext, useContext, useId } from 'react';
import { DurationInput } from '../forms/duration-input';
import { COUNT_OPS, text, withHumanOnly, type Loose } from './condition-model';

export interface LeafProps {
  value: Loose;
  onChange: (value: Loose) => void;
  path: string;
}

/**
 * Whether the condition being edited is a journey's (if/else, waits, goals, exits), where a
 * count can be "since they entered the journey"; segments and scoring have no entry.
 */
export const InJourneyContext = createContext(false);

type Window = 'within' | 'since_entry' | 'ever';

/** "in the last [30 days]", "since they entered the journey" (in a journey) or "ever". */
export function WithinInput({
  value,
  onChange,
}: {
  /** The leaf: its `within` and `sinceEntry`. */
  value: Loose;
  onChange: (patch: { within: string | undefined; sinceEntry: true | undefined }) => void;
}) {
  const id = useId();
  const inJourney = useContext(InJourneyContext);
  const within = typeof value.within === 'string' ? value.within : undefined;
  const window: Window =
    within !== undefined ? 'within' : value.sinceEntry === true ? 'since_entry' : 'ever';
  const choose = (next: Window) =>
    onChange({
      within: next === 'within' ? '30d' : undefined,
      sinceEntry: next === 'since_entry' ? true : undefined,
    });
  return (
    <>
      <select
        aria-label="Time window"
        value={window}
        onChange={(e) => choose(e.target.value as Window)}
      >
        <option value="within">in the last</option>
        {(inJourney || window === 'since_entry') && (
          <option value="since_entry">since they entered the journey</option>
        )}
        <option value="ever">ever</option>
      </select>
      {within !== undefined && (
        <DurationInput
          id={id}
          label="Time window"
          value={within}
          onChange={(w) => onChange({ within: w, sinceEntry: undefined })}
        />
      )}
    </>
  );
}

/** "at least [3]": how the count compares, and the number (`label` names what is counted). */
export function CountInput({
  value,
  label,
  onChange,
}: {
  value: Loose;
  label: string;
  onChange: (patch: { op?: string; count?: number | undefined }) => void;
}) {
  return (
    <>
      <select
        aria-label="How many times"
        value={text(value.op)}
        onChange={(e) => onChange({ op: e.target.value })}
      >
        {COUNT_OPS.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      <input
        aria-label={label}
        type="number"
        min={0}
        className="narrow"
        value={typeof value.count === 'number' ? value.count : ''}
        onChange={(e) =>
          onChange({ count: e.target.value === '' ? undefined : Number(e.target.value) })
        }
      />
    </>
  );
}

/** The "by a person" checkbox's words, for opens and for clicks. */
export function humanOnlyLabel(action: 'opened' | 'clicked'): string {
  return action === 'clicked'
    ? 'Only count clicks by a person (not link scanners)'
    : 'Only count opens by a person (not Apple Mail privacy or link scanners)';
}

/**
 * "Only count opens/clicks by a person" for a leaf about opens or clicks (the email leaf, "last
 * time they did email.clicked"), with what it does to Apple Mail readers' opens.
 */
export function HumanOnlyCheck({
  action,
  value,
  onChange,
}: {
  action: 'opened' | 'clicked';
  value: Loose;
  onChange: (value: Loose) => void;
}) {
  const hintId = useId();
  const humanOnly = value.humanOnly === true;
  const hinted = humanOnly && action === 'opened';
  return (
    <>
      <label className="inline-check leaf-wide-check">
        <input
          type="checkbox"
          checked={humanOnly}
          aria-describedby={hinted ? hintId : undefined}
          onChange={(e) => onChange(withHumanOnly(value, e.target.checked))}
        />
        {humanOnlyLabel(action)}
      </label>
      {hinted && (
        // Apple serves its readers' real opens from its cache: only their clicks reach us.
        <p id={hintId} className="leaf-hint">
          Apple Mail readers then count only when they click a link.
        </p>
      )}
    </>
  );
}
