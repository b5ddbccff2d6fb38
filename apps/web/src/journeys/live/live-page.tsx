import type { DiffableDocument } from '@relance/flow';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useShallow } from 'zustand/react/shallow';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorNotice, Loading } from '../../components/status';
import { draftFromDocument } from '../canvas/draft';
import { EditorProvider, useEditor } from '../canvas/editor-context';
import { JourneyEditor } from '../canvas/journey-editor';
import { createEditorStore } from '../canvas/store';
import {
  journeyKeys,
  journeysApi,
  type Journey,
  type JourneyVersion,
  type NodeStatsMap,
  type RunCounts,
} from '../journey-api';
import { StatusBadge } from '../status-badge';
import { useWorkspaceTime } from '../../lib/workspace';
import { useWorkspaceContext } from '../use-workspace-context';
import { EarlierSteps, earlierSteps } from './earlier-steps';
import { EnrolDialog } from './enrol-dialog';
import { LiveNodePanel } from './live-node-panel';
import { EmailStatsContext, NodeStatsContext, type NodeStats } from './node-stats-context';

/** How often the live counts refresh. */
const REFRESH_MS = 3_000;

function LiveAside({
  journey,
  runs,
  nodes,
  shownVersion,
}: {
  journey: Journey;
  runs: RunCounts | null;
  nodes: NodeStatsMap | null;
  shownVersion: number;
}) {
  const selected = useEditor(useShallow((s) => s.nodes.filter((n) => n.selected)));
  const shown = useEditor(useShallow((s) => s.nodes.map((n) => n.id)));
  const context = useEditor((s) => s.context);
  const elsewhere = Object.entries(nodes ?? {}).some(
    ([id, stats]) => stats.waiting > 0 && !shown.includes(id),
  );
  // Earlier versions are read only when entries wait at a step the shown version lacks.
  const versions = useQuery({
    queryKey: journeyKeys.versions(journey.id),
    queryFn: () => journeysApi.versions(journey.id),
    enabled: elsewhere,
  });
  const steps =
    elsewhere && nodes
      ? earlierSteps(
          nodes,
          new Set(shown),
          (versions.data?.versions ?? []).map((v) => ({
            version: v.version,
            document: v.document as unknown as DiffableDocument,
          })),
          context,
        )
      : [];
  return (
    <LiveNodePanel journey={journey} runs={runs} node={selected.length === 1 ? selected[0]! : null}>
      <EarlierSteps journey={journey} steps={steps} shownVersion={shownVersion} />
    </LiveNodePanel>
  );
}

function PauseResume({ journey }: { journey: Journey }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () =>
      journey.status === 'paused' ? journeysApi.resume(journey.id) : journeysApi.pause(journey.id),
    // The answer holds the status only: the rest of the journey is unchanged.
    onSuccess: (updated) =>
      queryClient.setQueryData<Journey>(journeyKeys.one(journey.id), (before) =>
        before ? { ...before, status: updated.status } : before,
      ),
  });
  return (
    <>
      <button
        type="button"
        onClick={() => toggle.mutate()}
        disabled={toggle.isPending}
        title={journey.status === 'paused' ? undefined : PAUSE_EXPLAINED}
      >
        {journey.status === 'paused' ? 'Resume' : 'Pause'}
      </button>
      {toggle.isError && <span className="save-state bad">{toggle.error.message}</span>}
    </>
  );
}

/** What pausing does, for the Pause button's hover. */
export const PAUSE_EXPLAINED =
  'Nobody new enters, and the entries in progress stop before their next email or other action until you resume. Nothing is lost.';

/**
 * While paused, what becomes of the entries in progress (runs hold before their next action; a
 * wait goes on counting; an exit condition or goal met meanwhile still takes them out).
 */
export function pausedWords(inFlight: number | null): string {
  const held = !inFlight
    ? 'Nobody is going through it now.'
    : inFlight === 1
      ? 'The entry in progress stops before its next email or other action; a wait it is in goes on counting, and it still leaves if it meets an exit condition or the goal.'
      : `The ${inFlight.toLocaleString('en')} entries in progress stop before their next email or other action; a wait they are in goes on counting, and they still leave if they meet an exit condition or the goal.`;
  const resume = inFlight
    ? 'Resume to let them go on: what they were held before then happens.'
    : 'Resume to let contacts enter again.';
  return `Paused: nobody new enters. ${held} ${resume}`;
}

/**
 * What stopping does to the entries in progress (runs: a contact in twice, for two orders, is two
 * entries), or that there are none.
 */
export function inFlightOnStop(inFlight: number | null): string {
  if (!inFlight) return 'Nobody is going through it now.';
  return inFlight === 1
    ? 'The entry in progress ends at once: no further step runs for its contact and no further email of this journey goes out from it.'
    : `The ${inFlight.toLocaleString('en')} entries in progress end at once: no further step runs for their contacts and no further email of this journey goes out from them.`;
}

/** Ends the journey for good: no more entries, and the entries in progress end. */
function StopJourney({ journey, inFlight }: { journey: Journey; inFlight: number | null }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState<{ text: string; refused: boolean } | null>(null);
  if (journey.status === 'stopped' && !inFlight) return null;
  return (
    <>
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        {journey.status === 'stopped' ? 'Stop the remaining runs…' : 'Stop journey…'}
      </button>
      {note && (
        <span className={note.refused ? 'save-state bad' : 'save-state'} role="status">
          {note.text}
        </span>
      )}
      <ConfirmDialog
        open={open}
        title={`Stop ${journey.name} for good?`}
        confirmLabel="Stop journey"
        action={async () => {
          const answer = await journeysApi.stop(journey.id);
          // Runs left to the worker are on their way out; runs Temporal refused are retried.
          setNote(
            'message' in answer && answer.message
              ? { text: answer.message, refused: answer.notStopped > answer.inBackground }
              : null,
          );
        }}
        onDone={async () => {
          await queryClient.invalidateQueries({ queryKey: journeyKeys.one(journey.id) });
          await queryClient.invalidateQueries({ queryKey: journeyKeys.all });
        }}
        onClose={() => setOpen(false)}
      >
        <p>It takes no more contacts. {inFlightOnStop(inFlight)}</p>
        <p>
          Its versions, its numbers and its contacts’ history stay. A stopped journey cannot be
          resumed or published again: duplicate it to run it again.
        </p>
      </ConfirmDialog>
    </>
  );
}

