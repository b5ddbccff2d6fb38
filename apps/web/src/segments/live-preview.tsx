import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Condition } from '@relance/flow';
import { Link } from 'wouter';
import { ErrorNotice } from '../components/status';
import { formatShare } from '../lib/format';
import { segmentKeys, segmentsApi } from './segment-api';
import { contactLabel, contactName } from '../contacts/contact-label';

/**
 * Who the rule matches right now, while it is being edited: count, share of the base, the
 * more-than-half warning and the newest matching contacts.
 */
export function LivePreview({ rule }: { rule: Condition | null }) {
  const preview = useQuery({
    queryKey: segmentKeys.preview(rule),
    // React Query aborts the signal when the rule changed before the answer came.
    queryFn: ({ signal }) => segmentsApi.preview(rule!, signal),
    enabled: rule !== null,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
  if (rule === null) {
    return (
      <section className="card preview-card" aria-live="polite">
        <h2>Live count</h2>
        <p className="muted">Finish the conditions on the left to see who matches.</p>
      </section>
    );
  }
  return (
    <section className="card preview-card" aria-live="polite" aria-busy={preview.isFetching}>
      <h2>Live count</h2>
      {preview.isPending && <p className="muted">Counting…</p>}
      {preview.isError && (
        <ErrorNotice error={preview.error} onRetry={() => void preview.refetch()} />
      )}
      {preview.data && (
        <>
          <p className="big-count">
            <strong data-testid="preview-count">{preview.data.count.toLocaleString()}</strong>{' '}
            contact{preview.data.count === 1 ? '' : 's'}
          </p>
          <p className="muted">
            {preview.data.totalContacts === 0
              ? 'There are no contacts yet: import some or send events.'
              : `${formatShare(preview.data.share)} of ${preview.data.totalContacts.toLocaleString()} contacts`}
            {preview.isFetching && ' · updating…'}
          </p>
          <span className="share-bar wide" aria-hidden="true">
            <span style={{ width: `${Math.min(100, preview.data.share * 100)}%` }} />
          </span>
          {preview.data.warning && (
            <p className="notice warn" role="status">
              {preview.data.warning}. Check that the rule is as narrow as you meant.
            </p>
          )}
          {preview.data.sample.length > 0 && (
            <>
              <h3>Newest matching contacts</h3>
              <ul className="sample-list">
                {preview.data.sample.map((c) => (
                  <li key={c.id}>
                    <Link href={`/contacts/${c.id}`}>{contactLabel(c)}</Link>
                    {contactName(c.properties) && (
                      <span className="muted"> {contactName(c.properties)}</span>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
