import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'wouter';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorNotice } from '../components/status';
import { useModal } from '../components/use-modal';
import { aria, Field, FieldProblems } from '../forms/field';
import { ApiFailure } from '../lib/api';
import { countOf } from '../lib/format';
import { inUse, tagsApi, type TagSummary } from './tag-api';
import { TagUsesList } from './tag-uses';

/** What the page says once a rename or deletion is through. */
export type TagOutcome = string;

/** "Renamed on 2,000 of 12,345 contacts…" while a change goes through its batches. */
const progressOf = (verb: string, changed: number, of: number) =>
  `${verb} on ${changed.toLocaleString('en')} of ${countOf(Math.max(of, changed), 'contact')}…`;

/**
 * A tag a segment, a journey or the score still uses cannot be renamed or deleted: they would
 * go on with a tag nobody has. Says which, with links to them.
 */
export function TagInUseDialog({
  target,
  onClose,
}: {
  target: TagSummary | null;
  onClose: () => void;
}) {
  const ref = useModal(target !== null, noop);
  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="tag-in-use-title">
      <h2 id="tag-in-use-title">“{target?.tag}” is in use</h2>
      {target && (
        <p>
          It is used by <TagUsesList uses={target.uses} />. Renaming or deleting it would leave them
          with a tag nobody has: change them first, then come back.
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}

const noop = () => {};

/** Everything that shows tags (pickers, contacts, segments' counts) reads them afresh. */
function useRefreshAll() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries();
}

/**
 * Renames a tag on every contact that has it, or merges it into a tag that exists (a contact
 * with both keeps one); its contacts' segments are re-evaluated as it goes.
 */
export function RenameTagDialog({
  target,
  tags,
  onDone,
  onClose,
}: {
  target: TagSummary | null;
  /** Every tag of the page, to say what a rename into an existing one does. */
  tags: ReadonlyMap<string, TagSummary>;
  onDone: (outcome: TagOutcome) => void;
  onClose: () => void;
}) {
  const [to, setTo] = useState('');
  const [changed, setChanged] = useState(0);
  const refresh = useRefreshAll();
  const rename = useMutation({
    mutationFn: () => tagsApi.rename(target!.tag, to.trim(), setChanged),
    onSuccess: async (total) => {
      await refresh();
      onDone(`Renamed “${target!.tag}” to “${to.trim()}” on ${countOf(total, 'contact')}.`);
      onClose();
    },
  });
  const { reset } = rename;
  const ref = useModal(target !== null, () => {
    setTo('');
    setChanged(0);
    reset();
  });
  const issues = rename.error instanceof ApiFailure ? rename.error.issues : [];
  const existing = tags.get(to.trim());
  const name = to.trim();

  function submit(event: FormEvent) {
    event.preventDefault();
    rename.mutate();
  }

  let hint: ReactNode = 'Contacts keep their other tags.';
  // The score gives and takes away its tags by each contact's points: a tag merged into one
  // of them would not stay (the API refuses it), so say so before the marketer confirms.
  const scoreTag = target && existing && name !== target.tag && existing.uses.minScore !== null;
  if (scoreTag) {
    hint = (
      <>
        “{name}” is given and taken away by{' '}
        <Link href="/scoring">the score, from {existing.uses.minScore} points</Link>: “{target.tag}”
        cannot be merged into it. Choose another name.
      </>
    );
  } else if (target && existing && name !== target.tag) {
    hint = (
      <>
        “{name}” exists ({countOf(existing.contacts, 'contact')}): the two become one, and a contact
        who has both keeps one.
        {inUse(existing.uses) && (
          <>
            {' '}
            It is used by <TagUsesList uses={existing.uses} />: contacts who get it may enter those
            segments or take those branches.
          </>
        )}
      </>
    );
  }
  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="rename-tag-title">
      <form onSubmit={submit}>
        <h2 id="rename-tag-title">Rename “{target?.tag}”</h2>
        <p>
          {target && countOf(target.contacts, 'contact')} {target?.contacts === 1 ? 'has' : 'have'}{' '}
          it. Their segments are re-evaluated as the new name reaches them.
        </p>
        <FieldProblems problems={issues}>
          <Field label="New name" path="to" hint={hint}>
            {(ids) => (
              <input
                {...aria(ids)}
                value={to}
                list="rename-tag-options"
                autoFocus
                required
                maxLength={100}
                onChange={(e) => setTo(e.target.value)}
              />
            )}
          </Field>
        </FieldProblems>
        <datalist id="rename-tag-options">
          {[...tags.keys()]
            .filter((t) => t !== target?.tag && tags.get(t)!.uses.minScore === null)
            .map((t) => (
              <option key={t} value={t} />
            ))}
        </datalist>
        {rename.isPending && target && (
          <p className="muted" role="status">
            {progressOf('Renamed', changed, target.contacts)} You can close this window: the rename
            goes on, and the tags page shows how far it got.
          </p>
        )}
        {rename.isError && !issues.some((i) => i.field === 'to') && (
          <ErrorNotice error={rename.error} />
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            disabled={rename.isPending || name === '' || Boolean(scoreTag)}
          >
            {rename.isPending ? 'Renaming…' : 'Rename'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Takes a tag off every contact that has it, and off the workspace's list of tags. */
export function DeleteTagDialog({
  target,
  onDone,
  onClose,
}: {
  target: TagSummary | null;
  onDone: (outcome: TagOutcome) => void;
  onClose: () => void;
}) {
  const [changed, setChanged] = useState(0);
  const refresh = useRefreshAll();
  return (
    <ConfirmDialog
      open={target !== null}
      title={`Delete the tag “${target?.tag ?? ''}”?`}
      confirmLabel="Delete tag"
      action={() => {
        setChanged(0);
        return tagsApi.remove(target!.tag, setChanged);
      }}
      onDone={async (total) => {
        await refresh();
        onDone(`Deleted “${target!.tag}” from ${countOf(total, 'contact')}.`);
      }}
      onClose={onClose}
      progress={target ? progressOf('Deleted', changed, target.contacts) : undefined}
    >
      <p>
        {target && target.contacts > 0
          ? `It is taken off ${countOf(target.contacts, 'contact')}, and their segments are re-evaluated. `
          : 'No contact has it now. '}
        It leaves the tag pickers too; the contacts themselves and their other tags stay.
      </p>
    </ConfirmDialog>
  );
}