function LiveCanvas({ journey, version }: { journey: Journey; version: JourneyVersion }) {
  const [store] = useState(() => {
    const s = createEditorStore();
    s.getState().load(draftFromDocument(version.document), { readOnly: true, autoArrange: true });
    return s;
  });
  useWorkspaceContext(store);
  const [enrolling, setEnrolling] = useState(false);
  const time = useWorkspaceTime();
  const stats = useQuery({
    queryKey: journeyKeys.stats(journey.id),
    queryFn: () => journeysApi.stats(journey.id),
    refetchInterval: REFRESH_MS,
  });
  const emails = useQuery({
    queryKey: journeyKeys.emailStats(journey.id),
    queryFn: () => journeysApi.emailStats(journey.id),
    refetchInterval: REFRESH_MS,
  });
  const byEmailNode = useMemo(
    () => new Map(Object.entries(emails.data?.nodes ?? {})),
    [emails.data],
  );
  const byNode = useMemo(() => {
    const map = new Map<string, NodeStats>(Object.entries(stats.data?.nodes ?? {}));
    const runs = stats.data?.runs;
    const trigger = store.getState().nodes.find((n) => n.data.kind.startsWith('trigger.'));
    // The trigger starts runs rather than taking steps: its count is the runs it started.
    if (runs && trigger) {
      const started = Object.values(runs).reduce((sum, n) => sum + n, 0);
      map.set(trigger.id, { entered: started, waiting: 0, completed: started, failed: 0 });
    }
    return map;
  }, [stats.data, store]);
  const header = (
    <>
      <Link href={`/journeys/${journey.id}`} className="back-link">
        ← Edit draft
      </Link>
      <h1 className="editor-title">{journey.name}</h1>
      <StatusBadge status={journey.status} />
      <span
        className="muted"
        title="The numbers on each step count every version of this journey, since it first ran"
      >
        Live view of version {version.version} · numbers of all versions, all time
      </span>
      {stats.isError && (
        <span className="save-state bad">Counts not updated: {stats.error.message}</span>
      )}
      {emails.isError && (
        <span className="save-state bad">Email numbers not updated: {emails.error.message}</span>
      )}
      {stats.isSuccess && (
        <span className="save-state ok" aria-live="polite" title={time.zone}>
          Updated {time.time(stats.dataUpdatedAt)}
        </span>
      )}
      <span className="spacer" />
      <button
        type="button"
        onClick={() => setEnrolling(true)}
        disabled={journey.status !== 'active'}
      >
        Enrol contacts
      </button>
      {journey.status !== 'stopped' && <PauseResume journey={journey} />}
      <StopJourney
        journey={journey}
        inFlight={stats.data ? stats.data.runs.active + stats.data.runs.held : null}
      />
    </>
  );
  return (
    <EditorProvider store={store}>
      <NodeStatsContext.Provider value={byNode}>
        <EmailStatsContext.Provider value={byEmailNode}>
          <JourneyEditor
            header={header}
            banner={
              journey.status === 'paused' ? (
                <div className="banner warn" role="status" data-paused>
                  {pausedWords(stats.data ? stats.data.runs.active + stats.data.runs.held : null)}
                </div>
              ) : undefined
            }
            aside={
              <LiveAside
                journey={journey}
                runs={stats.data?.runs ?? null}
                nodes={stats.data?.nodes ?? null}
                shownVersion={version.version}
              />
            }
          />
          <EnrolDialog journey={journey} open={enrolling} onClose={() => setEnrolling(false)} />
        </EmailStatsContext.Provider>
      </NodeStatsContext.Provider>
    </EditorProvider>
  );
}

/** /journeys/:id/live — the live version with per-step counts and email numbers that refresh on their own. */
export function JourneyLivePage({ id }: { id: string }) {
  const journey = useQuery({ queryKey: journeyKeys.one(id), queryFn: () => journeysApi.get(id) });
  const live = journey.data?.liveVersion?.version ?? null;
  const version = useQuery({
    queryKey: journeyKeys.version(id, live ?? 0),
    queryFn: () => journeysApi.version(id, live!),
    enabled: live !== null,
  });
  if (journey.isPending)
    return (
      <div className="page-pad">
        <Loading what="the journey" />
      </div>
    );
  if (journey.isError)
    return (
      <div className="page-pad">
        <ErrorNotice error={journey.error} onRetry={() => void journey.refetch()} />
      </div>
    );
  if (live === null) {
    return (
      <div className="page-pad">
        <div className="empty">
          <p>This journey has not been published yet, so nobody is in it.</p>
          <Link href={`/journeys/${id}`}>Open the draft</Link>
        </div>
      </div>
    );
  }
  if (version.isPending)
    return (
      <div className="page-pad">
        <Loading what="the live version" />
      </div>
    );
  if (version.isError)
    return (
      <div className="page-pad">
        <ErrorNotice error={version.error} onRetry={() => void version.refetch()} />
      </div>
    );
  return <LiveCanvas key={version.data.id} journey={journey.data} version={version.data} />;
}
