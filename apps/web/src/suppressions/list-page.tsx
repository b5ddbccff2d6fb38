import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { RelativeTime } from '../components/relative-time';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { useDebounced } from '../lib/use-debounced';
import { AddSuppression } from './add-suppression';
import {
  PAGE_SIZE,
  REASON_LABELS,
  suppressionKeys,
  suppressionsApi,
  type Suppression,
  type SuppressionReason,
} from './suppression-api';
import './suppressions.css';

const REASONS = Object.keys(REASON_LABELS) as SuppressionReason[];

/** Asks before lifting a suppression; lifting an unsubscribe subscribes the person again. */
export function RemoveDialog({
  target,
  onClose,
}: {
  target: Suppression | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const unsubscribe = target?.reason === 'unsubscribed';
  return (
    <ConfirmDialog
      open={target !== null}
      title={unsubscribe ? 'Subscribe this address again?' : 'Remove this suppression?'}
      confirmLabel={unsubscribe ? 'Remove and subscribe again' : 'Remove suppression'}
      action={() => suppressionsApi.remove(target!.email, target!.reason)}
      onDone={() => queryClient.invalidateQueries({ queryKey: suppressionKeys.all })}
      onClose={onClose}
    >
      {target &&
        (unsubscribe ? (
          <>
            <p>
              <strong>{target.email}</strong> unsubscribed from all marketing email. Removing this
              subscribes them again: the address will receive marketing email again (unless it is
              suppressed for another reason too), and the timeline of each contact with this address
              says they were subscribed again from the suppression list.
            </p>
            <p>Only do this if the person asked to receive your email again.</p>
          </>
        ) : (
          <p>
            <strong>{target.email}</strong> is suppressed because: {REASON_LABELS[target.reason]}.
            Once removed, this address will receive marketing email again (unless it is suppressed
            for another reason too). Their consent stays as it is.
          </p>
        ))}
    </ConfirmDialog>
  );
}

/** /suppressions — the addresses never mailed, why, and lifting a block. */
export function SuppressionListPage() {
  const [query, setQuery] = useState('');
  const [reason, setReason] = useState<SuppressionReason | ''>('');
  const [offset, setOffset] = useState(0);
  const [removing, setRemoving] = useState<Suppression | null>(null);
  const q = useDebounced(query, 300);
  const filter = { q, reason, offset };
  const list = useQuery({
    queryKey: suppressionKeys.list(filter),
    queryFn: () => suppressionsApi.list(filter),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.suppressions ?? [];
  const filtered = q.trim() !== '' || reason !== '';

  return (
    <>
      <PageHeader
        title="Suppressions"
        subtitle="Addresses Relance never sends marketing email to: unsubscribes, hard bounces, spam complaints and blocks added by hand."
      />
      <AddSuppression />
      <div className="filter-bar">
        <input
          type="search"
          aria-label="Search suppressed addresses"
          placeholder="Search by address or domain"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOffset(0);
          }}
        />
        <select
          aria-label="Filter by reason"
          value={reason}
          onChange={(e) => {
            setReason(e.target.value as SuppressionReason | '');
            setOffset(0);
          }}
        >
          <option value="">Every reason</option>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {REASON_LABELS[r]}
            </option>
          ))}
        </select>
        {list.isFetching && <span className="muted">Loading…</span>}
      </div>
      {list.isPending && <Loading what="suppressions" />}
      {list.isError && <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && rows.length === 0 && (
        <div className="empty">
          <p>
            {filtered
              ? 'No suppressed address matches this search.'
              : 'No suppressed addresses: every contact who agreed to receive email can get it.'}
          </p>
        </div>
      )}
      {rows.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Reason</th>
              <th scope="col">Detail</th>
              <th scope="col">Since</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.email}:${row.reason}`}>
                <th scope="row">{row.email}</th>
                <td>
                  <span className={`badge reason-${row.reason}`}>{REASON_LABELS[row.reason]}</span>
                </td>
                <td className="muted">{row.detail ?? ''}</td>
                <td>
                  <RelativeTime at={row.createdAt} />
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Remove the suppression of ${row.email} (${REASON_LABELS[row.reason]})`}
                    onClick={() => setRemoving(row)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(offset > 0 || list.data?.hasMore) && (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          >
            Previous
          </button>
          <span className="muted">
            {offset + 1}–{offset + rows.length}
          </span>
          <button
            type="button"
            disabled={!list.data?.hasMore}
            onClick={() => setOffset(offset + PAGE_SIZE)}
          >
            Next
          </button>
        </nav>
      )}
      <RemoveDialog target={removing} onClose={() => setRemoving(null)} />
    </>
  );
}
