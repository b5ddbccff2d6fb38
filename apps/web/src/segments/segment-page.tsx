import { useMutation, useQueryClient } from '@tanstack/react-query';
import { NO_CLICK_FOR_15_DAYS, type Condition } from '@relance/flow';
import { conditionProblems } from '@relance/flow/condition-problems';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { ConditionBuilder } from '../conditions/condition-builder';
import { finishedPart, type Loose } from '../conditions/condition-model';
import { PageHeader } from '../components/layout';
import { useLeaveGuard } from '../components/leave-guard';
import { ErrorNotice, NewOrSaved } from '../components/status';
import { aria, Field, FieldProblems } from '../forms/field';
import { ApiFailure } from '../lib/api';
import { catalogKeys, useSegments, useTemplatesWithArchived } from '../lib/catalog';
import { useDebounced } from '../lib/use-debounced';
import { useWorkspace } from '../lib/workspace';
import { ChangesList } from './changes-list';
import { DeleteSegmentDialog } from './delete-segment-dialog';
import { DownloadButton } from '../components/download-button';
import { LivePreview } from './live-preview';
import { MembersList } from './members-list';
import { SizeHistory } from './size-history';
import { AddMember } from './static-members';
import { segmentKeys, segmentsApi, type Segment } from './segment-api';
import './segments.css';

const STARTER_RULE: Loose = {
  kind: 'all',
  conditions: [NO_CLICK_FOR_15_DAYS],
};

function useNames() {
  const segments = useSegments();
  // A rule may count an archived template's emails: its sentence names it.
  const templates = useTemplatesWithArchived();
  // The workspace's order event reads as "orders placed" in the rule's sentence.
  const orderEvent = useWorkspace().data?.conversionEvent;
  return useMemo(
    () => ({
      segmentName: (id: string) => segments.items.find((s) => s.id === id)?.name,
      templateName: (id: string) => templates.items.find((t) => t.id === id)?.name,
      orderEvent,
    }),
    [segments.items, templates.items, orderEvent],
  );
}

