import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { RelativeTime } from '../components/relative-time';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { countOf, formatRelative, formatShare } from '../lib/format';
import { useWorkspaceTime } from '../lib/workspace';
import { segmentKeys, segmentsApi, type SegmentSummary } from './segment-api';
import './segments.css';

function ShareBar({ share }: { share: number }) {
  return (
    <span className="share-bar" aria-hidden="true">
      <span style={{ width: `${Math.min(100, share * 100)}%` }} />
    </span>
  );
}

function SegmentRow({ segment }: { segment: SegmentSummary }) {
  return (
    <tr>
      <th scope="row">
        <Link href={`/segments/${segment.id}`}>{segment.name}</Link>
        {segment.description && <div className="muted small">{segment.description}</div>}
      </th>
      <td>
        {segment.kind === 'dynamic' ? 'Rule' : 'Static list'}
        {segment.builtin && <span className="badge">Built in</span>}
      </td>
      <td className="number">{segment.memberCount.toLocaleString()}</td>
      <td>
        <span className="share-cell">
          <ShareBar share={segment.share} />
          {formatShare(segment.share)}
        </span>
        {segment.warning && (
          <span className="warn-dot" title={segment.warning} aria-label={segment.warning}>
            !
          </span>
        )}
      </td>
      <td>
        <RelativeTime at={segment.updatedAt} />
      </td>
    </tr>
  );
}

/**
 * When Relance last checked every segment and score against the whole base (every 6 hours, and
 * when the scoring rules change), and what it had to bring up to date.
 */
export function LastCheck() {
  const time = useWorkspaceTime();
  const last = useQuery({
    queryKey: segmentKeys.reconciliation,
    queryFn: segmentsApi.lastReconciliation,
  });
  if (!last.isSuccess) return null;
  if (last.data === null) {
    return (
      <p className="muted small" role="status" aria-label="Full check">
        Every 6 hours Relance checks each segment and score against the whole base; the first check
        has not run yet.
      </p>
    );
  }
  const { finishedAt, scoresFixed, segments } = last.data;
  const repairs = segments.map(
    (s) =>
      `${s.segmentName ?? 'a deleted segment'} (${[
        s.entered > 0 ? `${s.entered.toLocaleString('en')} added` : '',
        s.exited > 0 ? `${s.exited.toLocaleString('en')} taken out` : '',
      ]
        .filter(Boolean)
        .join(', ')})`,
  );
  if (scoresFixed > 0) repairs.push(countOf(scoresFixed, 'score'));
  return (
    <p
      className="muted small"
      role="status"
      aria-label="Full check"
      title={time.dateTimeInZone(finishedAt)}
    >
      Last full check against the whole base {formatRelative(finishedAt)}:{' '}
      {repairs.length === 0
        ? 'every segment and score was up to date.'
        : `updated ${repairs.join('; ')}.`}
    </p>
  );
}

/** /segments — every segment with its live size. */
export function SegmentListPage() {
  const segments = useQuery({ queryKey: segmentKeys.all, queryFn: segmentsApi.list });
  const total = segments.data?.segments[0]?.totalContacts;
  return (
    <>
      <PageHeader
        title="Segments"
        subtitle={
          total === undefined
            ? 'Groups of contacts, kept up to date as they act.'
            : `Groups of contacts, kept up to date as they act. ${total.toLocaleString()} contacts in all.`
        }
        actions={
          <Link href="/segments/new" className="button primary-link">
            New segment
          </Link>
        }
      />
      <LastCheck />
      {segments.isPending && <Loading what="segments" />}
      {segments.isError && (
        <ErrorNotice error={segments.error} onRetry={() => void segments.refetch()} />
      )}
      {segments.isSuccess && segments.data.segments.length === 0 && (
        <div className="empty">
          <p>No segments yet. Create one from a rule, such as “no click for 15 days”.</p>
        </div>
      )}
      {segments.isSuccess && segments.data.segments.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col" className="number">
                Contacts
              </th>
              <th scope="col">Share of all contacts</th>
              <th scope="col">Last changed</th>
            </tr>
          </thead>
          <tbody>
            {segments.data.segments.map((s) => (
              <SegmentRow key={s.id} segment={s} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
