import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { RelativeTime } from '../components/relative-time';
import { ErrorNotice, Loading } from '../components/status';
import { segmentCause } from '../contacts/timeline-words';
import { segmentKeys, segmentsApi } from './segment-api';

/** A segment's entries and exits, newest first, 50 a page, refreshed every 15 seconds. */
export function useSegmentChanges(segmentId: string) {
  return useInfiniteQuery({
    queryKey: segmentKeys.changes(segmentId),
    queryFn: ({ pageParam }) => segmentsApi.changes(segmentId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    refetchInterval: 15_000,
  });
}

/**
 * Who entered and left a saved segment, newest first, and why ("after new activity", "as time
 * passed", "by a journey"…): the change log journeys are triggered from.
 */
export function ChangesList({ segmentId }: { segmentId: string }) {
  const changes = useSegmentChanges(segmentId);
  if (changes.isPending) return <Loading what="the recent changes" />;
  if (changes.isError)
    return <ErrorNotice error={changes.error} onRetry={() => void changes.refetch()} />;
  const rows = changes.data.pages.flatMap((p) => p.changes);
  if (rows.length === 0) return <p className="muted">Nobody has entered or left it yet.</p>;
  return (
    <>
      <table className="data-table compact-table" data-testid="segment-changes">
        <thead>
          <tr>
            <th scope="col">Contact</th>
            <th scope="col">Change</th>
            <th scope="col">Why</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const cause = segmentCause(c.cause);
            return (
              <tr key={c.id}>
                <th scope="row">
                  <Link href={`/contacts/${c.contactId}`}>{c.email ?? c.contactId}</Link>
                </th>
                <td>{c.change === 'entered' ? 'Entered' : 'Left'}</td>
                <td>
                  {cause.journeyId ? (
                    <Link href={`/journeys/${cause.journeyId}/live`}>{cause.text}</Link>
                  ) : (
                    cause.text
                  )}
                </td>
                <td>
                  <RelativeTime at={c.at} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {changes.hasNextPage && (
        <button
          type="button"
          className="more"
          onClick={() => void changes.fetchNextPage()}
          disabled={changes.isFetchingNextPage}
        >
          {changes.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      )}
    </>
  );
}
