import { lazy, Suspense } from 'react';
import { aria, Field } from '../forms/field';
import { useKnownProperties } from '../lib/catalog';
import { formatMoney } from '../lib/format';
import { useWorkspace } from '../lib/workspace';
import { firstNameProperty, greetingLiquid, moneyLiquid } from './greeting';
import type { SourceProblem } from './source-problems';
import type { TemplateDraft } from './template-api';
import { TopicPicker } from './topic-picker';

// CodeMirror is a few hundred kilobytes: only the template editor loads it, when it opens.
const SourceEditor = lazy(() => import('./source-editor'));

/** The template's settings and source: everything the marketer writes. */
export function TemplateForm({
  draft,
  onChange,
  sourceProblems,
}: {
  draft: TemplateDraft;
  /** Lines of the body the API could not render, marked in the editor. */
  sourceProblems: readonly SourceProblem[];
  /** Takes an update function: a topic created after a request must not undo what was typed meanwhile. */
  onChange: (update: (draft: TemplateDraft) => TemplateDraft) => void;
}) {
  const sourceLabel = draft.body.kind === 'mjml' ? 'MJML source' : 'HTML source';
  // The examples name the first-name property the workspace's contacts have.
  const firstName = firstNameProperty(useKnownProperties().items.map((p) => p.name));
  const workspace = useWorkspace().data;
  const set = <K extends keyof TemplateDraft>(key: K, value: TemplateDraft[K]) =>
    onChange((current) => ({ ...current, [key]: value }));
  return (
    <>
      <section className="card">
        <Field label="Name" path="name">
          {(ids) => (
            <input
              {...aria(ids)}
              value={draft.name}
              placeholder="Win-back offer"
              onChange={(e) => set('name', e.target.value)}
            />
          )}
        </Field>
        <div className="two-columns">
          <Field
            label="Kind"
            path="kind"
            hint={
              draft.kind === 'transactional'
                ? 'Sent even to contacts who opted out of marketing.'
                : undefined
            }
          >
            {(ids) => (
              <select
                {...aria(ids)}
                value={draft.kind}
                onChange={(e) => set('kind', e.target.value as TemplateDraft['kind'])}
              >
                <option value="marketing">Marketing</option>
                <option value="transactional">Transactional</option>
              </select>
            )}
          </Field>
          <Field label="Topic" path="topic" hint="Contacts can opt out of each topic.">
            {(ids) => (
              <TopicPicker
                ids={aria(ids)}
                value={draft.topic}
                required={draft.kind === 'marketing'}
                onChange={(topic) => set('topic', topic)}
              />
            )}
          </Field>
        </div>
        <div className="two-columns">
          <Field label="From name" path="from.name">
            {(ids) => (
              <input
                {...aria(ids)}
                value={draft.from.name}
                placeholder="Acme"
                onChange={(e) => set('from', { ...draft.from, name: e.target.value })}
              />
            )}
          </Field>
          <Field label="From address" path="from.address">
            {(ids) => (
              <input
                {...aria(ids)}
                type="email"
                value={draft.from.address}
                placeholder="news@acme.com"
                onChange={(e) => set('from', { ...draft.from, address: e.target.value })}
              />
            )}
          </Field>
        </div>
        <Field
          label="Replies go to (optional)"
          path="replyTo.address"
          hint="Left empty, replies go to the from address."
        >
          {(ids) => (
            <input
              {...aria(ids)}
              type="email"
              value={draft.replyTo?.address ?? ''}
              placeholder="support@acme.com"
              onChange={(e) =>
                set(
                  'replyTo',
                  e.target.value.trim() === ''
                    ? null
                    : { name: draft.replyTo?.name ?? '', address: e.target.value },
                )
              }
            />
          )}
        </Field>
        <Field
          label="Subject"
          path="subject"
          hint={`Liquid works here: {{ contact.${firstName} }}`}
        >
          {(ids) => (
            <input
              {...aria(ids)}
              value={draft.subject}
              onChange={(e) => set('subject', e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Preheader (optional)"
          path="preheader"
          hint="The grey line inboxes show after the subject."
        >
          {(ids) => (
            <input
              {...aria(ids)}
              value={draft.preheader}
              onChange={(e) => set('preheader', e.target.value)}
            />
          )}
        </Field>
      </section>
      <section className="card">
        <div className="body-head">
          <h2>Body</h2>
          <div role="radiogroup" aria-label="Body format" className="segmented">
            {(['mjml', 'html'] as const).map((kind) => (
              <label key={kind} className={draft.body.kind === kind ? 'active' : ''}>
                <input
                  type="radio"
                  name="body-kind"
                  checked={draft.body.kind === kind}
                  onChange={() => set('body', { ...draft.body, kind })}
                />
                {kind === 'mjml' ? 'MJML' : 'HTML'}
              </label>
            ))}
          </div>
        </div>
        <Field
          label={sourceLabel}
          path="body"
          hint={
            <>
              Personalise with Liquid: <code>{greetingLiquid(firstName)}</code>,{' '}
              <code>{'{{ event.orderId }}'}</code>,{' '}
              <code>{moneyLiquid(workspace?.conversionValueProperty)}</code>
              {workspace && ` (${formatMoney(59.9, workspace.currency)})`},{' '}
              <code>{'{% if contact.plan == "pro" %}…{% endif %}'}</code>
            </>
          }
        >
          {(ids) => (
            <Suspense
              fallback={
                <textarea
                  {...aria(ids)}
                  aria-label={sourceLabel}
                  className="code source"
                  readOnly
                  value={draft.body.source}
                />
              }
            >
              <SourceEditor
                {...ids}
                label={sourceLabel}
                value={draft.body.source}
                onChange={(source) =>
                  onChange((current) => ({ ...current, body: { ...current.body, source } }))
                }
                problems={sourceProblems}
              />
            </Suspense>
          )}
        </Field>
        <label className="inline-check">
          <input
            type="checkbox"
            checked={draft.text !== null}
            onChange={(e) => set('text', e.target.checked ? '' : null)}
          />
          Write the plain-text version myself (otherwise it is made from the HTML)
        </label>
        {draft.text !== null && (
          <Field label="Plain-text version" path="text">
            {(ids) => (
              <textarea
                {...aria(ids)}
                rows={8}
                className="code"
                value={draft.text ?? ''}
                onChange={(e) => set('text', e.target.value)}
              />
            )}
          </Field>
        )}
      </section>
    </>
  );
}
