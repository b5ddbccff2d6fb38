import { useState, type KeyboardEvent } from 'react';
import './forms.css';

export type Chip = string | number | boolean;

/** Typed text as a chip: trimmed, without a trailing comma. */
const asText = (typed: string): Chip => typed.trim().replace(/,$/, '').trim();

/**
 * Several values as chips (tags, "is one of"): Enter or a comma adds what was typed, × or
 * Backspace on an empty input removes one. `read` turns typed text into a value, or null when it
 * does not fit (the text then stays, with `invalidReason`). Labelled either by a `<label>` for
 * `id` (inside a `Field`) or by `label`.
 */
export function ChipInput({
  values,
  onChange,
  read = asText,
  invalidReason = '',
  label,
  id,
  describedBy,
  placeholder = 'Type a value, then Enter',
  className,
  list,
}: {
  values: readonly Chip[];
  onChange: (values: Chip[]) => void;
  read?: (typed: string) => Chip | null;
  /** Said when `read` refuses what was typed ("Type a number"). */
  invalidReason?: string;
  label?: string;
  id?: string;
  describedBy?: string | undefined;
  placeholder?: string;
  /** Extra classes for the surrounding layout. */
  className?: string;
  /** The id of a `<datalist>` of suggestions for the typed text. */
  list?: string;
}) {
  const [draft, setDraft] = useState('');
  const [refused, setRefused] = useState(false);

  function add(): boolean {
    if (draft.trim() === '') return false;
    const value = read(draft);
    if (value === '') {
      setDraft('');
      return false;
    }
    if (value === null) {
      setRefused(true);
      return false;
    }
    if (!values.includes(value)) onChange([...values, value]);
    setDraft('');
    setRefused(false);
    return true;
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add();
    } else if (event.key === 'Backspace' && draft === '' && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  }

  return (
    <div className={className ? `chip-input ${className}` : 'chip-input'}>
      <ul aria-label={label ? `${label}: chosen values` : 'Chosen values'}>
        {values.map((value) => (
          <li key={String(value)} className="chip">
            {String(value)}
            <button
              type="button"
              aria-label={`Remove ${String(value)}`}
              onClick={() => onChange(values.filter((v) => v !== value))}
            >
              ×
            </button>
          </li>
        ))}
        <li>
          <input
            id={id}
            aria-label={label}
            aria-describedby={describedBy}
            aria-invalid={refused || undefined}
            list={list}
            autoComplete={list ? 'off' : undefined}
            placeholder={values.length === 0 ? placeholder : 'Add another'}
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              setRefused(false);
            }}
            onKeyDown={onKeyDown}
            // Leaving the field keeps what was typed rather than losing it.
            onBlur={add}
          />
        </li>
      </ul>
      {refused && <p className="field-problems">{invalidReason}</p>}
    </div>
  );
}
