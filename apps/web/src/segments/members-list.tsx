import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { ErrorNotice, Loading } from '../components/status';
import { segmentKeys, segmentsApi } from './segment-api';
import { contactDetail, contactLabel } from '../contacts/contact-label';
import { useWorkspaceTime } from '../lib/workspace';
import { RemoveMember } from './static-members';
import { useSegmentChanges } from './changes-list';

/** An empty segment: never entered, or everyone who entered has left since. */
function NoMembers({ segmentId }: { segmentId: string }) {
  const changes = useSegmentChanges(segmentId);
  const everEntered = changes.data?.pages.some((p) => p.changes.length > 0);
  return (
    <p className="muted">
      {everEntered === undefined
        ? 'Nobody is in this segment now.'
        : everEntered
          ? 'Nobody is in this segment now: everyone who entered it has left (see Recent entries and exits).'
          : 'Nobody has been in this segment yet.'}
    </p>
  );
}

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
  if (rows.length === 0) return <NoMembers segmentId={segmentId} />;
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