/** JSON with every object's keys sorted: the same condition, however its keys were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sameCondition = (a: unknown, b: unknown) => a !== null && canonical(a) === canonical(b);

function SegmentForm({ segment }: { segment: Segment | null }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const names = useNames();
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [kind, setKind] = useState<'static' | 'dynamic'>(segment?.kind ?? 'dynamic');
  const [rule, setRule] = useState<Loose>((segment?.rule as Loose | null) ?? STARTER_RULE);
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  // What the builder held when it opened or was last saved: anything else is unsaved work.
  const editing = canonical({ name, description, kind, rule });
  const [savedEditing, setSavedEditing] = useState(editing);
  const { leaveWithoutAsking } = useLeaveGuard({
    dirty: editing !== savedEditing,
    lost: segment
      ? `Your changes to ${segment.name} are not saved. If you leave now, they are lost.`
      : 'This new segment is not saved yet. If you leave now, it is lost.',
  });
  const problems = useMemo(
    () =>
      conditionProblems(rule).map((p) => ({ ...p, field: p.field ? `rule.${p.field}` : 'rule' })),
    [rule],
  );
  const settledRule = useDebounced(rule, 350);
  // While a condition is still being filled in, the finished ones are counted, and said to be.
  const preview = useMemo(
    () =>
      conditionProblems(settledRule).length === 0
        ? { rule: settledRule as Condition, unfinished: 0 }
        : (({ finished, unfinished }) => ({ rule: finished, unfinished }))(
            finishedPart(settledRule),
          ),
    [settledRule],
  );
  const previewRule = preview.rule;

  const save = useMutation({
    // Called with what the builder holds, which becomes the saved state once the save succeeds.
    mutationFn: (_sent: string) => {
      if (segment) {
        return segmentsApi.update(segment.id, {
          name,
          description,
          ...(segment.kind === 'dynamic' ? { rule: rule as Condition } : {}),
        });
      }
      return segmentsApi.create(
        kind === 'dynamic'
          ? { kind, name, description, rule: rule as Condition }
          : { kind, name, description },
      );
    },
    onSuccess: async (result, sent) => {
      setSavedEditing(sent);
      await queryClient.invalidateQueries({ queryKey: segmentKeys.all });
      await queryClient.invalidateQueries({ queryKey: catalogKeys.segments });
      queryClient.setQueryData(segmentKeys.one(result.id), result);
      setSaved(true);
      if (!segment) leaveWithoutAsking(() => navigate(`/segments/${result.id}`));
    },
  });
  const serverProblems = save.error instanceof ApiFailure ? save.error.issues : [];
  const blocked = kind === 'dynamic' && problems.length > 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    save.mutate(editing);
  }

  return (
    <>
      <form onSubmit={submit}>
        <PageHeader
          title={segment ? segment.name : 'New segment'}
          subtitle={
            segment?.builtin ? 'A built-in lifecycle segment: you can adjust its rule.' : undefined
          }
          actions={
            <>
              <Link href="/segments" className="button">
                Back to segments
              </Link>
              {segment && (
                <button type="button" className="danger" onClick={() => setDeleting(true)}>
                  Delete
                </button>
              )}
              <button type="submit" className="primary" disabled={save.isPending || blocked}>
                {save.isPending ? 'Saving…' : segment ? 'Save changes' : 'Create segment'}
              </button>
            </>
          }
        />
        {saved && !save.isPending && (
          <p className="notice ok" role="status">
            Saved. Membership is being brought up to date.
          </p>
        )}
        {save.isError && (
          <ErrorNotice error={save.error} shownBeside={['name', 'description', 'rule']} />
        )}
        <FieldProblems problems={[...problems, ...serverProblems]}>
          <div className="segment-layout">
            <div>
              <section className="card">
                <Field label="Name" path="name">
                  {(ids) => (
                    <input
                      {...aria(ids)}
                      value={name}
                      onChange={(e) => setName(e.target.value)}
                      placeholder="No click for 15 days"
                      required
                    />
                  )}
                </Field>
                <Field label="Description (optional)" path="description">
                  {(ids) => (
                    <input
                      {...aria(ids)}
                      value={description}
                      onChange={(e) => setDescription(e.target.value)}
                    />
                  )}
                </Field>
                {!segment && (
                  <fieldset className="kind-choice">
                    <legend>Who is in it</legend>
                    <label className="inline-check">
                      <input
                        type="radio"
                        name="kind"
                        checked={kind === 'dynamic'}
                        onChange={() => setKind('dynamic')}
                      />
                      Contacts matching a rule, kept up to date automatically
                    </label>
                    <label className="inline-check">
                      <input
                        type="radio"
                        name="kind"
                        checked={kind === 'static'}
                        onChange={() => setKind('static')}
                      />
                      A list: contacts added by imports, the API and journeys
                    </label>
                  </fieldset>
                )}
              </section>
              {kind === 'dynamic' && (
                <section className="card">
                  <h2>Contacts who match</h2>
                  <ConditionBuilder value={rule} onChange={setRule} path="rule" names={names} />
                </section>
              )}
              {segment && (
                <section className="card">
                  <div className="card-head">
                    <h2>Members</h2>
                    <span className="card-actions">
                      <Link href={`/contacts?segment=${segment.id}`} className="button">
                        Tag or list them…
                      </Link>
                      <DownloadButton
                        path={`/api/segments/${segment.id}/export`}
                        fallbackName="segment.csv"
                      />
                    </span>
                  </div>
                  {kind === 'dynamic' && (
                    <p className="muted">
                      Who is in the segment now, by its saved rule; the count beside follows your
                      edits before you save them.
                    </p>
                  )}
                  {segment.kind === 'static' && <AddMember segmentId={segment.id} />}
                  <MembersList segmentId={segment.id} removable={segment.kind === 'static'} />
                </section>
              )}
              {segment && (
                <section className="card">
                  <h2>Size over the last 30 days</h2>
                  <SizeHistory segmentId={segment.id} />
                </section>
              )}
              {segment && (
                <section className="card">
                  <h2>Recent entries and exits</h2>
                  <ChangesList segmentId={segment.id} />
                </section>
              )}
            </div>
            <aside className="segment-aside">
              {kind === 'dynamic' ? (
                <LivePreview
                  rule={previewRule}
                  unfinished={preview.unfinished}
                  saved={
                    segment?.kind === 'dynamic' && sameCondition(previewRule, segment.rule)
                      ? segment
                      : null
                  }
                />
              ) : (
                <section className="card preview-card">
                  <h2>Members</h2>
                  <p className="big-count">
                    <strong>{(segment?.memberCount ?? 0).toLocaleString()}</strong>{' '}
                    {segment?.memberCount === 1 ? 'contact' : 'contacts'}
                  </p>
                </section>
              )}
            </aside>
          </div>
        </FieldProblems>
      </form>
      {segment && (
        <DeleteSegmentDialog
          segment={segment}
          open={deleting}
          onDone={async () => {
            leaveWithoutAsking(() => navigate('/segments'));
            queryClient.removeQueries({ queryKey: segmentKeys.one(segment.id) });
            await queryClient.invalidateQueries({ queryKey: segmentKeys.all });
            await queryClient.invalidateQueries({ queryKey: catalogKeys.segments });
          }}
          onClose={() => setDeleting(false)}
        />
      )}
    </>
  );
}

/** /segments/new and /segments/:id — the segment builder with a live count. */
export function SegmentPage({ id }: { id?: string }) {
  return (
    <NewOrSaved
      id={id}
      what="the segment"
      queryKey={segmentKeys.one(id ?? '')}
      load={(id) => segmentsApi.get(id)}
      editor={(segment) => <SegmentForm segment={segment} />}
    />
  );
}
