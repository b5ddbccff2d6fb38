import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { contactKeys, contactsApi, type ContactProfile } from './contact-api';
import { MergeDuplicate } from './merge-duplicate';
import { PropertiesEditor, StageAndZoneEditor, TagsEditor } from './profile-edits';
import { Timeline } from './timeline';
import { contactLabel, contactName } from './contact-label';
import './contacts.css';

function value(v: unknown): string {
  if (typeof v === 'string') return v;
  return v === undefined ? '' : JSON.stringify(v);
}

function Runs({ contactId }: { contactId: string }) {
  const runs = useQuery({
    queryKey: contactKeys.runs(contactId),
    queryFn: () => contactsApi.runs(contactId),
  });
  if (runs.isPending) return <Loading what="journeys" />;
  if (runs.isError) return <ErrorNotice error={runs.error} />;
  if (runs.data.runs.length === 0) return <p className="muted">Not in any journey.</p>;
  return (
    <ul className="plain-list">
      {runs.data.runs.map((run) => (
        <li key={run.id}>
          <Link href={`/journeys/${run.journeyId}/live`}>{run.journeyName}</Link>{' '}
          <span className="muted">
            v{run.version} · {run.status}
            {run.currentNode ? ` at ${run.currentNode}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Properties({ contact }: { contact: ContactProfile }) {
  const [editing, setEditing] = useState(false);
  const properties = Object.entries(contact.properties);
  return (
    <section className="card">
      <div className="card-head">
        <h2>Properties</h2>
        {!editing && (
          <button type="button" onClick={() => setEditing(true)}>
            Edit properties
          </button>
        )}
      </div>
      {editing ? (
        <PropertiesEditor contact={contact} onDone={() => setEditing(false)} />
      ) : properties.length === 0 ? (
        <p className="muted">No properties yet.</p>
      ) : (
        <dl className="facts">
          {properties.map(([k, v]) => (
            <div key={k} className="fact-row">
              <dt>{k}</dt>
              <dd data-property={k}>{value(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** /contacts/:id — who the contact is, where they are, and what happened to them. */
export function ContactProfilePage({ id }: { id: string }) {
  const contact = useQuery({ queryKey: contactKeys.one(id), queryFn: () => contactsApi.get(id) });
  const [editingProfile, setEditingProfile] = useState(false);
  if (contact.isPending) return <Loading what="the contact" />;
  if (contact.isError) {
    return (
      <>
        <ErrorNotice error={contact.error} onRetry={() => void contact.refetch()} />
        <Link href="/contacts">Back to contacts</Link>
      </>
    );
  }
  const c = contact.data;
  return (
    <>
      <PageHeader
        title={contactLabel(c)}
        subtitle={
          [contactName(c.properties), c.email && c.externalId && `External id ${c.externalId}`]
            .filter(Boolean)
            .join(' · ') || undefined
        }
        actions={
          <Link href="/contacts" className="button">
            Back to contacts
          </Link>
        }
      />
      <div className="profile-layout">
        <div>
          <section className="card">
            <div className="card-head">
              <h2>Profile</h2>
              {!editingProfile && (
                <button type="button" onClick={() => setEditingProfile(true)}>
                  Edit stage and time zone
                </button>
              )}
            </div>
            <dl className="facts">
              <dt>Score</dt>
              <dd className="score">{c.score}</dd>
              <dt>Tags</dt>
              <dd>
                <TagsEditor contact={c} />
              </dd>
              <dt>Lifecycle stage</dt>
              <dd>{c.lifecycleStage ?? <span className="muted">Not set</span>}</dd>
              <dt>Time zone</dt>
              <dd>
                {c.effectiveTimezone}
                {!c.timezone && <span className="muted"> (the workspace's)</span>}
              </dd>
              <dt>Added</dt>
              <dd>{new Date(c.createdAt).toLocaleString()}</dd>
            </dl>
            {editingProfile && (
              <StageAndZoneEditor contact={c} onDone={() => setEditingProfile(false)} />
            )}
          </section>
          <Properties contact={c} />
          <section className="card">
            <h2>Segments</h2>
            {c.segments.length === 0 ? (
              <p className="muted">In no segment.</p>
            ) : (
              <ul className="plain-list">
                {c.segments.map((s) => (
                  <li key={s.id}>
                    <Link href={`/segments/${s.id}`}>{s.name}</Link>{' '}
                    <span className="muted">
                      since {new Date(s.enteredAt).toLocaleDateString()}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card">
            <h2>Journeys</h2>
            <Runs contactId={c.id} />
          </section>
          {c.consents.length > 0 && (
            <section className="card">
              <h2>Email topics</h2>
              <ul className="plain-list">
                {c.consents.map((consent) => (
                  <li key={consent.topic}>
                    {consent.topic}: <strong>{consent.status}</strong>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <MergeDuplicate contact={c} />
        </div>
        <section className="card">
          <h2>Timeline</h2>
          <Timeline contactId={c.id} />
        </section>
      </div>
    </>
  );
}
