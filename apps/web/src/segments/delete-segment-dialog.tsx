import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import { Link } from 'wouter';
import { segmentKeys, segmentsApi, type Segment, type SegmentUses } from './segment-api';

/** Each journey and segment that keeps the segment from being deleted, once, with what to do. */
export function SegmentUsesList({ uses }: { uses: SegmentUses }) {
  return (
    <>
      <p>It cannot be deleted while it is used:</p>
      <ul className="segment-uses">
        {uses.journeys.map((j) => (
          <li key={j.journeyId}>
            Journey{' '}
            <Link href={`/journeys/${j.journeyId}`} onClick={closeDialog}>
              {j.journeyName}
            </Link>
            {j.status === 'draft' ? ' (a draft, never published)' : ''}: {j.nextStep}
          </li>
        ))}
        {uses.segments.map((s) => (
          <li key={s.segmentId}>
            Segment{' '}
            <Link href={`/segments/${s.segmentId}`} onClick={closeDialog}>
              {s.segmentName}
            </Link>{' '}
            reads it in its rule: change the rule so that it no longer does.
          </li>
        ))}
      </ul>
    </>
  );
}

// A link inside the modal leaves the page: the dialog must not stay open over the next one.
const closeDialog = (event: { currentTarget: Element }) =>
  event.currentTarget.closest('dialog')?.close();

/**
 * Asks before deleting a segment. Where journeys or segments still use it, says so before the
 * marketer clicks, links to each, and offers no Delete: the server would refuse it.
 */
export function DeleteSegmentDialog({
  segment,
  open,
  onDone,
  onClose,
}: {
  segment: Segment;
  open: boolean;
  onDone: () => Promise<unknown>;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const uses = useQuery({
    queryKey: segmentKeys.uses(segment.id),
    queryFn: () => segmentsApi.uses(segment.id),
    enabled: open,
    staleTime: 0,
  });
  const run = useMutation({
    mutationFn: () => segmentsApi.remove(segment.id),
    onSuccess: async () => {
      await onDone();
      onClose();
    },
  });
  const { reset } = run;
  const refetch = uses.refetch;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      reset();
      void refetch();
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, reset, refetch]);
  const inUse = uses.data ? uses.data.journeys.length > 0 || uses.data.segments.length > 0 : null;
  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby={titleId}>
      <h2 id={titleId}>{`Delete the segment ${segment.name}?`}</h2>
      {inUse ? (
        <SegmentUsesList uses={uses.data!} />
      ) : (
        <p>
          {segment.memberCount === 0
            ? 'Nobody is in it.'
            : `Its ${segment.memberCount.toLocaleString()} ${segment.memberCount === 1 ? 'contact stays' : 'contacts stay'} in Relance: they only leave the segment.`}{' '}
          Its history of entries and exits goes with it.
          {segment.builtin && ' Built-in segments are not recreated.'}
        </p>
      )}
      {uses.isPending && open && (
        <p className="muted" role="status">
          Checking whether journeys or segments use it…
        </p>
      )}
      {uses.isError && (
        <p className="notice error" role="alert">
          Could not check whether journeys or segments use it: {uses.error.message}
        </p>
      )}
      {run.error && (
        <p className="notice error" role="alert">
          {run.error.message}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          {inUse ? 'Close' : 'Cancel'}
        </button>
        {!inUse && (
          <button
            type="button"
            className="danger"
            disabled={run.isPending || uses.isPending}
            onClick={() => run.mutate()}
          >
            {run.isPending ? 'Deleting…' : 'Delete segment'}
          </button>
        )}
      </div>
    </dialog>
  );
}
