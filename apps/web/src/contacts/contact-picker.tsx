import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useDebounced } from '../lib/use-debounced';
import { contactKeys, contactsApi } from './contact-api';
import { contactLabel } from './contact-label';
import './contact-picker.css';

/** Finds a contact by email, id or name and hands its id back (preview as, enrol). */
export function ContactPicker({
  id,
  value,
  onChange,
  label,
  exclude,
}: {
  id: string;
  value: { id: string; label: string } | null;
  onChange: (contact: { id: string; label: string }) => void;
  label: string;
  /** A contact not to offer: the one whose duplicate is being looked for. */
  exclude?: string;
}) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const q = useDebounced(query, 250);
  const results = useQuery({
    queryKey: [...contactKeys.list(q), 'picker'],
    queryFn: ({ signal }) => contactsApi.list(q, undefined, 8, {}, signal, { total: false }),
    placeholderData: keepPreviousData,
    enabled: open,
  });
  const closing = useRef<ReturnType<typeof setTimeout>>(undefined);
  const reopen = () => {
    clearTimeout(closing.current);
    setOpen(true);
  };
  useEffect(() => () => clearTimeout(closing.current), []);
  const listId = `${id}-results`;
  const found = results.data?.contacts.filter((c) => c.id !== exclude);
  return (
    <div className="contact-picker">
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-label={label}
        autoComplete="off"
        placeholder={value ? value.label : 'Search contacts by email or name'}
        value={query}
        onFocus={reopen}
        // Late enough for a click on a result to land first; called off if focus comes back.
        onBlur={() => {
          closing.current = setTimeout(() => setOpen(false), 150);
        }}
        onChange={(e) => {
          setQuery(e.target.value);
          reopen();
        }}
      />
      {open && (
        <ul id={listId} role="listbox" className="picker-results">
          {results.isPending && <li className="muted">Searching…</li>}
          {results.isError && <li className="field-problems">{results.error.message}</li>}
          {found?.length === 0 && (
            <li className="muted">
              {exclude ? 'No other contact matches.' : 'No contact matches.'}
            </li>
          )}
          {found?.map((c) => {
            const text = contactLabel(c);
            return (
              <li key={c.id} role="option" aria-selected={value?.id === c.id}>
                <button
                  type="button"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => {
                    onChange({ id: c.id, label: text });
                    setQuery('');
                    setOpen(false);
                  }}
                >
                  {text}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
