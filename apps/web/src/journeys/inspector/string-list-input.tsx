import { useState, type KeyboardEvent } from 'react';

/** A list of short strings (tags) as removable chips and an input that adds on Enter or comma. */
export function StringListInput({
  id,
  values,
  onChange,
  placeholder,
  describedBy,
}: {
  id: string;
  values: string[];
  onChange: (values: string[]) => void;
  placeholder: string;
  describedBy?: string | undefined;
}) {
  const [draft, setDraft] = useState('');
  function commit() {
    const value = draft.trim().replace(/,$/, '').trim();
    if (value !== '' && !values.includes(value)) onChange([...values, value]);
    setDraft('');
  }
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Backspace' && draft === '' && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  }
  return (
    <div className="chips-input">
      {values.map((value) => (
        <span key={value} className="chip">
          {value}
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove ${value}`}
            onClick={() => onChange(values.filter((v) => v !== value))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        id={id}
        value={draft}
        placeholder={values.length === 0 ? placeholder : ''}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={commit}
        aria-describedby={describedBy}
      />
    </div>
  );
}
