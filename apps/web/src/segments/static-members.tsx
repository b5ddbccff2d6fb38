import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ContactPicker } from '../contacts/contact-picker';
import { ErrorNotice } from '../components/status';
import { segmentKeys, segmentsApi } from './segment-api';

/** After a hand-made change: the count, members and change log, and the contacts' profiles. */
export async function refreshMembership(queryClient: QueryClient, segmentId: string) {
  await queryClient.invalidateQueries({ queryKey: segmentKeys.one(segmentId) });
  await queryClient.invalidateQueries({ queryKey: ['contacts'] });
}

/** A static segment's "add someone by hand": find the contact, add it, say what happened. */
export function AddMember({ segmentId }: { segmentId: string }) {
  const queryClient = useQueryClient();
  const pickerId = useId();
  const [chosen, setChosen] = useState<{ id: string; label: string } | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (contact: { id: string; label: string }) =>
      segmentsApi.addMembers(segmentId, [contact.id]),
    onSuccess: async (result, contact) => {
      setSaid(
        result.added === 1
          ? `${contact.label} was added.`
          : `${contact.label} was already in this segment.`,
      );
      setChosen(null);
      await refreshMembership(queryClient, segmentId);
    },
  });
  return (
    <div className="add-member">
      <div className="picker-row">
        <ContactPicker
          id={pickerId}
          label="Contact to add"
          value={chosen}
          onChange={(contact) => {
            setChosen(contact);
            setSaid(null);
            add.reset();
          }}
        />
        <button
          type="button"
          disabled={!chosen || add.isPending}
          onClick={() => chosen && add.mutate(chosen)}
        >
          {add.isPending ? 'Adding…' : 'Add to segment'}
        </button>
      </div>
      {chosen && <p className="muted">Chosen: {chosen.label}</p>}
      {said && (
        <p className="muted" role="status">
          {said}
        </p>
      )}
      {add.isError && <ErrorNotice error={add.error} />}
    </div>
  );
}

/** Takes one contact out of a static segment (an exit, which journeys may react to). */
export function RemoveMember({
  segmentId,
  contact,
}: {
  segmentId: string;
  contact: { id: string; label: string };
}) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => segmentsApi.removeMembers(segmentId, [contact.id]),
    onSuccess: () => refreshMembership(queryClient, segmentId),
  });
  return (
    <>
      <button
        type="button"
        aria-label={`Remove ${contact.label} from the segment`}
        disabled={remove.isPending}
        onClick={() => remove.mutate()}
      >
        {remove.isPending ? 'Removing…' : 'Remove'}
      </button>
      {remove.isError && <ErrorNotice error={remove.error} />}
    </>
  );
}
