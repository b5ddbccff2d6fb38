import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ContactPicker } from '../contacts/contact-picker';
import { contactsApi } from '../contacts/contact-api';
import { problemsAt } from '../components/error-text';
import { ErrorNotice, Loading } from '../components/status';
import { ProblemList } from '../forms/field';
import { heldWords, reasonWords } from '../components/email-reasons';
import { useWorkspaceTime } from '../lib/workspace';
import {
  templateKeys,
  templatesApi,
  type TemplatePreview as TemplatePreviewData,
} from './template-api';

const WIDTHS = { desktop: 640, mobile: 375 } as const;

function mailbox(box: { name: string; address: string }): string {
  return box.name ? `${box.name} <${box.address}>` : box.address;
}

function TestSend({ templateId, contactId }: { templateId: string; contactId: string | null }) {
  const [to, setTo] = useState('');
  const send = useMutation({
    mutationFn: () => templatesApi.testSend(templateId, to, contactId ?? undefined),
  });
  const toProblems = problemsAt(send.error, 'to');
  // Not a <form>: the preview sits inside the template's own form, and forms do not nest.
  return (
    <div className="test-send">
      <label htmlFor="test-send-to">Send a test to</label>
      <div className="inline-fields">
        <input
          id="test-send-to"
          type="email"
          value={to}
          placeholder="you@company.com"
          aria-invalid={toProblems.length > 0 || undefined}
          aria-describedby={toProblems.length > 0 ? 'test-send-to-problems' : undefined}
          onChange={(e) => setTo(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            if (to.trim() !== '') send.mutate();
          }}
        />
        <button
          type="button"
          disabled={send.isPending || to.trim() === ''}
          onClick={() => send.mutate()}
        >
          {send.isPending ? 'Sending…' : 'Send test'}
        </button>
      </div>
      <ProblemList problems={toProblems} id="test-send-to-problems" />
      {send.isSuccess && (
        <p className="notice ok" role="status">
          Sent to {send.data.to}.
        </p>
      )}
      {send.isError && (
        <ErrorNotice error={send.error} title="The test was not sent" shownBeside={['to']} />
      )}
    </div>
  );
}

/** What would happen to the email if it were sent to the contact now, when it would not go out. */
function SendDecision({ decision }: { decision: TemplatePreviewData['decision'] }) {
  const time = useWorkspaceTime();
  switch (decision.kind) {
    case 'send':
      return null;
    case 'skip':
      return (
        <p className="notice warn" role="status">
          This contact would not get it: {reasonWords(decision.reason)}.
        </p>
      );
    case 'defer':
      return (
        <p className="notice warn" role="status">
          Sent now, it would be {heldWords(decision.reason, decision.until, time.dateTime)} (
          {time.zone}).
        </p>
      );
    default:
      return decision satisfies never;
  }
}

/** The saved template as a chosen contact would receive it, at desktop or mobile width. */
export function TemplatePreview({
  templateId,
  version,
  dirty,
}: {
  templateId: string | null;
  version: number;
  dirty: boolean;
}) {
  const [width, setWidth] = useState<keyof typeof WIDTHS>('desktop');
  const [chosen, setChosen] = useState<{ id: string; label: string } | null>(null);
  const first = useQuery({
    queryKey: ['contacts', 'first'],
    queryFn: () => contactsApi.list('', undefined, 1),
    enabled: chosen === null,
  });
  const firstContact = first.data?.contacts[0];
  const contact =
    chosen ??
    (firstContact
      ? {
          id: firstContact.id,
          label: firstContact.email ?? firstContact.externalId ?? firstContact.id,
        }
      : null);
  const preview = useQuery({
    queryKey: templateKeys.preview(templateId ?? '', contact?.id ?? '', version),
    queryFn: () => templatesApi.preview(templateId!, contact!.id),
    enabled: templateId !== null && contact !== null,
  });

  if (templateId === null) {
    return (
      <section className="card preview-pane">
        <h2>Preview</h2>
        <p className="muted">Save the template to preview it as one of your contacts.</p>
      </section>
    );
  }
  return (
    <section className="card preview-pane" aria-labelledby="preview-title">
      <div className="preview-head">
        <h2 id="preview-title">Preview</h2>
        <div role="radiogroup" aria-label="Screen width" className="segmented">
          {(Object.keys(WIDTHS) as (keyof typeof WIDTHS)[]).map((w) => (
            <label key={w} className={width === w ? 'active' : ''}>
              <input
                type="radio"
                name="preview-width"
                checked={width === w}
                onChange={() => setWidth(w)}
              />
              {w === 'desktop' ? 'Desktop' : 'Mobile'}
            </label>
          ))}
        </div>
      </div>
      <div className="field">
        <label htmlFor="preview-contact">As contact</label>
        <ContactPicker
          id="preview-contact"
          label="Preview as contact"
          value={contact}
          onChange={setChosen}
        />
        {contact && (
          <p className="field-hint">Showing the email as {contact.label} would get it.</p>
        )}
        {first.isSuccess && !contact && (
          <p className="field-hint">There are no contacts yet: import some to preview.</p>
        )}
      </div>
      {dirty && (
        <p className="notice warn">
          The preview shows the last saved version: save to see your changes.
        </p>
      )}
      {preview.isPending && contact && <Loading what="the preview" />}
      {preview.isError && (
        <ErrorNotice error={preview.error} onRetry={() => void preview.refetch()} />
      )}
      {preview.isSuccess && (
        <>
          <dl className="email-envelope">
            <dt>From</dt>
            <dd>{mailbox(preview.data.from)}</dd>
            <dt>To</dt>
            <dd>{mailbox(preview.data.to)}</dd>
            <dt>Subject</dt>
            <dd data-testid="preview-subject">{preview.data.subject}</dd>
          </dl>
          <SendDecision decision={preview.data.decision} />
          {preview.data.warnings.map((warning) => (
            <p key={warning.message} className="notice warn" role="status">
              {warning.message}
            </p>
          ))}
          <div className="preview-frame" style={{ width: WIDTHS[width] }}>
            <iframe title="Email preview" sandbox="" srcDoc={preview.data.html} />
          </div>
        </>
      )}
      <TestSend templateId={templateId} contactId={contact?.id ?? null} />
    </section>
  );
}
