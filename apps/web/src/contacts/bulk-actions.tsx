import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorNotice } from '../components/status';
import { KnownTagOptions } from '../forms/pickers';
import { catalogKeys, useSegments } from '../lib/catalog';
import { countOf } from '../lib/format';
import { segmentsApi } from '../segments/segment-api';
import {
  BULK_ACTIONS,
  bulkOutcome,
  deletionOutcome,
  enrolmentOutcome,
  type BulkAction,
  type BulkTally,
  type DeletionTally,
  type EnrolmentTally,
} from './bulk';
import { journeyKeys, journeysApi } from '../journeys/journey-api';
import { contactsApi } from './contact-api';

// What one request takes; a larger selection goes in several.
const CHUNK = 1_000;
/** Deletions per request: each person is erased on their own, after their runs are stopped. */
const DELETE_CHUNK = 200;

/** Enrols the selected contacts in a journey, 1,000 a request; answers what it did. */
async function enrolInChunks(ids: readonly string[], journeyId: string, journeyName: string) {
  const tally: EnrolmentTally = { started: 0, alreadyIn: 0, refused: 0, notStarted: 0, gone: 0 };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const r = await journeysApi.enrolContacts(journeyId, ids.slice(i, i + CHUNK));
    tally.started += r.started;
    tally.alreadyIn += r.alreadyIn;
    tally.refused += r.refused;
    tally.notStarted += r.notStarted;
    tally.gone += r.unknownContactIds.length;
  }
  return enrolmentOutcome(tally, journeyName);
}

/**
 * Erases the selected people, 200 a request, telling `onProgress` how many were looked at;
 * answers what happened and who was kept.
 */
async function deleteInChunks(ids: readonly string[], onProgress: (done: number) => void) {
  const tally: DeletionTally = { deleted: 0, gone: 0, kept: 0 };
  const kept: string[] = [];
  for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
    const result = await contactsApi.removeMany(ids.slice(i, i + DELETE_CHUNK));
    tally.deleted += result.deleted;
    tally.gone += result.unknownContactIds.length;
    kept.push(...result.notDeleted.map((k) => k.contactId));
    onProgress(Math.min(ids.length, i + DELETE_CHUNK));
  }
  tally.kept = kept.length;
  return { said: deletionOutcome(tally), kept };
}

async function inChunks(
  ids: readonly string[],
  apply: (chunk: string[]) => Promise<{ changed: number; unknownContactIds: string[] }>,
): Promise<BulkTally> {
  const tally: BulkTally = { asked: ids.length, changed: 0, gone: 0 };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const result = await apply(ids.slice(i, i + CHUNK));
    tally.changed += result.changed;
    tally.gone += result.unknownContactIds.length;
  }
  return tally;
}

