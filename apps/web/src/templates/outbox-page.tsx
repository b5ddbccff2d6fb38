import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { RelativeTime } from '../components/relative-time';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { messageFateWords } from '../components/email-reasons';
import { MACHINE_OPEN_WHY, MACHINE_OPEN_WORDS } from '../components/email-results';
import { useWorkspaceTime } from '../lib/workspace';
import { templateKeys, templatesApi } from './template-api';
import './templates.css';
import { viewableHtml } from './viewable-html';

/** What an outbox row needs to say who an email was for and what it was. */
interface Envelope {
  to: string | null;
  subject: string | null;
  contactId: string | null;
  templateId: string | null;
  /** The contact's email now; absent from a server that does not send it. */
  contactEmail?: string | null;
  /** The template's name and subject as written; absent from a server that does not send it. */
  template?: { name: string; subject: string | null } | null;
}

/**
 * Who an email was for and what it was, in words. An email skipped before it was written
 * (unsubscribed, suppressed, frequency cap) has no address or subject of its own: it falls back
 * on the contact's email and the template's subject as written, naming the template.
 */
export function envelopeWords(m: Envelope): {
  to: string;
  subject: string;
  template: string | null;
} {
  const to =
    m.to ?? m.contactEmail ?? (m.contactId ? 'a contact without an email' : 'a deleted contact');
  if (m.subject) return { to, subject: m.subject, template: null };
  if (m.template) {
    return {
      to,
      subject: m.template.subject || 'without a subject',
      template: `From the template “${m.template.name}”`,
    };
  }
  return {
    to,
    subject: m.templateId ? 'from a deleted template' : 'without a subject',
    template: null,
  };
}

function MessageDetail({ id }: { id: string }) {
  const time = useWorkspaceTime();
  const message = useQuery({
    queryKey: templateKeys.message(id),
    queryFn: () => templatesApi.message(id),
  });
  if (message.isPending) return <Loading what="the email" />;
  if (message.isError) return <ErrorNotice error={message.error} />;
  const m = message.data;
  const fate = messageFateWords(m, time.dateTime);
  const envelope = envelopeWords(m);
  return (
    <div className="message-detail">
      <dl className="email-envelope">
        <dt>To</dt>
        <dd>
          {m.contactId ? <Link href={`/contacts/${m.contactId}`}>{envelope.to}</Link> : envelope.to}
        </dd>
        <dt>Subject</dt>
        <dd>
          {envelope.subject}
          {envelope.template && <div className="muted small">{envelope.template}</div>}
        </dd>
        <dt>Status</dt>
        <dd>
          {fate.label}
          {fate.detail ? `: ${fate.detail}` : ''}
          {m.status !== 'sent' && m.status !== 'failed' && m.lastError
            ? ` (the last try: ${m.lastError})`
            : ''}
        </dd>
        {engagementWords(m.engagement) && (
          <>
            <dt>Reader</dt>
            <dd>
              <ReaderWords engagement={m.engagement} />
            </dd>
          </>
        )}
      </dl>
      {m.rendered ? (
        <div className="preview-frame" style={{ width: '100%' }}>
          <iframe
            title={`Email to ${envelope.to}`}
            sandbox=""
            srcDoc={viewableHtml(m.rendered.html)}
          />
        </div>
      ) : m.status === 'skipped' ? (
        <p className="muted">Not sent, so there is no copy to read.</p>
      ) : (
        <p className="muted">
          Delivered through SMTP: the copy lives in the recipient's mailbox, not here.
        </p>
      )}
    </div>
  );
}

type Engagement = {
  deliveredAt: string | null;
  /** Opened by a person: a machine's open does not set it. */
  openedAt: string | null;
  /** The first open by a machine (Apple Mail Privacy Protection, a scanner); absent before the API gave it. */
  machineOpenedAt?: string | null;
  clickedAt: string | null;
  unsubscribedAt: string | null;
  bouncedAt: string | null;
  complainedAt: string | null;
};

/** Whether only a machine opened an email: no person's open or click was seen. */
const onlyMachineOpened = (e: Engagement) =>
  Boolean(e.machineOpenedAt) && !e.openedAt && !e.clickedAt;

/**
 * What the recipient did with an email, in words: "Clicked · Unsubscribed", "Bounced"; an email
 * only Apple Mail's privacy protection or a scanner opened is "not seen opened", never "Opened".
 */
