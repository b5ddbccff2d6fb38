import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { RelativeTime } from '../components/relative-time';
import { reasonWords } from '../components/email-reasons';
import { ErrorNotice, Loading } from '../components/status';
import { formKeys, formsApi, type FormSubmissions, type SignupForm } from './form-api';
import { signupSummary } from './signup-numbers';

function CopySnippet({ snippet }: { snippet: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied('yes');
    } catch {
      // Clipboard access needs a secure context or a permission: say so rather than pretend.
      setCopied('failed');
    }
  }
  return (
    <>
      <div className="snippet-head">
        <label htmlFor="form-snippet">Embed on your site</label>
        <button type="button" onClick={() => void copy()}>
          Copy HTML
        </button>
        <span className="muted small" role="status">
          {copied === 'yes' && 'Copied.'}
          {copied === 'failed' && 'Could not copy: select the text and copy it by hand.'}
        </span>
      </div>
      <textarea
        id="form-snippet"
        className="code snippet"
        readOnly
        rows={8}
        value={snippet}
        onFocus={(e) => e.currentTarget.select()}
      />
      <p className="field-hint">
        Paste it into any page. Posting from another site also needs that site in “Allowed sites”.
      </p>
    </>
  );
}

type Confirmation = FormSubmissions['submissions'][number]['confirmation'];

/**
 * Where a double opt-in signup stands, in words: confirmed (by this signup's email or another's),
 * else where its confirmation email is.
 */
function ConfirmationState({
  confirmation,
  confirmedAt,
}: {
  confirmation: Confirmation;
  confirmedAt: string | null;
}) {
  if (confirmedAt) {
    return (
      <span
        className="badge status-active"
        title={`Confirmed their address on ${new Date(confirmedAt).toLocaleString()}`}
      >
        Confirmed
      </span>
    );
  }
  if (!confirmation) return null;
  switch (confirmation.status) {
    case 'sent':
      return (
        <span
          className="badge status-paused"
          title="The confirmation email was sent: they have not clicked its link yet, so they get no marketing email and are not on the list."
        >
          Not confirmed yet
        </span>
      );
    case 'pending':
    case 'sending':
      return (
        <span className="badge status-paused" title={confirmation.lastError ?? undefined}>
          Confirmation retrying
        </span>
      );
    case 'failed':
    case 'skipped':
      return (
        <span className="badge reason-failed">
          Confirmation not sent{confirmation.reason ? `: ${reasonWords(confirmation.reason)}` : ''}
        </span>
      );
    default:
      return confirmation.status satisfies never;
  }
}

const BLOCK_WORDS: Record<string, string> = {
  manual: 'blocked by hand',
  hard_bounce: 'its address bounced',
  complaint: 'marked an email as spam',
};

/** A signup whose address is suppressed gets no email from it: said beside the signup. */
function Blocked({ reasons, email }: { reasons: readonly string[]; email: string | null }) {
  if (reasons.length === 0) return null;
  const why = reasons.map((r) => BLOCK_WORDS[r] ?? r).join(', ');
  return (
    <span
      className="badge reason-failed"
      title={`${email ?? 'This address'} is on the suppression list: Relance sends it no marketing email.`}
    >
      Gets no email: {why}
    </span>
  );
}

function RecentSubmissions({ form }: { form: SignupForm }) {
  const recent = useQuery({
    queryKey: formKeys.submissions(form.id),
    queryFn: () => formsApi.submissions(form.id),
    refetchInterval: 15_000,
  });
  if (recent.isPending) return <Loading what="submissions" />;
  if (recent.isError) return <ErrorNotice error={recent.error} />;
  const { submissions } = recent.data;
  if (submissions.length === 0) return <p className="muted">No signups yet.</p>;
  return (
    <>
      <p className="muted" data-testid="signup-summary">
        {signupSummary(recent.data, form.definition.doubleOptIn)}
      </p>
      <ul className="plain-list submissions">
        {submissions.map((s) => (
          <li key={s.eventId}>
            <span>
              <Link href={`/contacts/${s.contactId}`}>{s.email ?? 'A contact'}</Link>{' '}
              <ConfirmationState confirmation={s.confirmation} confirmedAt={s.confirmedAt} />
              <Blocked reasons={s.blockedBy} email={s.email} />
            </span>
            <RelativeTime className="muted" at={s.submittedAt} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** Where a saved form lives: its hosted page, its embeddable HTML, who signed up lately. */
export function SharePanel({ form }: { form: SignupForm }) {
  return (
    <>
      <section className="card">
        <h2>Share</h2>
        <p className="hosted-link">
          <a href={form.hostedUrl} target="_blank" rel="noreferrer">
            Open the hosted page ↗
          </a>
          <br />
          <code className="small">{form.hostedUrl}</code>
        </p>
        <CopySnippet snippet={form.snippet} />
      </section>
      <section className="card">
        <h2>Recent signups</h2>
        <RecentSubmissions form={form} />
      </section>
    </>
  );
}
