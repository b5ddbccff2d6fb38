import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { ConfirmDialog } from '../components/confirm-dialog';
import { contactKeys, contactsApi, type ContactProfile } from './contact-api';
import { contactLabel, contactName } from './contact-label';

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Deleting a contact (a GDPR erasure): what goes, what stays, then back to the list. */
export function DeleteContactDialog({
  contact,
  open,
  onClose,
}: {
  contact: ContactProfile;
  open: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const runs = useQuery({
    queryKey: contactKeys.runs(contact.id),
    queryFn: () => contactsApi.runs(contact.id),
    enabled: open,
  });
  const inProgress = (runs.data?.runs ?? []).filter(
    (run) => run.status === 'active' || run.status === 'held',
  ).length;
  const duplicates = contact.mergedFrom.length;
  const name = contactName(contact.properties);
  const label = contactLabel(contact);
  return (
    <ConfirmDialog
      open={open}
      title={name ? `Delete ${name} (${label})?` : `Delete ${label}?`}
      confirmLabel="Delete contact"
      action={() => contactsApi.remove(contact.id)}
      onDone={async () => {
        navigate('/contacts');
        // The profile, its timeline and runs are gone; the lists no longer hold the person.
        queryClient.removeQueries({ queryKey: contactKeys.one(contact.id) });
        await queryClient.invalidateQueries({ queryKey: ['contacts', 'list'] });
        await queryClient.invalidateQueries({ queryKey: ['segments'] });
      }}
      onClose={onClose}
    >
      <p>
        Everything Relance knows about this person is deleted for good: their profile, events,
        segment history, email topic choices and journey history
        {duplicates > 0 &&
          `, and the ${plural(duplicates, 'duplicate', 'duplicates')} merged into them`}
        . Use this when someone asks to be forgotten.
      </p>
      {inProgress > 0 && (
        <p>
          {plural(
            inProgress,
            'journey they are going through stops',
            'journeys they are going through stop',
          )}{' '}
          at once: no further email goes out from it.
        </p>
      )}
      <p>
        Emails already sent stay in your reports, without the address or the subject. If the address
        is on the suppression list, it stays there, so a later import cannot email someone who
        unsubscribed. If the same person is tracked or imported again, they come back as a new
        contact.
      </p>
    </ConfirmDialog>
  );
}