export function engagementWords(e: Engagement): string {
  const words = [
    e.bouncedAt && 'Bounced',
    e.complainedAt && 'Marked as spam',
    e.clickedAt ? 'Clicked' : e.openedAt ? 'Opened' : onlyMachineOpened(e) && MACHINE_OPEN_WORDS,
    e.unsubscribedAt && 'Unsubscribed',
  ].filter(Boolean);
  if (words.length > 0) return words.join(' · ');
  return e.deliveredAt ? 'Delivered' : '';
}

/** The reader's column: the words, with why a machine's open is not counted on hover. */
function ReaderWords({ engagement }: { engagement: Engagement }) {
  const machine = onlyMachineOpened(engagement);
  return (
    <span
      className={machine ? 'email-machine-open' : undefined}
      title={machine ? MACHINE_OPEN_WHY : undefined}
    >
      {engagementWords(engagement)}
    </span>
  );
}

/**
 * /templates/outbox — every email recorded for sending (of one template with `?template=`),
 * what its recipient did with it, and the dev outbox's copies.
 */
export function OutboxPage() {
  const [open, setOpen] = useState<string | null>(null);
  const [params, setParams] = useSearchParams();
  const templateId = params.get('template');
  const template = useQuery({
    queryKey: templateKeys.one(templateId ?? ''),
    queryFn: () => templatesApi.get(templateId!),
    enabled: templateId !== null,
  });
  const messages = useInfiniteQuery({
    queryKey: templateKeys.messages(templateId),
    queryFn: ({ pageParam }) => templatesApi.messages(templateId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 5_000,
  });
  const rows = messages.data?.pages.flatMap((p) => p.messages) ?? [];
  const time = useWorkspaceTime();
  return (
    <>
      <PageHeader
        title="Sent emails"
        subtitle="Every email journeys and tests sent, skipped or held — newest first. Without SMTP, copies land in this outbox."
        actions={
          <Link href="/templates" className="button">
            Templates
          </Link>
        }
      />
      {templateId && (
        <p className="filter-bar">
          <span>
            Only “{template.data?.name ?? '…'}”.{' '}
            <button
              type="button"
              className="link-button"
              onClick={() =>
                setParams(
                  (p) => {
                    p.delete('template');
                    return p;
                  },
                  { replace: true },
                )
              }
            >
              Show every email
            </button>
          </span>
        </p>
      )}
      {messages.isPending && <Loading what="emails" />}
      {messages.isError && (
        <ErrorNotice error={messages.error} onRetry={() => void messages.refetch()} />
      )}
      {messages.isSuccess && rows.length === 0 && (
        <div className="empty">
          <p>No email has been sent yet. Send a test from a template, or publish a journey.</p>
        </div>
      )}
      {rows.length > 0 && (
        <div className="outbox-layout">
          <table className="data-table compact-table">
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Reader</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => {
                const fate = messageFateWords(m, time.dateTime);
                const envelope = envelopeWords(m);
                return (
                  // The whole row opens the email, as "Choose an email to read it" invites; the
                  // address stays a button for the keyboard.
                  <tr
                    key={m.id}
                    className={open === m.id ? 'openable selected' : 'openable'}
                    onClick={() => setOpen(m.id)}
                  >
                    <th scope="row">
                      <button type="button" className="link-button" onClick={() => setOpen(m.id)}>
                        {envelope.to}
                      </button>
                    </th>
                    <td>
                      {envelope.subject}
                      {envelope.template && <div className="muted small">{envelope.template}</div>}
                    </td>
                    <td>
                      <span className={`badge status-${m.status}`}>{fate.label}</span>
                      {fate.detail && <div className="muted small">{fate.detail}</div>}
                    </td>
                    <td>
                      <ReaderWords engagement={m.engagement} />
                    </td>
                    <td>
                      <RelativeTime at={m.createdAt} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <aside className="card">
            {open ? (
              <MessageDetail id={open} />
            ) : (
              <p className="muted">Choose an email to read it.</p>
            )}
          </aside>
        </div>
      )}
      {messages.hasNextPage && (
        <button
          type="button"
          onClick={() => void messages.fetchNextPage()}
          disabled={messages.isFetchingNextPage}
        >
          Show older emails
        </button>
      )}
    </>
  );
}