/** What a bulk action applies to (a journey, a static segment), chosen by name. */
function TargetSelect({
  id,
  label,
  choose,
  options,
  value,
  onChange,
}: {
  id: string;
  label: string;
  /** The empty choice's text. */
  choose: string;
  options: readonly { id: string; name: string }[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{choose}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </>
  );
}

/**
 * The contact list's bulk actions on the selected contacts: tag or untag them, put them in or
 * take them out of a static segment, or delete them for good. Segments re-evaluate and journeys
 * hear of it as for a change made on one profile.
 */
export function BulkActions({
  selected,
  onClear,
  onDeleted,
  children,
}: {
  selected: readonly string[];
  onClear: () => void;
  /** After a deletion: what it did, and the contacts it kept (they stay selected). */
  onDeleted: (outcome: { said: string; kept: string[] }) => void;
  /** Shown after the count: a way to widen the selection. */
  children?: ReactNode;
}) {
  const queryClient = useQueryClient();
  const ids = {
    action: useId(),
    tag: useId(),
    tags: useId(),
    segment: useId(),
    journey: useId(),
  };
  const segments = useSegments();
  const statics = segments.items.filter((s) => s.kind === 'static');
  const [action, setAction] = useState<BulkAction>('add_tag');
  const [tag, setTag] = useState('');
  const [segmentId, setSegmentId] = useState('');
  const [said, setSaid] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [confirmingEnrol, setConfirmingEnrol] = useState(false);
  const [deletedSoFar, setDeletedSoFar] = useState(0);
  const deleting = action === 'delete';
  const byTag = action === 'add_tag' || action === 'remove_tag';
  const segmentName = statics.find((s) => s.id === segmentId)?.name ?? 'the segment';
  const enrolling = action === 'enrol';
  const [journeyId, setJourneyId] = useState('');
  // Only live journeys take contacts; listed only once the marketer picks this action.
  const journeys = useQuery({
    queryKey: journeyKeys.all,
    queryFn: journeysApi.list,
    enabled: enrolling,
  });
  const live = (journeys.data?.journeys ?? []).filter((j) => j.status === 'active');
  const journeyName = live.find((j) => j.id === journeyId)?.name ?? 'the journey';

  const apply = useMutation({
    mutationFn: async (): Promise<string> => {
      if (action === 'delete') throw new Error('Deletion goes through its confirmation');
      if (action === 'enrol') throw new Error('Enrolment goes through its confirmation');
      const tally = await inChunks(selected, async (chunk) => {
        switch (action) {
          case 'add_tag':
            return contactsApi.changeTags(chunk, { add: [tag.trim()] });
          case 'remove_tag':
            return contactsApi.changeTags(chunk, { remove: [tag.trim()] });
          case 'add_to_segment': {
            const r = await segmentsApi.addMembers(segmentId, chunk);
            return { changed: r.added, unknownContactIds: r.unknownContactIds };
          }
          case 'remove_from_segment': {
            const r = await segmentsApi.removeMembers(segmentId, chunk);
            return { changed: r.removed, unknownContactIds: r.unknownContactIds };
          }
        }
      });
      return bulkOutcome(action, tally, byTag ? tag.trim() : segmentName);
    },
    onSuccess: async (sentence) => {
      setSaid(sentence);
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      await queryClient.invalidateQueries({ queryKey: ['segments'] });
      await queryClient.invalidateQueries({ queryKey: catalogKeys.segments });
      await queryClient.invalidateQueries({ queryKey: catalogKeys.tags });
    },
  });
  const ready =
    deleting || (enrolling ? journeyId !== '' : byTag ? tag.trim() !== '' : segmentId !== '');

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaid(null);
    if (deleting) setConfirming(true);
    else if (enrolling) setConfirmingEnrol(ready);
    else if (ready) apply.mutate();
  }
  const count = countOf(selected.length, 'contact');

  return (
    <form className="bulk-bar" aria-label="Act on the selected contacts" onSubmit={submit}>
      <strong>{countOf(selected.length, 'contact')} selected</strong>
      {children}
      <label htmlFor={ids.action} className="visually-hidden">
        Action
      </label>
      <select
        id={ids.action}
        value={action}
        onChange={(e) => {
          setAction(e.target.value as BulkAction);
          setSaid(null);
          apply.reset();
        }}
      >
        {BULK_ACTIONS.map((a) => (
          <option key={a.value} value={a.value}>
            {a.label}
          </option>
        ))}
      </select>
      {deleting ? null : enrolling ? (
        journeys.isSuccess && live.length === 0 ? (
          <span className="muted">No live journey yet: publish one on the Journeys page.</span>
        ) : (
          <TargetSelect
            id={ids.journey}
            label="Journey"
            choose={journeys.isPending ? 'Loading journeys…' : 'Choose a live journey…'}
            options={live}
            value={journeyId}
            onChange={setJourneyId}
          />
        )
      ) : byTag ? (
        <>
          <label htmlFor={ids.tag} className="visually-hidden">
            Tag
          </label>
          <KnownTagOptions id={ids.tags} />
          <input
            id={ids.tag}
            list={ids.tags}
            autoComplete="off"
            placeholder="Tag, e.g. vip"
            maxLength={100}
            value={tag}
            onChange={(e) => setTag(e.target.value)}
          />
        </>
      ) : statics.length === 0 && segments.available ? (
        <span className="muted">No static segment yet: create one on the Segments page.</span>
      ) : (
        <TargetSelect
          id={ids.segment}
          label="Static segment"
          choose="Choose a static segment…"
          options={statics}
          value={segmentId}
          onChange={setSegmentId}
        />
      )}
      <button
        type="submit"
        className={deleting ? 'danger' : 'primary'}
        disabled={!ready || apply.isPending}
      >
        {deleting
          ? `Delete ${count}…`
          : enrolling
            ? `Enrol ${count}…`
            : apply.isPending
              ? 'Applying…'
              : 'Apply'}
      </button>
      <button type="button" onClick={onClear} disabled={apply.isPending}>
        Clear selection
      </button>
      {said && (
        <p className="bulk-said" role="status">
          {said}
        </p>
      )}
      {apply.isError && <ErrorNotice error={apply.error} />}
      {segments.error && <ErrorNotice error={segments.error} />}
      {enrolling && journeys.isError && <ErrorNotice error={journeys.error} />}
      <ConfirmDialog
        open={confirmingEnrol}
        title={`Enrol ${count} in ${journeyName}?`}
        confirmLabel={`Enrol ${count}`}
        action={() => enrolInChunks(selected, journeyId, journeyName)}
        onDone={async (sentence) => {
          setSaid(sentence);
          await queryClient.invalidateQueries({ queryKey: ['contacts'] });
        }}
        onClose={() => setConfirmingEnrol(false)}
      >
        <p>
          They enter {journeyName} now: emails start going out as the journey says. Contacts already
          going through it are skipped, and its entry policy decides for those who have been through
          it before.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${count} for good?`}
        confirmLabel={`Delete ${count}`}
        action={() => {
          setDeletedSoFar(0);
          return deleteInChunks(selected, setDeletedSoFar);
        }}
        progress={
          selected.length > DELETE_CHUNK
            ? `${deletedSoFar.toLocaleString('en')} of ${selected.length.toLocaleString('en')} done…`
            : undefined
        }
        onDone={async (outcome) => {
          await queryClient.invalidateQueries({ queryKey: ['contacts'] });
          await queryClient.invalidateQueries({ queryKey: ['segments'] });
          onDeleted(outcome);
        }}
        onClose={() => setConfirming(false)}
      >
        <p>
          Everything Relance knows about these people is deleted: their profiles, events, segment
          history, email topic choices and journey history, with any duplicates merged into them.
          The journeys they are going through stop at once. Use this when people ask to be
          forgotten, or to take out contacts that should never have been added.
        </p>
        <p>
          Emails already sent stay in your reports, without the address or the subject. Addresses on
          the suppression list stay there, so a later import cannot email someone who unsubscribed.
        </p>
      </ConfirmDialog>
    </form>
  );
}
