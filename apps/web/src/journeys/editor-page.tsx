import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'wouter';
import { useLeaveGuard } from '../components/leave-guard';
import { ErrorNotice, Loading } from '../components/status';
import { createAutosaver, type Autosaver, type SaveStatus } from './autosave';
import { DraftConflictBanner, isDraftConflict, sameJson } from './draft-conflict';
import { ApiFailure } from '../lib/api';
import { draftOf } from './canvas/convert';
import { draftFromDocument, needsLayout, type Draft } from './canvas/draft';
import { EditorProvider, useEditor } from './canvas/editor-context';
import { JourneyEditor } from './canvas/journey-editor';
import { createEditorStore, type EditorStore } from './canvas/store';
import { journeyKeys, journeysApi, type Journey } from './journey-api';
import { PublishDialog } from './publish-dialog';
import { NAME_MAX, savableDraft } from './savable-draft';
import { SaveState } from './save-state';
import { StatusBadge } from './status-badge';
import { useWorkspaceContext } from './use-workspace-context';
import { PAUSED_PUBLISH_NOTE, publishedVersionWords } from './version-words';

function NameInput({ savedName }: { savedName: string }) {
  const name = useEditor((s) => s.name);
  const setName = useEditor((s) => s.setName);
  const problemId = useId();
  const empty = name.trim() === '';
  return (
    <span className="journey-name-field">
      <input
        className="journey-name"
        aria-label="Journey name"
        aria-invalid={empty}
        aria-describedby={empty ? problemId : undefined}
        value={name}
        maxLength={NAME_MAX}
        placeholder="Name this journey"
        onChange={(e) => setName(e.target.value)}
      />
      {empty && (
        <span id={problemId} className="journey-name-problem" role="alert">
          Give the journey a name: until you do, it keeps the name “{savedName}”.
        </span>
      )}
    </span>
  );
}

function PublishButton({
  onClick,
  stopped,
  opening,
}: {
  onClick: () => void;
  stopped: boolean;
  opening: boolean;
}) {
  const problems = useEditor((s) => s.problems.length);
  return (
    <button
      type="button"
      className="primary"
      onClick={onClick}
      disabled={stopped || problems > 0 || opening}
      title={
        stopped
          ? 'This journey was stopped for good: duplicate it from the journey list to run it again'
          : problems > 0
            ? `Fix the ${problems} problem${problems === 1 ? '' : 's'} first`
            : undefined
      }
    >
      Publish
    </button>
  );
}

/**
 * Saves `draft` based on what this editor last saw. Pausing, resuming or publishing also moves
 * the journey's updatedAt: when the saved draft is still the one this editor based its work on,
 * that refusal is no conflict, and the save is made again on the new updatedAt.
 */
async function saveUnlessChangedElsewhere(
  journeyId: string,
  draft: Draft,
  base: { updatedAt: string; document: unknown },
) {
  try {
    return await journeysApi.save(journeyId, draft, base.updatedAt);
  } catch (error) {
    if (!(error instanceof ApiFailure && error.code === 'draft_changed')) throw error;
    const fresh = await journeysApi.get(journeyId);
    if (!sameJson(fresh.document, base.document)) throw error;
    return journeysApi.save(journeyId, draft, fresh.updatedAt);
  }
}

