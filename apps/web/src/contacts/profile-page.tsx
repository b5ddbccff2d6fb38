import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { useKnownProperties } from '../lib/catalog';
import { useWorkspaceTime } from '../lib/workspace';
import { contactKeys, contactsApi, type ContactProfile } from './contact-api';
import { DeleteContactDialog } from './delete-contact';
import { EmailPreferencesCard } from './email-preferences';
import { JourneyRuns } from './journey-runs';
import { MergeDuplicate } from './merge-duplicate';
import { PropertiesEditor, StageAndZoneEditor, TagsEditor } from './profile-edits';
import { ProfileSegments } from './profile-segments';
import { displayPropertyValue, propertiesByName } from './property-value';
import { Timeline } from './timeline';
import { contactLabel, contactName } from './contact-label';
import './contacts.css';

/**
 * The contact's properties; dates by their registered type: a calendar day as that day, a date
 * with its time on the workspace's clock, naming it.
 */
export function Properties({ contact }: { contact: ContactProfile }) {
  const [editing, setEditing] = useState(false);
  const properties = propertiesByName(contact.properties);
  const registry = useKnownProperties();
  const zones = { workspace: useWorkspaceTime().zone, contact: contact.effectiveTimezone };
  const typeOf = (name: string) => registry.items.find((p) => p.name === name)?.type;
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
              <dd data-property={k}>{displayPropertyValue(v, typeOf(k), zones)}</dd>
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
  const [deleting, setDeleting] = useState(false);
  const time = useWorkspaceTime();
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
          <>
            <Link href="/contacts" className="button">
              Back to contacts
            </Link>
            <button type="button" className="danger" onClick={() => setDeleting(true)}>
              Delete
            </button>
          </>
        }
      />
      <DeleteContactDialog contact={c} open={deleting} onClose={() => setDeleting(false)} />
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
              <dd data-added title={time.zone}>
                {time.dateTime(c.createdAt)}
              </dd>
            </dl>
            {editingProfile && (
              <StageAndZoneEditor contact={c} onDone={() => setEditingProfile(false)} />
            )}
          </section>
          <Properties contact={c} />
          <ProfileSegments contact={c} />
          <section className="card">
            <h2>Journeys</h2>
            <JourneyRuns contactId={c.id} who={contactLabel(c)} />
          </section>
          <EmailPreferencesCard contactId={c.id} />
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
