import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { ErrorNotice } from '../components/status';
import { useSegments } from '../lib/catalog';
import { useWorkspaceTime } from '../lib/workspace';
import { segmentsApi } from '../segments/segment-api';
import { contactKeys, type ContactProfile } from './contact-api';

/**
 * The profile's segments: where the contact is and since when. Static lists (the ones kept by
 * hand, imports and journeys) can be joined or left from here; dynamic ones follow their rule.
 */
export function ProfileSegments({ contact }: { contact: ContactProfile }) {
  const queryClient = useQueryClient();
  const selectId = useId();
  const segments = useSegments();
  const time = useWorkspaceTime();
  const [chosen, setChosen] = useState('');
  const change = useMutation({
    mutationFn: async ({ segmentId, add }: { segmentId: string; add: boolean }) => {
      if (add) await segmentsApi.addMembers(segmentId, [contact.id]);
      else await segmentsApi.removeMembers(segmentId, [contact.id]);
    },
    onSuccess: async () => {
      setChosen('');
      await queryClient.invalidateQueries({ queryKey: contactKeys.one(contact.id) });
      await queryClient.invalidateQueries({ queryKey: ['segments'] });
    },
  });
  const joined = new Set(contact.segments.map((s) => s.id));
  const open = segments.items.filter((s) => s.kind === 'static' && !joined.has(s.id));
  return (
    <section className="card">
      <h2>Segments</h2>
      {contact.segments.length === 0 ? (
        <p className="muted">In no segment.</p>
      ) : (
        <ul className="plain-list">
          {contact.segments.map((s) => (
            <li key={s.id} className="action-item">
              <span>
                <Link href={`/segments/${s.id}`}>{s.name}</Link>{' '}
                <span className="muted" title={time.dateTime(s.enteredAt)}>
                  since {time.date(s.enteredAt)}
                </span>
              </span>
              {s.kind === 'static' && (
                <button
                  type="button"
                  aria-label={`Remove from ${s.name}`}
                  disabled={change.isPending}
                  onClick={() => change.mutate({ segmentId: s.id, add: false })}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {segments.available &&
        (open.length === 0 ? (
          <p className="muted">
            {segments.items.some((s) => s.kind === 'static')
              ? 'Already in every static segment.'
              : 'No static segment to add them to yet: create one on the Segments page.'}
          </p>
        ) : (
          <div className="picker-row">
            <label htmlFor={selectId} className="visually-hidden">
              Static segment
            </label>
            <select id={selectId} value={chosen} onChange={(e) => setChosen(e.target.value)}>
              <option value="">Add to a static segment…</option>
              {open.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            <button
              type="button"
              disabled={!chosen || change.isPending}
              onClick={() => change.mutate({ segmentId: chosen, add: true })}
            >
              Add
            </button>
          </div>
        ))}
      {segments.error && <ErrorNotice error={segments.error} />}
      {change.isError && <ErrorNotice error={change.error} />}
    </section>
  );
}
