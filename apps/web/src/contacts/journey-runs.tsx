import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorNotice, Loading } from '../components/status';
import { contactKeys, contactsApi, type ContactRuns } from './contact-api';
import { runWords } from './timeline-words';

type Run = ContactRuns[number];

const OPEN = new Set(['active', 'held']);

/** The profile's journeys: each run, where it is, and a way to take the contact out of one. */
export function JourneyRuns({ contactId, who }: { contactId: string; who: string }) {
  const queryClient = useQueryClient();
  const [stopping, setStopping] = useState<Run | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const runs = useQuery({
    queryKey: contactKeys.runs(contactId),
    queryFn: () => contactsApi.runs(contactId),
  });
  if (runs.isPending) return <Loading what="journeys" />;
  if (runs.isError) return <ErrorNotice error={runs.error} />;
  if (runs.data.runs.length === 0) return <p className="muted">Not in any journey.</p>;
  return (
    <>
      <ul className="plain-list">
        {runs.data.runs.map((run) => (
          <li key={run.id} className="action-item">
            <span>
              <Link href={`/journeys/${run.journeyId}/live`}>{run.journeyName}</Link>{' '}
              <span className="muted" data-run-state>
                {runWords(run)}
              </span>
            </span>
            {OPEN.has(run.status) && (
              <button type="button" onClick={() => setStopping(run)}>
                Take out…
              </button>
            )}
          </li>
        ))}
      </ul>
      {pending && (
        <p className="muted" role="status">
          {pending}
        </p>
      )}
      {stopping && (
        <ConfirmDialog
          open
          title={`Take ${who} out of ${stopping.journeyName}?`}
          confirmLabel="Take out of the journey"
          action={async () => {
            const answer = await contactsApi.stopRun(contactId, stopping.id);
            setPending(
              answer.stopped
                ? null
                : 'The journey stops for them as soon as the worker picks the request up.',
            );
          }}
          onDone={async () => {
            await queryClient.invalidateQueries({ queryKey: contactKeys.one(contactId) });
          }}
          onClose={() => setStopping(null)}
        >
          <p>
            They leave the journey at once
            {stopping.currentStep ? ` (they are at “${stopping.currentStep}”)` : ''}: no further
            step runs for them and no further email of this journey goes out to them.
          </p>
          <p>
            Their history in the journey stays. They can enter it again when its trigger and entry
            policy allow.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
