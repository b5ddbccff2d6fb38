import { describeNode, type DescribeContext, type DiffableDocument } from '@relance/flow';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ErrorNotice, Loading } from '../components/status';
import { useEditorStore } from './canvas/editor-context';
import { flowFieldName } from './flow-field-name';
import type { Draft } from './canvas/draft';
import { DiffSummary } from './diff-summary';
import { whoEntersOnPublish } from './entry-words';
import { journeyKeys, journeysApi, type CarryOverPreview, type Journey } from './journey-api';
import { newRulesForEntriesInProgress, newRulesWords } from './new-rules-words';
import { PublishWarnings } from './publish-warnings';
import { carriedOverWords, PAUSED_PUBLISH_NOTE } from './version-words';
import './live/live.css';

/** How many entries (runs), in words: a contact going through the journey twice is two. */
const entries = (n: number) => (n === 1 ? 'entry' : `${n.toLocaleString('en')} entries`);

/**
 * The two choices for the entries already in the journey, counted as the live view counts them:
 * entries in progress (runs going or held), and those waiting at a step the new version keeps.
 */
export function carryOverChoices(
  counts: { inFlight: number; movable: number },
  live: number,
  /** Entries waiting on versions before the live one (an earlier publish kept them there). */
  earlier: EarlierEntries = [],
): { keep: string; move: string } {
  const onEarlier = earlier.reduce((sum, e) => sum + e.waiting, 0);
  const onLive = Math.max(counts.inFlight - onEarlier, 0);
  const each = [
    ...(onLive > 0 ? [`${onLive.toLocaleString('en')} on version ${live}`] : []),
    ...earlier.map((e) => `${e.waiting.toLocaleString('en')} on version ${e.version}`),
  ];
  return {
    keep:
      counts.inFlight === 0
        ? `Let entries in progress finish on version ${live} (none now)`
        : onEarlier === 0
          ? `Let the ${entries(counts.inFlight)} in progress finish on version ${live}`
          : `Let the ${entries(counts.inFlight)} in progress finish on the version each is on: ${each.join(', ')}`,
    move:
      counts.movable === 0
        ? 'Move entries waiting at steps that still exist to the new version (none now)'
        : `Move the ${entries(counts.movable)} waiting at steps that still exist to the new version`,
  };
}

/** Entries waiting on versions older than the live one, newest first. */
export type EarlierEntries = { version: number; waiting: number; document: DiffableDocument }[];

/** The preview's waiting entries by version id, for the versions other than the live one. */
export function earlierEntries(
  byVersion: Record<string, number> | undefined,
  versions: { id: string; version: number; document: unknown }[] | undefined,
  liveId: string | undefined,
): EarlierEntries {
  if (!byVersion || !versions) return [];
  return versions
    .filter((v) => v.id !== liveId && (byVersion[v.id] ?? 0) > 0)
    .sort((a, b) => b.version - a.version)
    .map((v) => ({
      version: v.version,
      waiting: byVersion[v.id]!,
      document: v.document as DiffableDocument,
    }));
}

/** What the carry-over counts are, for a marketer hovering them. */
export const CARRY_OVER_EXPLAINED =
  'Counted in entries: a contact going through the journey twice at the same time (for two orders, say) counts twice.';

/**
 * Per step where entries wait now: how many, and where each choice leaves them. A step the new
 * version keeps (same id and kind) can take them over; otherwise they finish where they are.
 */
