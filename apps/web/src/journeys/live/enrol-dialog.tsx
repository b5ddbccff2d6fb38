import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ContactPicker } from '../../contacts/contact-picker';
import { ErrorNotice } from '../../components/status';
import { SegmentPicker } from '../../forms/pickers';
import { api, call } from '../../lib/api';
import { journeyKeys, type Journey } from '../journey-api';

const journeys = api.api.journeys;

function Progress({ journeyId, enrolmentId }: { journeyId: string; enrolmentId: string }) {
  const progress = useQuery({
    queryKey: [...journeyKeys.one(journeyId), 'enrolments', enrolmentId],
    queryFn: () =>
      call(
        journeys[':id'].enrolments[':enrolmentId'].$get({ param: { id: journeyId, enrolmentId } }),
      ),
    refetchInterval: 1_000,
  });
  if (progress.isError) return <ErrorNotice error={progress.error} />;
  if (!progress.data) return <p className="muted">Starting…</p>;
  const { processed, total, started, skipped, status } = progress.data;
  return (
    <p role="status">
      {status === 'completed' ? 'Done: ' : 'Enrolling: '}
      {processed.toLocaleString()} of {total.toLocaleString()} members looked at,{' '}
      <strong>{started.toLocaleString()}</strong> entered
      {skipped > 0 ? `, ${skipped.toLocaleString()} skipped by the entry policy` : ''}.
    </p>
  );
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

  const ready = who === 'contact' ? contact !== null : segmentId !== '';
  return (
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
          onClick={() => enrol.mutate()}
        >
          {enrol.isPending ? 'Enrolling…' : 'Enrol'}
        </button>
      </div>
    </dialog>
  );
}
