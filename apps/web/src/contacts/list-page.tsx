import { keepPreviousData, useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { RelativeTime } from '../components/relative-time';
import { DownloadButton } from '../components/download-button';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { useKnownTags, useSegments } from '../lib/catalog';
import { useDebounced } from '../lib/use-debounced';
import { BulkActions } from './bulk-actions';
import { gatherIds } from './bulk';
import { contactKeys, contactsApi } from './contact-api';
import './contacts.css';
import { contactDetail, contactLabel } from './contact-label';

/** The most a selection holds: the ids are gathered in the browser, 200 a request. */
const MAX_SELECTED = 10_000;

/** /contacts — search every contact by email, id or name, or a segment's; act on many at once. */
export function ContactListPage() {
  const [query, setQuery] = useState('');
  const q = useDebounced(query, 300);
  // In the address (/contacts?segment=<id>&tag=<tag>): a segment's page links here.
  const [params, setParams] = useSearchParams();
  const segmentId = params.get('segment') ?? '';
  const tag = params.get('tag') ?? '';
  const sort = params.get('sort') === 'score' ? ('score' as const) : ('newest' as const);
  const within = { segmentId, tag, sort };
  const setParam = (name: 'segment' | 'tag' | 'sort', value: string) =>
    setParams(
      (before) => {
        const next = new URLSearchParams(before);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const segments = useSegments();
  const tags = useKnownTags();
  const contacts = useInfiniteQuery({
    queryKey: contactKeys.list(q, within),
    queryFn: ({ pageParam, signal }) => contactsApi.list(q, pageParam, 50, within, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const rows = contacts.data?.pages.flatMap((p) => p.contacts) ?? [];
  const total = contacts.data?.pages[0]?.total;
  const segmentName = segments.items.find((s) => s.id === segmentId)?.name;
  // Selected contact ids, in the order they were ticked; a new search starts afresh.
  const search = `${segmentId}|${tag}|${q}`;
  const [selection, setSelection] = useState({ search: '', ids: [] as string[] });
  // What the last bulk deletion did: said until the search or the selection changes.
  const [deletion, setDeletion] = useState({ search: '', said: '' });
  const selected = selection.search === search ? selection.ids : [];
  const setSelected = (update: (ids: string[]) => string[]) => {
    setSelection({ search, ids: update(selected) });
    setDeletion({ search: '', said: '' });
  };
  const selectEverything = useMutation({
    mutationFn: () =>
      gatherIds(
        (cursor) => contactsApi.list(q, cursor, 200, within, undefined, { total: false }),
        MAX_SELECTED,
      ),
    onSuccess: ({ ids }) => setSelection({ search, ids }),
  });
  // The whole match did not fit in one selection: say so while that selection stands.
  const capped =
    selectEverything.data?.more === true && selected.length === selectEverything.data.ids.length;
  // While a new search is on its way, the rows shown are the last search's: not to be ticked.
  const settling = query !== q || contacts.isPlaceholderData;
  const chosen = new Set(selected);
  const allShown = rows.length > 0 && rows.every((r) => chosen.has(r.id));
  const someShown = !allShown && rows.some((r) => chosen.has(r.id));
  const toggle = (id: string) =>
    setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  return (
    <>
      <PageHeader
        title="Contacts"
        subtitle="Everyone Relance knows: their properties, tags, score, segments and history."
        actions={
          <>
            <DownloadButton path={contactsApi.exportPath(q, within)} fallbackName="contacts.csv" />
            <Link href="/contacts/import" className="button primary-link">
              Import CSV
            </Link>
          </>
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
        <label htmlFor="contacts-segment" className="visually-hidden">
          In segment
        </label>
        <select
          id="contacts-segment"
          value={segmentId}
          onChange={(e) => setParam('segment', e.target.value)}
        >
          <option value="">All contacts</option>
          {segments.items.map((s) => (
            <option key={s.id} value={s.id}>
              In {s.name}
            </option>
          ))}
        </select>
        <label htmlFor="contacts-tag" className="visually-hidden">
          With tag
        </label>
        <select id="contacts-tag" value={tag} onChange={(e) => setParam('tag', e.target.value)}>
          <option value="">Any tags</option>
          {/* A tag from the address that the list does not hold (yet) is still shown. */}
          {[...(tag && !tags.items.includes(tag) ? [tag] : []), ...tags.items].map((t) => (
            <option key={t} value={t}>
              Tagged {t}
            </option>
          ))}
        </select>
        <label htmlFor="contacts-sort" className="visually-hidden">
          Order
        </label>
        <select
          id="contacts-sort"
          value={sort}
          onChange={(e) => setParam('sort', e.target.value === 'score' ? 'score' : '')}
        >
          <option value="newest">Newest first</option>
          <option value="score">Highest score first</option>
        </select>
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
            <p>
              No contact matches “{q}”{segmentId ? ' in this segment' : ''}
              {tag ? ` tagged “${tag}”` : ''}.
            </p>
          ) : segmentId || tag ? (
            <p>
              {segmentId && tag
                ? `Nobody in this segment is tagged “${tag}”.`
                : segmentId
                  ? 'Nobody is in this segment.'
                  : `Nobody is tagged “${tag}” now.`}
            </p>
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
      {selected.length > 0 && (
        <BulkActions
          selected={selected}
          onClear={() => setSelected(() => [])}
          onDeleted={({ said, kept }) => {
            setSelection({ search, ids: kept });
            setDeletion({ search, said });
          }}
        >
          {allShown && contacts.hasNextPage && selected.length <= rows.length && (
            <button
              type="button"
              className="link-button"
              disabled={selectEverything.isPending}
              onClick={() => selectEverything.mutate()}
            >
              {selectEverything.isPending
                ? 'Selecting…'
                : `Select every contact that matches (up to ${MAX_SELECTED.toLocaleString('en')})`}
            </button>
          )}
          {capped && (
            <span className="muted">
              The first {MAX_SELECTED.toLocaleString('en')} of more: narrow the search, or reach
              everyone in a segment with a journey.
            </span>
          )}
          {selectEverything.isError && <ErrorNotice error={selectEverything.error} />}
        </BulkActions>
      )}
      {deletion.search === search && deletion.said && (
        <p className="notice ok" role="status" aria-label="Deletion">
          {deletion.said}
        </p>
      )}
      {rows.length > 0 && total && (
        <p className="list-total" role="status" aria-label="How many contacts">
          {totalWords(total, { q, segmentName, tag })}
        </p>
      )}
      {rows.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col" className="select-cell">
                <SelectAll
                  checked={allShown}
                  mixed={someShown}
                  disabled={settling}
                  onChange={() => setSelected(() => (allShown ? [] : rows.map((r) => r.id)))}
                />
              </th>
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
              <tr key={c.id} className={chosen.has(c.id) ? 'selected' : undefined}>
                <td className="select-cell">
                  <input
                    type="checkbox"
                    aria-label={`Select ${contactLabel(c)}`}
                    checked={chosen.has(c.id)}
                    disabled={settling}
                    onChange={() => toggle(c.id)}
                  />
                </td>
                <th scope="row">
                  <Link href={`/contacts/${c.id}`}>{contactLabel(c)}</Link>
                  {contactDetail(c) && <div className="muted small">{contactDetail(c)}</div>}
                </th>
                <td>
                  {c.tags.map((t) => (
                    <button
                      key={t}
                      type="button"
                      className="tag"
                      title={`Show everyone tagged “${t}”`}
                      onClick={() => setParam('tag', t)}
                    >
                      {t}
                    </button>
                  ))}
                </td>
                <td className="number">{c.score}</td>
                <td>{c.lifecycleStage ?? ''}</td>
                <td>
                  <RelativeTime at={c.createdAt} />
                </td>
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

/**
 * How many contacts the list holds, in words: "1,985 contacts", "692 in VIP", "12 contacts match
 * “lefevre”", "More than 10,000 in VIP tagged “lead”" (the count stops at the API's cap).
 */
export function totalWords(
  total: { count: number; more: boolean },
  within: { q: string; segmentName?: string | undefined; tag: string },
): string {
  const n = total.count.toLocaleString('en');
  const many = total.more || total.count !== 1;
  const who = within.segmentName ? `in ${within.segmentName}` : many ? 'contacts' : 'contact';
  const tagged = within.tag ? ` tagged “${within.tag}”` : '';
  const match = within.q.trim() ? ` ${many ? 'match' : 'matches'} “${within.q.trim()}”` : '';
  return `${total.more ? `More than ${n}` : n} ${who}${tagged}${match}`;
}

/** The header's box: ticks every contact shown, or none; half-ticked when some are. */
function SelectAll({
  checked,
  mixed,
  disabled,
  onChange,
}: {
  checked: boolean;
  mixed: boolean;
  disabled: boolean;
  onChange: () => void;
}) {
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = mixed;
  }, [mixed]);
  return (
    <input
      ref={box}
      type="checkbox"
      aria-label="Select every contact shown"
      checked={checked}
      disabled={disabled}
      onChange={onChange}
    />
  );
}