export function CarryOverByStep({
  byNode,
  live,
  liveDocument,
  draftNodes = [],
  earlier = [],
  names,
}: {
  byNode: CarryOverPreview['byNode'];
  live: number;
  liveDocument: DiffableDocument | null;
  /** The steps of the version being published, to say what a changed wait now does. */
  draftNodes?: DiffableDocument['nodes'];
  /** Earlier versions entries wait on, to name the steps the live version no longer has. */
  earlier?: EarlierEntries;
  names: DescribeContext;
}) {
  const steps = Object.entries(byNode).sort(([, a], [, b]) => b.waiting - a.waiting);
  if (steps.length === 0) return <p className="muted">Nobody is waiting at a step right now.</p>;
  const nodes = new Map(liveDocument?.nodes.map((n) => [n.id, n]));
  const sentence = (id: string) => {
    const node = nodes.get(id);
    if (node) return describeNode(node, names);
    for (const { version, document } of earlier) {
      const old = document.nodes.find((n) => n.id === id);
      if (old) return `${describeNode(old, names)} (version ${version})`;
    }
    return `Step ${id} (from an earlier version)`;
  };
  const next = live + 1;
  const drafted = new Map(draftNodes.map((n) => [n.id, n]));
  // A moved entry keeps the time it began waiting: a wait made longer or shorter counts from then.
  const moved = (id: string) => {
    const before = nodes.get(id);
    const after = drafted.get(id);
    const same = `continue from the same step on version ${next}`;
    if (!before || !after || before.kind !== after.kind || !after.kind.startsWith('wait.')) {
      return same;
    }
    const now = describeNode(after, names);
    return now === describeNode(before, names)
      ? same
      : `${same}, now “${now}”, timed from when they began waiting`;
  };
  return (
    <table className="carry-over-table" aria-label="Entries waiting, by step">
      <thead>
        <tr>
          <th scope="col">Waiting at</th>
          <th scope="col" className="number">
            Entries
          </th>
          <th scope="col">If they finish on their version</th>
          <th scope="col">If they move</th>
        </tr>
      </thead>
      <tbody>
        {steps.map(([id, { waiting, movable }]) => (
          <tr key={id} data-node={id}>
            <td>{sentence(id)}</td>
            <td className="number">{waiting}</td>
            <td>continue from this step on their version</td>
            <td>
              {movable === waiting
                ? moved(id)
                : movable === 0
                  ? `stay on their version: version ${next} no longer has this step`
                  : `${movable} continue on version ${next}; ${waiting - movable} stay (the step changed kind)`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * What the new version's journey-wide rules (leaving early, goals, quiet hours, frequency cap) do
 * to the entries in progress: they bind a run by its version, so only moved entries follow them.
 */
export function CarryOverRules({
  liveDocument,
  draft,
  live,
  names,
  onEarlier = false,
}: {
  liveDocument: DiffableDocument;
  draft: DiffableDocument;
  live: number;
  names: DescribeContext;
  /** Some entries wait on versions before the live one. */
  onEarlier?: boolean;
}) {
  const words = newRulesForEntriesInProgress(
    newRulesWords(liveDocument, draft, names),
    live,
    onEarlier,
  );
  return words === null ? null : (
    <p className="notice" data-new-rules>
      {words}
    </p>
  );
}

/**
 * Publishing: what changes compared with the live version, and for a journey with entries in
 * progress, whether they stay on their version or move to this one (with the counts). Open
 * while `draft`, the draft as the server saved it, is set: the summary describes it, and the
 * server refuses to publish if its saved draft is no longer that one.
 */
export function PublishDialog({
  journey,
  draft,
  onClose,
  onPublished,
}: {
  journey: Journey;
  draft: Draft | null;
  onClose: () => void;
  /** `words`: what became of the entries already in the journey, for the editor's banner. */
  onPublished: (version: number, words: string | null) => void;
}) {
  const open = draft !== null;
  const ref = useRef<HTMLDialogElement>(null);
  const store = useEditorStore();
  const [carryOver, setCarryOver] = useState<'keep' | 'move'>('keep');
  const [publishing, setPublishing] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const live = journey.liveVersion?.version ?? null;
  const versions = useQuery({
    queryKey: journeyKeys.versions(journey.id),
    queryFn: () => journeysApi.versions(journey.id),
    enabled: open && live !== null,
  });
  const liveVersion = useQuery({
    queryKey: journeyKeys.version(journey.id, live ?? 0),
    queryFn: () => journeysApi.version(journey.id, live!),
    enabled: open && live !== null,
  });
  // Also before the first version: the preview carries the warnings.
  const preview = useQuery({
    queryKey: [...journeyKeys.one(journey.id), 'carry-over'],
    queryFn: () => journeysApi.carryOver(journey.id, draft!),
    enabled: open,
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setError(null);
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  async function publish(reviewed: Draft) {
    setPublishing(true);
    setError(null);
    try {
      const result = await journeysApi.publish(journey.id, carryOver, reviewed);
      onPublished(
        result.version,
        carriedOverWords({
          previous: live,
          carryOver,
          inFlight: preview.data?.inFlight ?? 0,
          moved: result.moved,
          earlier,
        }),
      );
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setPublishing(false);
    }
  }

  const context = store.getState().context;
  const earlier = earlierEntries(
    preview.data?.byVersion,
    versions.data?.versions,
    journey.liveVersion?.id,
  );
  return (
    <dialog
      ref={ref}
      className="dialog publish-dialog"
      onClose={onClose}
      aria-labelledby="publish-title"
    >
      <h2 id="publish-title">
        {live === null ? 'Publish the first version' : `Publish version ${live + 1}`}
      </h2>
      {draft && live === null && whoEntersOnPublish(draft.name, draft.nodes, context) && (
        <p data-who-enters>{whoEntersOnPublish(draft.name, draft.nodes, context)}</p>
      )}
      {draft && journey.status === 'paused' && (
        <p className="notice warn" data-paused-note>
          {PAUSED_PUBLISH_NOTE}
        </p>
      )}
      {draft && live !== null && (
        <>
          <h3>What changes since version {live}</h3>
          {liveVersion.isPending && <Loading what="the live version" />}
          {liveVersion.isError && <ErrorNotice error={liveVersion.error} />}
          {liveVersion.isSuccess && (
            <DiffSummary
              before={liveVersion.data.document as never}
              after={draft}
              names={context}
            />
          )}
          <fieldset className="carry-over" title={CARRY_OVER_EXPLAINED}>
            <legend>Entries already in the journey</legend>
            {preview.isPending && <Loading what="the entries in progress" />}
            {preview.isError && <ErrorNotice error={preview.error} />}
            {preview.isSuccess && (
              <>
                <label className="inline-check">
                  <input
                    type="radio"
                    name="carry-over"
                    checked={carryOver === 'keep'}
                    onChange={() => setCarryOver('keep')}
                  />
                  {carryOverChoices(preview.data, live, earlier).keep}
                </label>
                <label className="inline-check">
                  <input
                    type="radio"
                    name="carry-over"
                    checked={carryOver === 'move'}
                    onChange={() => setCarryOver('move')}
                  />
                  {carryOverChoices(preview.data, live).move}
                </label>
                {liveVersion.isSuccess && preview.data.inFlight > 0 && (
                  <CarryOverRules
                    liveDocument={liveVersion.data.document as unknown as DiffableDocument}
                    draft={draft}
                    live={live}
                    names={context}
                    onEarlier={earlier.length > 0}
                  />
                )}
                <CarryOverByStep
                  byNode={preview.data.byNode}
                  live={live}
                  liveDocument={
                    liveVersion.isSuccess
                      ? (liveVersion.data.document as unknown as DiffableDocument)
                      : null
                  }
                  draftNodes={draft.nodes}
                  earlier={earlier}
                  names={context}
                />
              </>
            )}
          </fieldset>
        </>
      )}
      {draft && preview.isSuccess && (
        <PublishWarnings warnings={preview.data.warnings} nodes={draft.nodes} names={context} />
      )}
      {draft && live === null && preview.isError && <ErrorNotice error={preview.error} />}
      {error && (
        <ErrorNotice
          error={error}
          fieldName={draft ? flowFieldName(draft.nodes, context) : undefined}
        />
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => draft && void publish(draft)}
          disabled={publishing || !draft}
        >
          {publishing ? 'Publishing…' : 'Publish'}
        </button>
      </div>
    </dialog>
  );
}
