import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PageHeader } from '../components/layout';
import { useLeaveGuard, useLeaveWithoutAsking } from '../components/leave-guard';
import { ErrorNotice, NewOrSaved } from '../components/status';
import { aria, Field, FieldProblems, ProblemList, useProblemsExactlyAt } from '../forms/field';
import { ApiFailure } from '../lib/api';
import { FieldList } from './field-list';
import { formKeys, formsApi, type SignupForm } from './form-api';
import { bodyOf, draftOf, starterDraft, type FormDraft } from './form-draft';
import { AfterSignup, AllowedSites, SubmitLabel } from './form-settings';
import { SharePanel } from './share-panel';
import './signup-forms.css';

function FieldsProblems() {
  return <ProblemList problems={useProblemsExactlyAt('definition.fields')} />;
}

function ArchiveButton({ form }: { form: SignupForm }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const leaveWithoutAsking = useLeaveWithoutAsking();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        Archive
      </button>
      <ConfirmDialog
        open={open}
        title={`Archive ${form.name}?`}
        confirmLabel="Archive form"
        action={() => formsApi.archive(form.id)}
        onDone={async () => {
          await queryClient.invalidateQueries({ queryKey: formKeys.all });
          leaveWithoutAsking(() => navigate('/forms'));
        }}
        onClose={() => setOpen(false)}
      >
        <p>
          Its hosted page and every copy embedded on your sites stop accepting signups at once.
          Contacts who already signed up keep their data and subscriptions.
        </p>
      </ConfirmDialog>
    </>
  );
}

function FormEditor({ form }: { form: SignupForm | null }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [draft, setDraft] = useState<FormDraft>(() => (form ? draftOf(form) : starterDraft()));
  const [savedJson, setSavedJson] = useState(() => JSON.stringify(form ? draftOf(form) : null));
  const dirty = JSON.stringify(draft) !== savedJson;
  // A new form is unsaved from the start: leaving it asks only once something was changed.
  const [initial] = useState(draft);
  const { leaveWithoutAsking } = useLeaveGuard({
    dirty: form ? dirty : JSON.stringify(draft) !== JSON.stringify(initial),
    lost: form
      ? `Your changes to ${form.name} are not saved. If you leave now, they are lost.`
      : 'This new form is not saved yet. If you leave now, it is lost.',
  });
  const save = useMutation({
    mutationFn: () =>
      form ? formsApi.save(form.id, bodyOf(draft)) : formsApi.create(bodyOf(draft)),
    onSuccess: async (saved) => {
      const next = draftOf(saved);
      setDraft(next);
      setSavedJson(JSON.stringify(next));
      queryClient.setQueryData(formKeys.one(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: formKeys.all });
      if (!form) leaveWithoutAsking(() => navigate(`/forms/${saved.id}`));
    },
  });
  const issues = save.error instanceof ApiFailure ? save.error.issues : [];
  const set = <K extends keyof FormDraft>(key: K, value: FormDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form onSubmit={submit} className="signup-form-editor">
      <PageHeader
        title={form ? form.name : 'New signup form'}
        actions={
          <>
            <span className={`save-state${dirty ? '' : ' ok'}`}>
              {save.isPending ? 'Saving…' : dirty ? 'Unsaved changes' : form ? 'Saved' : ''}
            </span>
            <Link href="/forms" className="button">
              Back to forms
            </Link>
            {form && <ArchiveButton form={form} />}
            <button
              type="submit"
              className="primary"
              disabled={save.isPending || (!dirty && form !== null)}
            >
              {form ? 'Save' : 'Create form'}
            </button>
          </>
        }
      />
      {save.isError && issues.length === 0 && <ErrorNotice error={save.error} />}
      {issues.length > 0 && (
        <p className="notice error" role="alert">
          The form was not saved: {issues.length === 1 ? 'one thing needs' : 'some things need'}{' '}
          fixing, shown next to each field.
        </p>
      )}
      <FieldProblems problems={issues}>
        <div className="signup-form-layout">
          <div>
            <section className="card">
              <Field
                label="Form name"
                path="name"
                hint="Visitors see it as the hosted page's title."
              >
                {(ids) => (
                  <input
                    {...aria(ids)}
                    value={draft.name}
                    placeholder="Newsletter signup"
                    onChange={(e) => set('name', e.target.value)}
                  />
                )}
              </Field>
            </section>
            <section className="card">
              <h2>Fields</h2>
              <FieldsProblems />
              <FieldList fields={draft.fields} onChange={(fields) => set('fields', fields)} />
              <SubmitLabel draft={draft} set={set} />
            </section>
            <AfterSignup draft={draft} set={set} />
            <AllowedSites draft={draft} set={set} />
          </div>
          <aside>
            {form ? (
              <SharePanel form={form} />
            ) : (
              <section className="card">
                <h2>Share</h2>
                <p className="muted">
                  Create the form to get its hosted page and the HTML to embed on your site.
                </p>
              </section>
            )}
          </aside>
        </div>
      </FieldProblems>
    </form>
  );
}

/** /forms/new and /forms/:id — build a signup form, then share it. */
export function SignupFormPage({ id }: { id?: string }) {
  return (
    <NewOrSaved
      id={id}
      what="the form"
      queryKey={formKeys.one(id ?? '')}
      load={(id) => formsApi.get(id)}
      editor={(form) => <FormEditor form={form} />}
    />
  );
}
