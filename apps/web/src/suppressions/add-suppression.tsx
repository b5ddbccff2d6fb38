import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/status';
import { aria, Field, FieldProblems } from '../forms/field';
import { ApiFailure } from '../lib/api';
import { suppressionKeys, suppressionsApi } from './suppression-api';

type Reason = 'manual' | 'unsubscribed';

/** What each reason does, under the choice. */
const REASON_HINTS: Record<Reason, string> = {
  manual: 'Stops all marketing email to the address. Their consent stays as it is.',
  unsubscribed:
    'As if they clicked unsubscribe: it shows on their timeline and counts in segments, scores and journeys.',
};

/** What adding it did, in words. */
export function addedMessage(added: {
  email: string;
  /** Only an unsubscribe has these. */
  alreadyUnsubscribed?: boolean;
  contactsUnsubscribed?: number;
}): string {
  if (added.contactsUnsubscribed === undefined) {
    return `${added.email} is blocked: it will no longer receive marketing email.`;
  }
  if (added.alreadyUnsubscribed) {
    return `${added.email} had already unsubscribed: nothing changed.`;
  }
  const n = added.contactsUnsubscribed;
  if (n === 0) {
    return `${added.email} is unsubscribed from all marketing email. No contact has this address yet: whoever gets it will not be emailed.`;
  }
  const who =
    n === 1 ? 'The contact with this address has' : `The ${n} contacts with this address have`;
  return `${added.email} is unsubscribed from all marketing email. ${who} it on their timeline, as if they had clicked unsubscribe.`;
}

/** Blocks an address by hand, or records an unsubscribe that came by phone or letter. */
export function AddSuppression() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState<Reason>('manual');
  const [detail, setDetail] = useState('');
  const add = useMutation({
    mutationFn: () =>
      suppressionsApi.add({ email, reason, ...(detail.trim() ? { detail: detail.trim() } : {}) }),
    onSuccess: async () => {
      setEmail('');
      setDetail('');
      await queryClient.invalidateQueries({ queryKey: suppressionKeys.all });
    },
  });
  const issues = add.error instanceof ApiFailure ? add.error.issues : [];

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  return (
    <form className="card add-suppression" onSubmit={submit} aria-label="Suppress an address">
      <h2>Suppress an address</h2>
      <FieldProblems problems={issues}>
        <div className="add-suppression-fields">
          <Field label="Email address" path="email">
            {(ids) => (
              <input
                {...aria(ids)}
                type="email"
                required
                value={email}
                placeholder="someone@example.com"
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <Field label="Reason" path="reason" hint={REASON_HINTS[reason]}>
            {(ids) => (
              <select
                {...aria(ids)}
                value={reason}
                onChange={(e) => setReason(e.target.value as Reason)}
              >
                <option value="manual">Blocked by hand</option>
                <option value="unsubscribed">Unsubscribed (they asked us)</option>
              </select>
            )}
          </Field>
          <Field label="Note (optional)" path="detail">
            {(ids) => (
              <input
                {...aria(ids)}
                value={detail}
                placeholder="Asked by phone on 3 May"
                onChange={(e) => setDetail(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="primary" disabled={add.isPending || !email.trim()}>
            {add.isPending ? 'Adding…' : 'Suppress'}
          </button>
        </div>
      </FieldProblems>
      {add.isError && issues.length === 0 && <ErrorNotice error={add.error} />}
      {add.isSuccess && (
        <p className="notice ok" role="status">
          {addedMessage(add.data)}
        </p>
      )}
    </form>
  );
}
