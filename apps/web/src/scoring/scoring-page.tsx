import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { PageHeader } from '../components/layout';
import { useLeaveGuard } from '../components/leave-guard';
import { RemoveButton } from '../components/remove-button';
import { RecheckStatus } from '../components/recheck-status';
import { RECHECK_POLL_MS } from '../lib/recheck';
import { ErrorNotice, Loading } from '../components/status';
import { aria, Field, FieldProblems, ProblemList, useProblemsExactlyAt } from '../forms/field';
import { ApiFailure } from '../lib/api';
import { scoringApi, scoringKeys, type Scoring } from './scoring-api';
import { bodyOf, draftOf, numberProblems, type ScoringDraft, type TagDraft } from './scoring-draft';
import { RuleEditor } from './rule-editor';
import './scoring.css';

const NEW_RULE = { name: '', event: '', points: '1', within: '', filter: undefined };

function TagEditor({
  tag,
  index,
  onChange,
  onRemove,
}: {
  tag: TagDraft;
  index: number;
  onChange: (tag: TagDraft) => void;
  onRemove: () => void;
}) {
  const title = tag.tag.trim() || `Tag ${index + 1}`;
  return (
    <div className="score-tag" role="group" aria-label={title}>
      <Field label="Tag" path={`tags.${index}.tag`}>
        {(ids) => (
          <input
            {...aria(ids)}
            value={tag.tag}
            placeholder="hot-lead"
            onChange={(e) => onChange({ ...tag, tag: e.target.value })}
          />
        )}
      </Field>
      <Field label="While the score is at least" path={`tags.${index}.minScore`}>
        {(ids) => (
          <input
            {...aria(ids)}
            type="number"
            step={1}
            inputMode="numeric"
            value={tag.minScore}
            onChange={(e) => onChange({ ...tag, minScore: e.target.value })}
          />
        )}
      </Field>
      <RemoveButton what={`the tag ${title}`} onClick={onRemove} />
    </div>
  );
}

/** Problems about a whole list ("At most 100 rules", "Each tag once"). */
function ListProblems({ path }: { path: string }) {
  return <ProblemList problems={useProblemsExactlyAt(path)} />;
}

function ScoringEditor({ saved }: { saved: Scoring }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ScoringDraft>(() => draftOf(saved));
  const [savedJson, setSavedJson] = useState(() => JSON.stringify(draftOf(saved)));
  const [attempted, setAttempted] = useState(false);
  const local = numberProblems(draft);
  const save = useMutation({
    mutationFn: () => scoringApi.save(bodyOf(draft)),
    onSuccess: (result) => {
      setDraft(draftOf(result));
      setSavedJson(JSON.stringify(draftOf(result)));
      queryClient.setQueryData(scoringKeys.all, result);
    },
  });
  const dirty = JSON.stringify(draft) !== savedJson;
  useLeaveGuard({
    dirty,
    lost: 'Your changes to the scoring rules are not saved. If you leave now, they are lost.',
  });
  const fromServer = save.error instanceof ApiFailure ? save.error.issues : [];
  const problems = [...(attempted ? local : []), ...fromServer];

  const setRules = (rules: ScoringDraft['rules']) => setDraft({ ...draft, rules });
  const setTags = (tags: ScoringDraft['tags']) => setDraft({ ...draft, tags });

  function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (local.length === 0) save.mutate();
  }

  return (
    <form onSubmit={submit}>
      <PageHeader
        title="Scoring"
        subtitle="Each contact's engagement score: points for what they do, and tags that follow the score."
        actions={
          <>
            <span className={`save-state${dirty ? '' : ' ok'}`} role="status">
              {save.isPending ? 'Saving…' : dirty ? 'Unsaved changes' : 'Saved'}
            </span>
            <button type="submit" className="primary" disabled={save.isPending || !dirty}>
              Save
            </button>
          </>
        }
      />
      <RecheckStatus
        recheck={saved.recheck}
        what="Re-scoring every contact and re-checking the segments that read scores or tags"
        after="the last save of the rules"
      />
      {save.isError && fromServer.length === 0 && <ErrorNotice error={save.error} />}
      {fromServer.length > 0 && (
        <p className="notice error" role="alert">
          Not saved: {fromServer.length === 1 ? 'one field needs' : 'some fields need'} fixing, see
          below.
        </p>
      )}
      <FieldProblems problems={problems}>
        <section className="card">
          <h2>Rules</h2>
          <p className="muted">
            A contact's score is the sum of the points of every event that matches a rule, e.g. +10
            for each purchase in the last week, +3 per email click, −5 when they unsubscribe.
          </p>
          <ListProblems path="rules" />
          {draft.rules.length === 0 && (
            <p className="empty-inline muted">No rules: every contact scores 0.</p>
          )}
          {draft.rules.map((rule, i) => (
            <RuleEditor
              key={i}
              rule={rule}
              index={i}
              onChange={(next) => setRules(draft.rules.map((r, j) => (j === i ? next : r)))}
              onRemove={() => setRules(draft.rules.filter((_, j) => j !== i))}
            />
          ))}
          <button type="button" onClick={() => setRules([...draft.rules, { ...NEW_RULE }])}>
            + Add a rule
          </button>
        </section>
        <section className="card">
          <h2>Tags by score</h2>
          <p className="muted">
            Contacts carry the tag while their score is at or above the threshold, and lose it when
            it drops: segments and journeys can use it like any tag. A tag removed or renamed here
            is taken off every contact when you save.
          </p>
          <ListProblems path="tags" />
          {draft.tags.length === 0 && <p className="empty-inline muted">No tags by score.</p>}
          {draft.tags.map((tag, i) => (
            <TagEditor
              key={i}
              tag={tag}
              index={i}
              onChange={(next) => setTags(draft.tags.map((t, j) => (j === i ? next : t)))}
              onRemove={() => setTags(draft.tags.filter((_, j) => j !== i))}
            />
          ))}
          <button
            type="button"
            onClick={() => setTags([...draft.tags, { tag: '', minScore: '50' }])}
          >
            + Add a tag
          </button>
        </section>
      </FieldProblems>
    </form>
  );
}

/** /scoring — the engagement scoring rules and the tags the score maintains. */
export function ScoringPage() {
  const scoring = useQuery({
    queryKey: scoringKeys.all,
    queryFn: scoringApi.get,
    refetchInterval: (query) =>
      query.state.data?.recheck?.status === 'running' ? RECHECK_POLL_MS : false,
  });
  if (scoring.isPending) return <Loading what="the scoring rules" />;
  if (scoring.isError)
    return <ErrorNotice error={scoring.error} onRetry={() => void scoring.refetch()} />;
  return <ScoringEditor saved={scoring.data} />;
}
