import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorNotice } from '../components/status';
import { KnownTagOptions } from '../forms/pickers';
import { catalogKeys, useSegments } from '../lib/catalog';
import { countOf } from '../lib/format';
import { segmentsApi } from '../segments/segment-api';
import { BULK_ACTIONS, bulkOutcome, type BulkAction, type BulkTally } from './bulk';
import { contactsApi } from './contact-api';

// What one request takes; a larger selection goes in several.
const CHUNK = 1_000;

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

/**
 * The contact list's bulk actions on the selected contacts: tag or untag them, put them in or
 * take them out of a static segment. Segments re-evaluate and journeys hear of it as for a
 * change made on one profile.
 */
export function BulkActions({
  selected,
  onClear,
  children,
}: {
  selected: readonly string[];
  onClear: () => void;
  /** Shown after the count: a way to widen the selection. */
  children?: ReactNode;
}) {
  const queryClient = useQueryClient();
  const ids = { action: useId(), tag: useId(), tags: useId(), segment: useId() };
  const segments = useSegments();
  const statics = segments.items.filter((s) => s.kind === 'static');
  const [action, setAction] = useState<BulkAction>('add_tag');
  const [tag, setTag] = useState('');
  const [segmentId, setSegmentId] = useState('');
  const [said, setSaid] = useState<string | null>(null);
  const byTag = action === 'add_tag' || action === 'remove_tag';
  const segmentName = statics.find((s) => s.id === segmentId)?.name ?? 'the segment';

  const apply = useMutation({
    mutationFn: async (): Promise<string> => {
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
  const ready = byTag ? tag.trim() !== '' : segmentId !== '';

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaid(null);
    if (ready) apply.mutate();
  }

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
      {byTag ? (
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
        <>
          <label htmlFor={ids.segment} className="visually-hidden">
            Static segment
          </label>
          <select id={ids.segment} value={segmentId} onChange={(e) => setSegmentId(e.target.value)}>
            <option value="">Choose a static segment…</option>
            {statics.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </>
      )}
      <button type="submit" className="primary" disabled={!ready || apply.isPending}>
        {apply.isPending ? 'Applying…' : 'Apply'}
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
    </form>
  );
}
