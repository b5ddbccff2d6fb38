import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { ErrorNotice, Loading } from '../components/status';
import { segmentKeys, segmentsApi } from './segment-api';
import { contactDetail, contactLabel } from '../contacts/contact-label';
import { useWorkspaceTime } from '../lib/workspace';
import { RemoveMember } from './static-members';

/** The members of a saved segment, 50 at a time; a static segment's can be removed by hand. */
export function MembersList({
  segmentId,
  removable = false,
}: {
  segmentId: string;
  removable?: boolean;
}) {
  const time = useWorkspaceTime();
  const members = useInfiniteQuery({
    queryKey: segmentKeys.members(segmentId),
    queryFn: ({ pageParam }) => segmentsApi.members(segmentId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  if (members.isPending) return <Loading what="members" />;
  if (members.isError)
    return <ErrorNotice error={members.error} onRetry={() => void members.refetch()} />;
  const rows = members.data.pages.flatMap((p) => p.members);
  if (rows.length === 0) return <p className="muted">Nobody is in this segment yet.</p>;
  return (
    <>
      <table className="data-table compact-table">
        <thead>
          <tr>
            <th scope="col">Contact</th>
            <th scope="col">Tags</th>
            <th scope="col" className="number">
              Score
            </th>
            <th scope="col">Member since</th>
            {removable && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.id}>
              <th scope="row">
                <Link href={`/contacts/${m.id}`}>{contactLabel(m)}</Link>
                {contactDetail(m) && <div className="muted small">{contactDetail(m)}</div>}
              </th>
              <td>{m.tags.join(', ')}</td>
              <td className="number">{m.score}</td>
              <td title={time.dateTime(m.enteredAt)} data-member-since>
                {time.date(m.enteredAt)}
              </td>
              {removable && (
                <td className="row-actions">
                  <RemoveMember
                    segmentId={segmentId}
                    contact={{ id: m.id, label: contactLabel(m) }}
                  />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {members.hasNextPage && (
        <button
          type="button"
          onClick={() => void members.fetchNextPage()}
          disabled={members.isFetchingNextPage}
        >
          {members.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      )}
    </>
  );
}