function useAutosave(store: EditorStore, journey: Journey) {
  const queryClient = useQueryClient();
  const journeyId = journey.id;
  const [status, setStatus] = useState<SaveStatus>({ state: 'saved' });
  const lastStatus = useRef<SaveStatus>(status);
  const saverRef = useRef<Autosaver | null>(null);
  // The draft exactly as the server last took it: what Publish describes and publishes.
  const saved = useRef<{ name: string; draft: Draft | null }>({ name: journey.name, draft: null });
  // The journey's updatedAt and draft as this editor last read or wrote them: a save based on an
  // older updatedAt is refused, so a second tab cannot silently undo this one's work (nor this one
  // the other's).
  const basedOn = useRef({ updatedAt: journey.updatedAt, document: journey.document });
  useEffect(() => {
    // Made here, not memoised: a remount (React's strict mode does one) gets a live saver.
    const saver = createAutosaver({
      save: async () => {
        const draft = savableDraft(draftOf(store.getState()), saved.current.name);
        const result = await saveUnlessChangedElsewhere(journeyId, draft, basedOn.current);
        basedOn.current = { updatedAt: result.updatedAt, document: result.document };
        saved.current = { name: result.name, draft };
        queryClient.setQueryData(journeyKeys.one(journeyId), result);
      },
      onStatus: (next) => {
        lastStatus.current = next;
        setStatus(next);
      },
    });
    saverRef.current = saver;
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.revision !== previous.revision && !state.readOnly) saver.changed();
    });
    return () => {
      unsubscribe();
      // Leaving the page: send what is unsaved rather than drop it.
      void saver.flush().finally(() => saver.dispose());
    };
  }, [store, journeyId, queryClient]);
  /** Saves what is pending; true when nothing is left unsaved. */
  const flush = useCallback(async () => {
    const saver = saverRef.current;
    if (!saver) return false;
    await saver.flush();
    return !saver.dirty();
  }, []);
  /**
   * Saves the canvas as it is now, changed or not, and answers the draft the server took: the
   * one to review and publish. Null when it could not be saved.
   */
  const saveForPublish = useCallback(async () => {
    const saver = saverRef.current;
    if (!saver) return null;
    saver.changed();
    return (await flush()) ? saved.current.draft : null;
  }, [flush]);
  /** Saves this editor's draft over the one saved elsewhere, once the marketer chose to. */
  const saveOverOther = useCallback(async () => {
    const saver = saverRef.current;
    if (!saver) return;
    const fresh = await journeysApi.get(journeyId);
    basedOn.current = { updatedAt: fresh.updatedAt, document: fresh.document };
    saver.changed();
    await saver.flush();
  }, [journeyId]);
  useLeaveGuard({
    dirty: () => saverRef.current?.dirty() ?? false,
    save: flush,
    // Read when the guard asks, right after its own save attempt: that attempt's outcome.
    lost: () =>
      `Your last changes to this journey aren't saved${whyNotSaved(lastStatus.current)}. If you leave now, they are lost.`,
  });
  return { status, flush, saveForPublish, saveOverOther };
}

/** " — <the failure>" when the last save failed, in words ending without a full stop. */
function whyNotSaved(status: SaveStatus): string {
  return status.state === 'failed' ? ` — ${status.error.message.replace(/\.$/, '')}` : ' yet';
}

/** Publish waits until the canvas is saved: what goes live is what the dialog describes. */
function UnsavedBanner({ status, onRetry }: { status: SaveStatus; onRetry: () => void }) {
  return (
    <div className="banner bad" role="alert">
      Your last changes aren't saved{whyNotSaved(status)}. Publish opens once they are, so that what
      goes live is what you see.{' '}
      <button type="button" className="link-button" onClick={onRetry}>
        Save and publish
      </button>
    </div>
  );
}

