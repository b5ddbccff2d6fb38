import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../components/confirm-dialog';
import { contactsApi, type ContactProfile } from './contact-api';
import { contactLabel } from './contact-label';
import { ContactPicker } from './contact-picker';

/**
 * "Is another contact the same person?": finds the duplicate and merges it into this contact,
 * after saying what moves and that it cannot be undone.
 */
export function MergeDuplicate({ contact }: { contact: ContactProfile }) {
  const queryClient = useQueryClient();
  const pickerId = useId();
  const [other, setOther] = useState<{ id: string; label: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const self = contactLabel(contact);
  const same = other?.id === contact.id;
  const merged = contact.mergedFrom.length;
  return (
    <section className="card">
      <h2>Duplicates</h2>
      <p className="muted">
        Is another contact the same person? Merge it into this one: its history, segments and
        journeys come here.
      </p>
      <div className="picker-row">
        <ContactPicker
          id={pickerId}
          label="The duplicate contact"
          exclude={contact.id}
          value={other}
          onChange={setOther}
        />
        <button type="button" disabled={!other || same} onClick={() => setConfirming(true)}>
          Merge…
        </button>
      </div>
      {other && (
        <p className={same ? 'field-problems' : 'muted'} role={same ? 'alert' : undefined}>
          {same ? 'That is this contact: choose its duplicate.' : `Chosen: ${other.label}`}
        </p>
      )}
      {merged > 0 && (
        <p className="muted">
          {merged === 1 ? 'One contact was' : `${merged} contacts were`} merged into this one
          already; their emails and ids lead here.
        </p>
      )}
      {other && !same && (
        <ConfirmDialog
          open={confirming}
          title={`Merge ${other.label} into ${self}?`}
          confirmLabel="Merge contacts"
          action={() => contactsApi.merge(contact.id, other.id)}
          onDone={async () => {
            setOther(null);
            await queryClient.invalidateQueries({ queryKey: ['contacts'] });
            await queryClient.invalidateQueries({ queryKey: ['segments'] });
          }}
          onClose={() => setConfirming(false)}
        >
          <p>
            Everything about {other.label} moves to {self}: events, segments, tags, score, journey
            runs and emails. Where both have a property, {self}’s value stays. From now on{' '}
            {other.label}’s email and ids lead to {self}.
          </p>
          <p>This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
