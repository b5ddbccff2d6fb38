import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/status';
import { aria, Field, FieldProblems } from '../forms/field';
import { ApiFailure } from '../lib/api';
import { suppressionKeys, suppressionsApi } from './suppression-api';

/** Blocks an address by hand (or records an unsubscribe that came by phone or letter). */
export function AddSuppression() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState<'manual' | 'unsubscribed'>('manual');
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
          <Field label="Reason" path="reason">
            {(ids) => (
              <select
                {...aria(ids)}
                value={reason}
                onChange={(e) => setReason(e.target.value as 'manual' | 'unsubscribed')}
              >
                <option value="manual">Blocked by hand</option>
                <option value="unsubscribed">Unsubscribed (asked us in person)</option>
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
          {add.data.email} will no longer receive marketing email.
        </p>
      )}
    </form>
  );
}
