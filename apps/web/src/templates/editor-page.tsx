import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { PageHeader } from '../components/layout';
import { useLeaveGuard } from '../components/leave-guard';
import { ErrorNotice, NewOrSaved } from '../components/status';
import { FieldProblems, type FieldProblem } from '../forms/field';
import { ApiFailure } from '../lib/api';
import { catalogKeys, useKnownProperties } from '../lib/catalog';
import { useDebounced } from '../lib/use-debounced';
import { warningLines, warningsLead } from './check-warnings';
import { sourceProblemsOf } from './source-problems';
import { firstNameProperty } from './greeting';
import { starterDraft } from './starter';
import { templateKeys, templatesApi, type EmailTemplate, type TemplateDraft } from './template-api';
import { TemplateActions } from './template-actions';
import { TemplateForm } from './template-form';
import { TemplatePreview } from './template-preview';
import './templates.css';

function draftOf(template: EmailTemplate): TemplateDraft {
  return {
    name: template.name,
    kind: template.kind,
    topic: template.topic,
    from: template.from,
    replyTo: template.replyTo,
    subject: template.subject,
    preheader: template.preheader,
    body: template.body,
    text: template.text,
  };
}

/** Whether Liquid in the saved template reads the triggering event (`{{ event.orderId }}`). */
function readsEvent(saved: string): boolean {
  return /\{[{%][^}]*\bevent\b/.test(saved);
}

function withLine(issue: { field: string; message: string; line?: number }): FieldProblem {
  return {
    field: issue.field,
    message: issue.line ? `Line ${issue.line}: ${issue.message}` : issue.message,
  };
}

function TemplateEditor({ template }: { template: EmailTemplate | null }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  // A new template greets by the first-name property the workspace's contacts have.
  const properties = useKnownProperties();
  const firstName = firstNameProperty(properties.items.map((p) => p.name));
  const [draft, setDraft] = useState<TemplateDraft>(() =>
    template ? draftOf(template) : starterDraft(firstName),
  );
  const [savedDraft, setSavedDraft] = useState(() =>
    JSON.stringify(template ? draftOf(template) : null),
  );
  const [version, setVersion] = useState(template?.version ?? 0);
  // A new template shows a field's problems once that field was edited, or after Save.
  const [initial, setInitial] = useState(draft);
  // The properties arrived after the starter was drawn: an untouched starter takes them.
  const starter = template ? null : starterDraft(firstName);
  if (starter && JSON.stringify(initial) !== JSON.stringify(starter)) {
    const untouched = JSON.stringify(draft) === JSON.stringify(initial);
    setInitial(starter);
    if (untouched) setDraft(starter);
  }
  const [attempted, setAttempted] = useState(template !== null);
  // A new template has changes once something was written in it: untouched, it has none to
  // lose (and says none), though it is not saved yet.
  const dirty = template
    ? JSON.stringify(draft) !== savedDraft
    : JSON.stringify(draft) !== JSON.stringify(initial);
  const { leaveWithoutAsking } = useLeaveGuard({
    dirty,
    lost: template
      ? `Your changes to ${template.name} are not saved. If you leave now, they are lost.`
      : 'This new template is not saved yet. If you leave now, it is lost.',
  });

  // Checked while typing, so broken MJML or Liquid shows with its line before saving.
  const settled = useDebounced(draft, 500);
  const check = useQuery({
    queryKey: ['templates', 'check', JSON.stringify(settled)],
    queryFn: () => templatesApi.check(settled),
    staleTime: Infinity,
  });

  const save = useMutation({
    mutationFn: () =>
      template ? templatesApi.save(template.id, draft) : templatesApi.create(draft),
    onSuccess: async (saved) => {
      setSavedDraft(JSON.stringify(draft));
      setVersion(saved.version);
      queryClient.setQueryData(templateKeys.one(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: templateKeys.all });
      await queryClient.invalidateQueries({ queryKey: catalogKeys.templates });
      if (!template) leaveWithoutAsking(() => navigate(`/templates/${saved.id}`));
    },
  });

  const problems = useMemo(() => {
    const touched = (field: string | undefined) => {
      if (attempted || !field) return true;
      const key = field.split('.')[0] as keyof TemplateDraft;
      return JSON.stringify(draft[key]) !== JSON.stringify(initial[key]);
    };
    const fromServer = save.error instanceof ApiFailure ? save.error.issues : [];
    const fromCheck = (check.data?.issues.map(withLine) ?? []).filter((p) => touched(p.field));
    return [
      ...fromCheck,
      ...fromServer.filter((s) => !fromCheck.some((c) => c.message === s.message)),
    ];
  }, [check.data, save.error, attempted, draft, initial]);

  // Marked on their lines in the source editor: the live check's, and a refused save's.
  const sourceProblems = useMemo(
    () =>
      sourceProblemsOf([
        ...(check.data?.issues ?? []),
        ...(save.error instanceof ApiFailure ? save.error.issues : []),
      ]),
    [check.data, save.error],
  );

  // Shown, never blocking: the template can be saved as it is.
  const warnings = useMemo(() => warningLines(check.data?.warnings), [check.data]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    save.mutate();
  }

  return (
    <form onSubmit={submit} className="template-editor">
      <PageHeader
        title={template ? template.name : 'New email template'}
        actions={
          <>
            <span className={`save-state${dirty ? '' : ' ok'}`}>
              {save.isPending ? 'Saving…' : dirty ? 'Unsaved changes' : template ? 'Saved' : ''}
            </span>
            <Link href="/templates" className="button">
              Back to templates
            </Link>
            {template && (
              <Link href={`/templates/${template.id}/report`} className="button">
                Results
              </Link>
            )}
            {template && <TemplateActions template={template} dirty={dirty} />}
            <button
              type="submit"
              className="primary"
              disabled={save.isPending || (!dirty && template !== null)}
            >
              {template ? 'Save' : 'Create template'}
            </button>
          </>
        }
      />
      {save.isError && !(save.error instanceof ApiFailure && save.error.issues.length > 0) && (
        <ErrorNotice error={save.error} />
      )}
      {attempted && check.data && !check.data.ok && (
        <p className="notice warn" role="status">
          {check.data.issues.length} problem{check.data.issues.length === 1 ? '' : 's'} to fix
          before this template can be saved: see the fields below.
        </p>
      )}
      {warnings.length > 0 && (
        <div className="notice warn" role="status">
          {warningsLead({ saved: template !== null, dirty })}
          <ul>
            {warnings.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      <FieldProblems problems={problems}>
        <div className="template-layout">
          <div>
            <TemplateForm draft={draft} onChange={setDraft} sourceProblems={sourceProblems} />
          </div>
          <aside className="template-aside">
            <TemplatePreview
              templateId={template?.id ?? null}
              version={version}
              dirty={dirty}
              usesEvent={readsEvent(savedDraft)}
            />
          </aside>
        </div>
      </FieldProblems>
    </form>
  );
}

/** /templates/new and /templates/:id — write an email, preview it as a contact, send a test. */
export function TemplateEditorPage({ id }: { id?: string }) {
  return (
    <NewOrSaved
      id={id}
      what="the template"
      queryKey={templateKeys.one(id ?? '')}
      load={(id) => templatesApi.get(id)}
      editor={(template) => <TemplateEditor template={template} />}
    />
  );
}