function LoadedEditor({ journey, onReload }: { journey: Journey; onReload: () => void }) {
  const queryClient = useQueryClient();
  const [store] = useState(() => createEditorStore(draftFromDocument(journey.document)));
  // The saved draft under review in the publish dialog; null while it is closed.
  const [reviewing, setReviewing] = useState<Draft | null>(null);
  const [notSaved, setNotSaved] = useState(false);
  const [opening, setOpening] = useState(false);
  const [published, setPublished] = useState<number | null>(null);
  // What became of the entries already in the journey when it was published.
  const [carriedOver, setCarriedOver] = useState<string | null>(null);
  useWorkspaceContext(store);
  const { status, flush, saveForPublish, saveOverOther } = useAutosave(store, journey);
  const [resolving, setResolving] = useState(false);
  const conflict = isDraftConflict(status);
  const current = useQuery({
    queryKey: journeyKeys.one(journey.id),
    queryFn: () => journeysApi.get(journey.id),
    initialData: journey,
  }).data;

  useEffect(() => {
    // New steps avoid the ids the published versions used (fetched again after a publish).
    store.getState().setUsedIds(current.usedNodeIds);
  }, [store, current.usedNodeIds]);

  useEffect(() => {
    // Documents written by code have no positions yet: lay them out once.
    if (needsLayout(draftFromDocument(journey.document).nodes)) store.getState().tidy();
  }, [store, journey.document]);

  const openPublish = useCallback(async () => {
    setOpening(true);
    try {
      const draft = await saveForPublish();
      setNotSaved(draft === null);
      setReviewing(draft);
    } finally {
      setOpening(false);
    }
  }, [saveForPublish]);

  const header = (
    <>
      <Link href="/journeys" className="back-link">
        ← Journeys
      </Link>
      <NameInput savedName={current.name} />
      <StatusBadge status={current.status} />
      {current.liveVersion !== null && (
        <span className="muted">
          {publishedVersionWords(current.status, current.liveVersion.version)}
        </span>
      )}
      {conflict ? (
        <span className="save-state bad">Not saved</span>
      ) : (
        <SaveState status={status} onRetry={() => void flush()} />
      )}
      <span className="spacer" />
      <Link href={`/journeys/${journey.id}/versions`} className="button">
        Versions
      </Link>
      {current.liveVersion !== null && (
        <Link href={`/journeys/${journey.id}/live`} className="button">
          Live view
        </Link>
      )}
      <PublishButton
        onClick={() => void openPublish()}
        stopped={current.status === 'stopped'}
        opening={opening}
      />
    </>
  );
  const banner = conflict ? (
    <DraftConflictBanner
      busy={resolving}
      onLoadSaved={onReload}
      onKeepMine={() => {
        setResolving(true);
        void saveOverOther().finally(() => setResolving(false));
      }}
    />
  ) : notSaved && status.state !== 'saved' ? (
    <UnsavedBanner status={status} onRetry={() => void openPublish()} />
  ) : (
    published !== null &&
    (current.status === 'paused' ? (
      <div className="banner warn" role="status">
        Version {published} is published. {PAUSED_PUBLISH_NOTE} {carriedOver && <>{carriedOver} </>}
        <Link href={`/journeys/${journey.id}/live`}>Open the live view</Link>
      </div>
    ) : (
      <div className="banner ok" role="status">
        Version {published} is live. {carriedOver && <>{carriedOver} </>}
        <Link href={`/journeys/${journey.id}/live`}>Watch contacts move through it</Link>
      </div>
    ))
  );

  return (
    <EditorProvider store={store}>
      <JourneyEditor header={header} banner={banner} />
      <PublishDialog
        journey={current}
        draft={reviewing}
        onClose={() => setReviewing(null)}
        onPublished={(version, words) => {
          setReviewing(null);
          setPublished(version);
          setCarriedOver(words);
          void queryClient.invalidateQueries({ queryKey: journeyKeys.one(journey.id) });
          void queryClient.invalidateQueries({ queryKey: journeyKeys.all });
        }}
      />
    </EditorProvider>
  );
}

/** /journeys/:id — the draft of one journey on the canvas, autosaved. */
export function JourneyEditorPage({ id }: { id: string }) {
  const journey = useQuery({ queryKey: journeyKeys.one(id), queryFn: () => journeysApi.get(id) });
  // Bumped to open the draft afresh, as saved elsewhere, when the marketer drops their changes.
  const [opened, setOpened] = useState(0);
  if (journey.isPending)
    return (
      <div className="page-pad">
        <Loading what="the journey" />
      </div>
    );
  if (journey.isError) {
    return (
      <div className="page-pad">
        <ErrorNotice error={journey.error} onRetry={() => void journey.refetch()} />
        <Link href="/journeys">Back to journeys</Link>
      </div>
    );
  }
  return (
    <LoadedEditor
      key={`${id}:${opened}`}
      journey={journey.data}
      onReload={() => void journey.refetch().then(() => setOpened((n) => n + 1))}
    />
  );
}
