import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ContactPicker } from '../../contacts/contact-picker';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorNotice } from '../../components/status';
import { SegmentPicker } from '../../forms/pickers';
import { api, call } from '../../lib/api';
import { useSegments } from '../../lib/catalog';
import { countOf } from '../../lib/format';
import { segmentKeys, segmentsApi } from '../../segments/segment-api';
import { journeyKeys, type Journey } from '../journey-api';

const journeys = api.api.journeys;

function Progress({ journeyId, enrolmentId }: { journeyId: string; enrolmentId: string }) {
  const progress = useQuery({
    queryKey: [...journeyKeys.one(journeyId), 'enrolments', enrolmentId],
    queryFn: () =>
      call(
        journeys[':id'].enrolments[':enrolmentId'].$get({ param: { id: journeyId, enrolmentId } }),
      ),
    // Asked again every second while it runs; an enrolment that ended does not change.
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1_000 : false),
  });
  if (progress.isError) return <ErrorNotice error={progress.error} />;
  if (!progress.data) return <p className="muted">Starting…</p>;
  const { processed, total, started, skipped, status } = progress.data;
  const counts = (
    <>
      <strong>{started.toLocaleString()}</strong> entered
      {skipped > 0 ? `, ${skipped.toLocaleString()} skipped by the entry policy` : ''}
    </>
  );
  switch (status) {
    case 'running':
    case 'completed':
      return (
        <p role="status">
          {status === 'completed' ? 'Done: ' : 'Enrolling: '}
          {processed.toLocaleString()} of {total.toLocaleString()} members looked at, {counts}.
        </p>
      );
    case 'failed':
      // Enrolling again starts no second run for anyone still going through the journey.
      // A reason (the journey was stopped) replaces the advice to enrol again, which a stopped
      // journey would refuse.
      return (
        <p className="notice error" role="alert">
          Stopped after {processed.toLocaleString()} of {total.toLocaleString()} members: {counts}.{' '}
          {progress.data.reason ??
            'Enrol the segment again to continue: contacts already going through the journey are skipped, and its entry policy decides for those who have left it.'}
        </p>
      );
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** How many contacts are in the segment now (its kept count), to confirm with. */
function useMemberCount(segmentId: string) {
  return useQuery({
    queryKey: segmentKeys.one(segmentId),
    queryFn: () => segmentsApi.get(segmentId),
    enabled: segmentId !== '',
    select: (segment) => segment.memberCount,
  });
}

/** Puts one contact, or every current member of a segment, into the live journey. */
export function EnrolDialog({
  journey,
  open,
  onClose,
}: {
  journey: Journey;
  open: boolean;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const [who, setWho] = useState<'contact' | 'segment'>('contact');
  const [contact, setContact] = useState<{ id: string; label: string } | null>(null);
  const [segmentId, setSegmentId] = useState('');
  const [confirming, setConfirming] = useState(false);
  const members = useMemberCount(segmentId);
  const segmentName = useSegments().items.find((s) => s.id === segmentId)?.name ?? 'the segment';
  const enrol = useMutation({
    mutationFn: async () =>
      who === 'contact'
        ? {
            kind: 'contact' as const,
            ...(await call(
              journeys[':id'].enrol.$post({
                param: { id: journey.id },
                json: { contactId: contact!.id },
              }),
            )),
          }
        : {
            kind: 'segment' as const,
            ...(await call(
              journeys[':id'].enrol.$post({ param: { id: journey.id }, json: { segmentId } }),
            )),
          },
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: journeyKeys.stats(journey.id) }),
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      enrol.reset();
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, enrol]);

  const ready = who === 'contact' ? contact !== null : segmentId !== '' && members.isSuccess;
  const everyone = members.data === undefined ? 'everyone' : countOf(members.data, 'contact');
  return (
    <>
      <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="enrol-title">
        <h2 id="enrol-title">Enrol into {journey.name}</h2>
        <fieldset className="kind-choice">
          <legend>Who</legend>
          <label className="inline-check">
            <input
              type="radio"
              name="enrol-who"
              checked={who === 'contact'}
              onChange={() => setWho('contact')}
            />
            One contact
          </label>
          <label className="inline-check">
            <input
              type="radio"
              name="enrol-who"
              checked={who === 'segment'}
              onChange={() => setWho('segment')}
            />
            Everyone in a segment right now
          </label>
        </fieldset>
        <div className="field">
          {who === 'contact' ? (
            <>
              <label htmlFor="enrol-contact">Contact</label>
              <ContactPicker
                id="enrol-contact"
                label="Contact to enrol"
                value={contact}
                onChange={setContact}
              />
              {contact && <p className="field-hint">{contact.label}</p>}
            </>
          ) : (
            <>
              <label htmlFor="enrol-segment">Segment</label>
              <SegmentPicker id="enrol-segment" value={segmentId} onChange={setSegmentId} />
              {members.isSuccess && (
                <p className="field-hint">{countOf(members.data, 'contact')} in it right now.</p>
              )}
              {members.isError && <ErrorNotice error={members.error} />}
            </>
          )}
        </div>
        {enrol.isError && <ErrorNotice error={enrol.error} />}
        {enrol.data?.kind === 'contact' && (
          <p className="notice ok" role="status">
            {contact?.label} entered the journey.
          </p>
        )}
        {enrol.data?.kind === 'segment' && 'enrolmentId' in enrol.data && (
          <Progress journeyId={journey.id} enrolmentId={enrol.data.enrolmentId} />
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button
            type="button"
            className="primary"
            disabled={!ready || enrol.isPending}
            onClick={() => (who === 'segment' ? setConfirming(true) : enrol.mutate())}
          >
            {enrol.isPending ? 'Enrolling…' : who === 'segment' ? 'Enrol…' : 'Enrol'}
          </button>
        </div>
      </dialog>
      {/* Beside the dialog, not in it: closing this one must not close the enrol dialog. */}
      <ConfirmDialog
        open={confirming}
        title={`Enrol ${everyone} in ${journey.name}?`}
        confirmLabel={`Enrol ${everyone}`}
        action={() => enrol.mutateAsync()}
        onDone={() => undefined}
        onClose={() => setConfirming(false)}
      >
        <p>
          Everyone in {segmentName} right now enters the journey: emails start going out as the
          journey says.
        </p>
        <p>
          Contacts already going through it are skipped, and its entry policy decides for those who
          have been through it before.
        </p>
      </ConfirmDialog>
    </>
  );
}
