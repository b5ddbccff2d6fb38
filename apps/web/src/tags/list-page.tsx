import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { countOf } from '../lib/format';
import { inUse, tagKeys, tagsApi, type TagChange, type TagSummary } from './tag-api';
import { DeleteTagDialog, RenameTagDialog, TagInUseDialog } from './tag-dialogs';
import { TagUsesList } from './tag-uses';
import './tags.css';

type Opened = { tag: TagSummary; action: 'rename' | 'delete' | 'in-use' } | null;

/** /tags — the workspace's tags: who has each, what uses it; rename, merge or delete them. */
export function TagListPage() {
  const summary = useQuery({ queryKey: tagKeys.summary, queryFn: tagsApi.summary });
  const [query, setQuery] = useState('');
  const [opened, setOpened] = useState<Opened>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const all = useMemo(
    () => new Map((summary.data?.tags ?? []).map((t) => [t.tag, t])),
    [summary.data],
  );
  const needle = query.trim().toLowerCase();
  const rows = (summary.data?.tags ?? []).filter((t) => t.tag.toLowerCase().includes(needle));
  const open = (tag: TagSummary, action: 'rename' | 'delete') => {
    setOutcome(null);
    setOpened({ tag, action: inUse(tag.uses) ? 'in-use' : action });
  };
  const target = (action: NonNullable<Opened>['action']) =>
    opened?.action === action ? opened.tag : null;
  const close = () => setOpened(null);

  return (
    <>
      <PageHeader
        title="Tags"
        subtitle="The labels on your contacts: how many have each and what uses it. Rename a tag to fix a typo or merge two; delete one you no longer need."
      />
      {outcome && (
        <p className="notice ok" role="status">
          {outcome}
        </p>
      )}
      <ChangesUnderway />
      <div className="filter-bar">
        <input
          type="search"
          aria-label="Find a tag"
          placeholder="Find a tag"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {summary.isFetching && !summary.isPending && <span className="muted">Loading…</span>}
      </div>
      {summary.isPending && <Loading what="tags" />}
      {summary.isError && (
        <ErrorNotice error={summary.error} onRetry={() => void summary.refetch()} />
      )}
      {summary.isSuccess && rows.length === 0 && (
        <div className="empty">
          <p>
            {needle
              ? `No tag contains “${query.trim()}”.`
              : 'No tags yet. Tag contacts from their profile, the contact list, an import, the API or a journey’s Tag step.'}
          </p>
        </div>
      )}
      {rows.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col" className="number">
                Contacts
              </th>
              <th scope="col">Used by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.tag}>
                <th scope="row">
                  <span className="tag">{row.tag}</span>
                </th>
                <td className="number">
                  {row.contacts === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    <Link
                      href={`/contacts?tag=${encodeURIComponent(row.tag)}`}
                      title={`Show everyone tagged “${row.tag}”`}
                    >
                      {countOf(row.contacts, 'contact')}
                    </Link>
                  )}
                </td>
                <td>
                  {inUse(row.uses) ? (
                    <TagUsesList uses={row.uses} />
                  ) : (
                    <span className="muted">Nothing</span>
                  )}
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    aria-label={`Rename ${row.tag}`}
                    onClick={() => open(row, 'rename')}
                  >
                    Rename
                  </button>{' '}
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Delete ${row.tag}`}
                    onClick={() => open(row, 'delete')}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {summary.data?.truncated && (
        <p className="muted">Only the first 1,000 tags in alphabetical order are listed here.</p>
      )}
      <RenameTagDialog target={target('rename')} tags={all} onDone={setOutcome} onClose={close} />
      <DeleteTagDialog target={target('delete')} onDone={setOutcome} onClose={close} />
      <TagInUseDialog target={target('in-use')} onClose={close} />
    </>
  );
}

const changeLabel = (c: TagChange) =>
  c.to === null ? `Deleting “${c.tag}”` : `Renaming “${c.tag}” to “${c.to}”`;

/**
 * Renames and deletions the worker is running (started here earlier, maybe from a page since
 * closed), with how far each got, and those that stopped in the last day, with the reason.
 */
function ChangesUnderway() {
  const changes = useQuery({
    queryKey: tagKeys.changes,
    queryFn: tagsApi.changes,
    refetchInterval: (query) =>
      query.state.data?.changes.some((c) => c.status === 'running') ? 2_000 : 30_000,
  });
  const shown = (changes.data?.changes ?? []).filter((c) => c.status !== 'done');
  if (shown.length === 0) return null;
  return (
    <ul className="tag-changes" aria-label="Tag changes">
      {shown.map((c) => (
        <li key={c.id} className={c.status === 'failed' ? 'notice warn' : 'notice'}>
          {c.status === 'running'
            ? `${changeLabel(c)}: ${countOf(c.changed, 'contact')} so far…`
            : `${changeLabel(c)} stopped after ${countOf(c.changed, 'contact')}: ${c.error ?? 'no reason given'}`}
        </li>
      ))}
    </ul>
  );
}
