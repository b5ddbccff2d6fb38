import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { formatRelative } from '../lib/format';
import { useDebounced } from '../lib/use-debounced';
import { contactKeys, contactsApi } from './contact-api';
import './contacts.css';
import { contactDetail, contactLabel } from './contact-label';

/** /contacts — search every contact by email, id or name. */
export function ContactListPage() {
  const [query, setQuery] = useState('');
  const q = useDebounced(query, 300);
  const contacts = useInfiniteQuery({
    queryKey: contactKeys.list(q),
    queryFn: ({ pageParam }) => contactsApi.list(q, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const rows = contacts.data?.pages.flatMap((p) => p.contacts) ?? [];
  return (
    <>
      <PageHeader
        title="Contacts"
        subtitle="Everyone Relance knows: their properties, tags, score, segments and history."
        actions={
          <Link href="/contacts/import" className="button primary-link">
            Import CSV
          </Link>
        }
      />
      <div className="search-bar">
        <input
          type="search"
          aria-label="Search contacts"
          placeholder="Search by email, external id or name"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {contacts.isFetching && !contacts.isFetchingNextPage && (
          <span className="muted">Searching…</span>
        )}
      </div>
      {contacts.isPending && <Loading what="contacts" />}
      {contacts.isError && (
        <ErrorNotice error={contacts.error} onRetry={() => void contacts.refetch()} />
      )}
      {contacts.isSuccess && rows.length === 0 && (
        <div className="empty">
          {q ? (
            <p>No contact matches “{q}”.</p>
          ) : (
            <>
              <p>
                No contacts yet. Import a CSV file, or send them through the API with your write
                key.
              </p>
              <Link href="/contacts/import" className="button primary-link">
                Import CSV
              </Link>
            </>
          )}
        </div>
      )}
      {rows.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Contact</th>
              <th scope="col">Tags</th>
              <th scope="col" className="number">
                Score
              </th>
              <th scope="col">Stage</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link href={`/contacts/${c.id}`}>{contactLabel(c)}</Link>
                  {contactDetail(c) && <div className="muted small">{contactDetail(c)}</div>}
                </th>
                <td>
                  {c.tags.map((t) => (
                    <span key={t} className="tag">
                      {t}
                    </span>
                  ))}
                </td>
                <td className="number">{c.score}</td>
                <td>{c.lifecycleStage ?? ''}</td>
                <td>{formatRelative(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {contacts.hasNextPage && (
        <button
          type="button"
          className="more"
          onClick={() => void contacts.fetchNextPage()}
          disabled={contacts.isFetchingNextPage}
        >
          {contacts.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      )}
    </>
  );
}
