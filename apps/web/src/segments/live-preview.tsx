import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Condition } from '@relance/flow';
import { Link } from 'wouter';
import { ErrorNotice } from '../components/status';
import { formatShare } from '../lib/format';
import { segmentKeys, segmentsApi } from './segment-api';
import { contactLabel, contactName } from '../contacts/contact-label';

/** How many contacts, their share of the base, and the more-than-half warning. */
interface Counted {
  count: number;
  totalContacts: number;
  share: number;
  warning: string | null;
}

function CountAndShare({ counted, note }: { counted: Counted; note: string }) {
  return (
    <>
      <p className="big-count">
        <strong data-testid="preview-count">{counted.count.toLocaleString()}</strong> contact
        {counted.count === 1 ? '' : 's'}
      </p>
      {counted.totalContacts === 0 ? (
        // Nothing to share out yet: the note about the saved rule or the count updating would
        // only trail the sentence ("… send events. · by the saved rule").
        <p className="muted">There are no contacts yet: import some or send events.</p>
      ) : (
        <>
          <p className="muted">
            {formatShare(counted.share)} of {counted.totalContacts.toLocaleString()} contacts
            {note}
          </p>
          <span className="share-bar wide" aria-hidden="true">
            <span style={{ width: `${Math.min(100, counted.share * 100)}%` }} />
          </span>
        </>
      )}
      {counted.warning && (
        <p className="notice warn" role="status">
          {counted.warning}. Check that the rule is as narrow as you meant.
        </p>
      )}
    </>
  );
}

/**
 * Who the rule matches right now, while it is being edited: count, share of the base, the
 * more-than-half warning and the newest matching contacts. While the rule is still the saved
 * one (`saved`), the segment's kept membership answers that: no evaluation of the whole base,
 * which takes seconds at a million contacts, just to open the page.
 */
export function LivePreview({
  rule,
  saved,
  unfinished = 0,
}: {
  rule: Condition | null;
  saved?: (Omit<Counted, 'count'> & { memberCount: number }) | null | undefined;
  /** Conditions still being filled in: `rule` is the finished part, and the count says so. */
  unfinished?: number;
}) {
  const preview = useQuery({
    queryKey: segmentKeys.preview(rule),
    // React Query aborts the signal when the rule changed before the answer came.
    queryFn: ({ signal }) => segmentsApi.preview(rule!, signal),
    enabled: rule !== null && !saved,
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
  const partly =
    unfinished > 0 ? (
      <p className="muted" data-testid="preview-partial">
        Counts the finished conditions only: {unfinished}{' '}
        {unfinished === 1 ? 'condition is' : 'conditions are'} still to finish.
      </p>
    ) : null;
  if (saved) {
    return (
      <section className="card preview-card" aria-live="polite">
        <h2>Live count</h2>
        <CountAndShare
          counted={{ ...saved, count: saved.memberCount }}
          note=" · by the saved rule; edit it to see what a change would do"
        />
        {partly}
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
          <CountAndShare counted={preview.data} note={preview.isFetching ? ' · updating…' : ''} />
          {partly}
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
