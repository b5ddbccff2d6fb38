import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ErrorNotice, Loading } from '../components/status';
import { createAutosaver, type Autosaver, type SaveStatus } from './autosave';
import { draftOf } from './canvas/convert';
import { draftFromDocument, needsLayout } from './canvas/draft';
import { EditorProvider, useEditor } from './canvas/editor-context';
import { JourneyEditor } from './canvas/journey-editor';
import { createEditorStore, type EditorStore } from './canvas/store';
import { journeyKeys, journeysApi, type Journey } from './journey-api';
import { PublishDialog } from './publish-dialog';
import { SaveState } from './save-state';
import { StatusBadge } from './status-badge';
import { useWorkspaceContext } from './use-workspace-context';

function NameInput() {
  const name = useEditor((s) => s.name);
  const setName = useEditor((s) => s.setName);
  return (
    <input
      className="journey-name"
      aria-label="Journey name"
      value={name}
      placeholder="Name this journey"
      onChange={(e) => setName(e.target.value)}
    />
  );
}

function PublishButton({ onClick, stopped }: { onClick: () => void; stopped: boolean }) {
  const problems = useEditor((s) => s.problems.length);
  return (
    <button
      type="button"
      className="primary"
      onClick={onClick}
      disabled={stopped || problems > 0}
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

function useAutosave(store: EditorStore, journeyId: string) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<SaveStatus>({ state: 'saved' });
  const saverRef = useRef<Autosaver | null>(null);
  useEffect(() => {
    // Made here, not memoised: a remount (React's strict mode does one) gets a live saver.
    const saver = createAutosaver({
      save: async () => {
        const saved = await journeysApi.save(journeyId, draftOf(store.getState()));
        queryClient.setQueryData(journeyKeys.one(journeyId), saved);
      },
      onStatus: setStatus,
    });
    saverRef.current = saver;
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.revision !== previous.revision && !state.readOnly) saver.changed();
    });
    const warn = (event: BeforeUnloadEvent) => {
      if (saver.dirty()) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      unsubscribe();
      window.removeEventListener('beforeunload', warn);
      // Leaving the page: send what is unsaved rather than drop it.
      void saver.flush().finally(() => saver.dispose());
    };
  }, [store, journeyId, queryClient]);
  const flush = useCallback(() => saverRef.current?.flush() ?? Promise.resolve(), []);
  return { status, flush };
}

function LoadedEditor({ journey }: { journey: Journey }) {
  const queryClient = useQueryClient();
  const [store] = useState(() => createEditorStore(draftFromDocument(journey.document)));
  const [publishing, setPublishing] = useState(false);
  const [published, setPublished] = useState<number | null>(null);
  useWorkspaceContext(store);
  const { status, flush } = useAutosave(store, journey.id);
  const current = useQuery({
    queryKey: journeyKeys.one(journey.id),
    queryFn: () => journeysApi.get(journey.id),
    initialData: journey,
  }).data;

  useEffect(() => {
    // Documents written by code have no positions yet: lay them out once.
    if (needsLayout(draftFromDocument(journey.document).nodes)) store.getState().tidy();
  }, [store, journey.document]);

  const openPublish = useCallback(async () => {
    await flush();
    setPublishing(true);
  }, [flush]);

  const header = (
    <>
      <Link href="/journeys" className="back-link">
        ← Journeys
      </Link>
      <NameInput />
      <StatusBadge status={current.status} />
      {current.liveVersion !== null && (
        <span className="muted">Version {current.liveVersion.version} is live</span>
      )}
      <SaveState status={status} onRetry={() => void flush()} />
      <span className="spacer" />
      <Link href={`/journeys/${journey.id}/versions`} className="button">
        Versions
      </Link>
      {current.liveVersion !== null && (
        <Link href={`/journeys/${journey.id}/live`} className="button">
          Live view
        </Link>
      )}
      <PublishButton onClick={() => void openPublish()} stopped={current.status === 'stopped'} />
    </>
  );
  const banner = published !== null && (
    <div className="banner ok" role="status">
      Version {published} is live.{' '}
      <Link href={`/journeys/${journey.id}/live`}>Watch contacts move through it</Link>
    </div>
  );

  return (
    <EditorProvider store={store}>
      <JourneyEditor header={header} banner={banner} />
      <PublishDialog
        journey={current}
        open={publishing}
        onClose={() => setPublishing(false)}
        onPublished={(version) => {
          setPublishing(false);
          setPublished(version);
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
  return <LoadedEditor key={id} journey={journey.data} />;
}
