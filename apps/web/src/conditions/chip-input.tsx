import { useState, type KeyboardEvent } from 'react';

type Chip = string | number | boolean;

/**
 * Several values as chips ("is one of"): Enter or a comma adds what was typed, × or Backspace
 * on an empty input removes one. `read` turns typed text into a value, or null when it does not
 * fit the property's type (the text then stays, with the reason).
 */
export function ChipInput({
  values,
  onChange,
  read,
  invalidReason,
  label,
}: {
  values: readonly Chip[];
  onChange: (values: Chip[]) => void;
  read: (typed: string) => Chip | null;
  /** Said when `read` refuses what was typed ("Type a number"). */
  invalidReason: string;
  label: string;
}) {
  const [draft, setDraft] = useState('');
  const [refused, setRefused] = useState(false);

  function add(): boolean {
    if (draft.trim() === '') return false;
    const value = read(draft);
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
    <div className="chip-input leaf-wide">
      <ul aria-label={`${label}: chosen values`}>
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
            aria-label={label}
            aria-invalid={refused || undefined}
            placeholder={values.length === 0 ? 'Type a value, then Enter' : 'Add another'}
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
