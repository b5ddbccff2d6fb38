import { useQuery } from '@tanstack/react-query';
import { aria, Field, ProblemList, useProblemsAt } from '../forms/field';
import { SegmentPicker, TemplatePicker } from '../forms/pickers';
import { templateKeys, templatesApi } from '../templates/template-api';
import { ConfirmationStarter } from './confirmation-starter';
import type { FormDraft } from './form-draft';

type Set = <K extends keyof FormDraft>(key: K, value: FormDraft[K]) => void;

function TopicChoices({
  value,
  onChange,
}: {
  value: string[];
  onChange: (keys: string[]) => void;
}) {
  const topics = useQuery({ queryKey: templateKeys.topics, queryFn: templatesApi.topics });
  const problems = useProblemsAt('definition.topics');
  return (
    <fieldset className="subtle">
      <legend>Subscribe every signup to</legend>
      {topics.isPending && <p className="field-hint">Loading topics…</p>}
      {topics.isError && (
        <p className="field-problems">Could not load topics: {topics.error.message}</p>
      )}
      {topics.data?.topics.length === 0 && (
        <p className="field-hint">No email topics yet: create them under Email topics.</p>
      )}
      {topics.data?.topics.map((t) => (
        <label key={t.key} className="inline-check">
          <input
            type="checkbox"
            checked={value.includes(t.key)}
            onChange={(e) =>
              onChange(e.target.checked ? [...value, t.key] : value.filter((k) => k !== t.key))
            }
          />
          {t.name}
        </label>
      ))}
      <ProblemList problems={problems} />
    </fieldset>
  );
}

/** What a signup does: the list it joins, its topics, double opt-in, and what the visitor sees. */
export function AfterSignup({ draft, set }: { draft: FormDraft; set: Set }) {
  return (
    <section className="card">
      <h2>After signup</h2>
      <Field
        label="Add the contact to the list"
        path="definition.targetSegmentId"
        hint="A static segment; journeys can start when someone enters it."
      >
        {(ids) => (
          <SegmentPicker
            id={ids.id}
            describedBy={ids.describedBy}
            invalid={ids.invalid}
            onlyStatic
            value={draft.targetSegmentId}
            onChange={(id) => set('targetSegmentId', id)}
          />
        )}
      </Field>
      <TopicChoices value={draft.topics} onChange={(keys) => set('topics', keys)} />
      <label className="inline-check toggle">
        <input
          type="checkbox"
          checked={draft.doubleOptIn}
          onChange={(e) => set('doubleOptIn', e.target.checked)}
        />
        Double opt-in: confirm the address by email before subscribing and adding to the list
      </label>
      {draft.doubleOptIn && (
        <Field
          label="Confirmation email"
          path="definition.confirmationTemplateId"
          hint="A transactional template with a link to {{ confirm_url }}."
        >
          {(ids) => (
            <TemplatePicker
              id={ids.id}
              describedBy={ids.describedBy}
              invalid={ids.invalid}
              value={draft.confirmationTemplateId}
              onChange={(id) => set('confirmationTemplateId', id)}
            />
          )}
        </Field>
      )}
      {draft.doubleOptIn && (
        <ConfirmationStarter
          formName={draft.name}
          chosen={draft.confirmationTemplateId !== ''}
          onCreated={(id) => set('confirmationTemplateId', id)}
        />
      )}
      <Field
        label="Thank-you message"
        path="definition.successMessage"
        hint={
          draft.doubleOptIn
            ? 'With double opt-in, visitors first read “Check your inbox”; this message shows once they press the link in the confirmation email.'
            : undefined
        }
      >
        {(ids) => (
          <input
            {...aria(ids)}
            value={draft.successMessage}
            onChange={(e) => set('successMessage', e.target.value)}
          />
        )}
      </Field>
      <Field
        label="Or send visitors to (optional)"
        path="definition.redirectUrl"
        hint={
          draft.doubleOptIn
            ? 'Not used with double opt-in: visitors must first read “Check your inbox”, and confirming shows the thank-you message.'
            : 'A page of your site shown instead of the thank-you message.'
        }
      >
        {(ids) => (
          <input
            {...aria(ids)}
            type="url"
            value={draft.redirectUrl}
            placeholder="https://www.example.com/thanks"
            onChange={(e) => set('redirectUrl', e.target.value)}
          />
        )}
      </Field>
    </section>
  );
}

/** The sites allowed to post the form from the browser (CORS). */
export function AllowedSites({ draft, set }: { draft: FormDraft; set: Set }) {
  return (
    <section className="card">
      <h2>Allowed sites</h2>
      <Field
        label="Sites that may embed this form"
        path="definition.allowedOrigins"
        hint="One address per line, such as https://www.example.com. The hosted page always works."
      >
        {(ids) => (
          <textarea
            {...aria(ids)}
            rows={3}
            value={draft.allowedOrigins}
            placeholder="https://www.example.com"
            onChange={(e) => set('allowedOrigins', e.target.value)}
          />
        )}
      </Field>
    </section>
  );
}

/** The submit button's words: the marketer's, else "Subscribe" in the pages' language. */
export function SubmitLabel({ draft, set }: { draft: FormDraft; set: Set }) {
  return (
    <Field
      label="Button label (optional)"
      path="definition.submitLabel"
      hint="Shown as you write it. Left empty, the button says “Subscribe” in the language of your recipients’ pages (Settings), for example “M’inscrire” in French."
    >
      {(ids) => (
        <input
          {...aria(ids)}
          value={draft.submitLabel}
          maxLength={60}
          placeholder="Subscribe"
          onChange={(e) => set('submitLabel', e.target.value)}
        />
      )}
    </Field>
  );
}
