import { useState } from 'react';
import { Link } from 'wouter';
import { RelativeTime } from '../components/relative-time';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { useRegistry, type PropertyOption } from '../lib/catalog';
import './properties.css';
import { TYPE_LABELS } from '../conditions/property-types';
import { PropertyDialog, type PropertyTarget } from './property-dialog';

/** One table of properties (the contact's, or one event's), each with its type and an edit button. */
function PropertyTable({
  caption,
  rows,
  onEdit,
}: {
  caption: string;
  rows: readonly PropertyOption[];
  onEdit: (property: PropertyOption) => void;
}) {
  if (rows.length === 0) return <p className="muted">No properties seen yet.</p>;
  return (
    <table className="data-table properties-table">
      <caption className="visually-hidden">{caption}</caption>
      <colgroup>
        <col className="name" />
        <col className="type" />
        <col />
        <col className="seen" />
        <col className="actions" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Property</th>
          <th scope="col">Type</th>
          <th scope="col">Description</th>
          <th scope="col">First seen</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={p.name}>
            <th scope="row">
              <code>{p.name}</code>
            </th>
            <td>
              {TYPE_LABELS[p.type]}
              <div className="muted small">
                {p.declared ? 'Set by your team' : 'From the first value seen'}
              </div>
            </td>
            <td>{p.description || <span className="muted">—</span>}</td>
            <td>
              <RelativeTime at={p.firstSeenAt} />
            </td>
            <td className="row-actions">
              <button
                type="button"
                aria-label={`Edit ${p.name}${p.scope === 'event' ? ` of ${p.event}` : ''}`}
                onClick={() => onEdit(p)}
              >
                Edit
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * /properties — what contacts and events carry, as Relance has seen it: each property's type
 * (from the first value, or set by the team) and description, editable, and contact properties
 * declared before their first value.
 */
export function PropertiesPage() {
  const registry = useRegistry();
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<PropertyTarget | null>(null);
  const needle = query.trim().toLowerCase();
  const matches = (name: string) => name.toLowerCase().includes(needle);
  const contact = (registry.data?.contact ?? []).filter((p) => matches(p.name));
  // An event is shown when its name or one of its properties matches.
  const events = (registry.data?.events ?? [])
    .map((e) => ({
      ...e,
      properties: matches(e.name) ? e.properties : e.properties.filter((p) => matches(p.name)),
    }))
    .filter((e) => matches(e.name) || e.properties.length > 0);
  const edit = (p: PropertyOption) =>
    setEditing({
      scope: p.scope,
      event: p.event,
      name: p.name,
      type: p.type,
      description: p.description,
    });

  return (
    <>
      <PageHeader
        title="Properties & events"
        subtitle="What your contacts and events carry, as Relance has seen it. A property's type decides the comparisons the segment builder offers: set it when the first value was misleading, such as a postcode seen as a number."
        actions={
          <button
            type="button"
            className="primary"
            onClick={() =>
              setEditing({ scope: 'contact', event: '', name: '', type: 'string', description: '' })
            }
          >
            New contact property
          </button>
        }
      />
      <div className="filter-bar">
        <input
          type="search"
          aria-label="Find a property or event"
          placeholder="Find a property or event"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      {registry.isPending && <Loading what="properties" />}
      {registry.isError && (
        <ErrorNotice error={registry.error} onRetry={() => void registry.refetch()} />
      )}
      {registry.isSuccess && (
        <>
          <section aria-labelledby="contact-properties" className="properties-section">
            <h2 id="contact-properties">Contact properties</h2>
            {contact.length === 0 && needle ? (
              <p className="muted">No contact property contains “{query.trim()}”.</p>
            ) : (
              <PropertyTable caption="Contact properties" rows={contact} onEdit={edit} />
            )}
          </section>
          <section aria-labelledby="event-properties" className="properties-section">
            <h2 id="event-properties">Events</h2>
            {events.length === 0 && (
              <p className="muted">
                {needle
                  ? `No event or event property contains “${query.trim()}”.`
                  : 'No events yet: they appear here once your site or app sends them (/v1/track).'}
              </p>
            )}
            {events.map((e) => (
              <section key={e.name} aria-label={`Event ${e.name}`} className="event-properties">
                <h3>
                  <code>{e.name}</code>{' '}
                  <span className="muted small">
                    first seen <RelativeTime at={e.firstSeenAt} />
                  </span>{' '}
                  <Link
                    className="small"
                    href={`/activity?event=${encodeURIComponent(e.name)}`}
                    aria-label={`The latest ${e.name} events`}
                  >
                    Latest events
                  </Link>
                </h3>
                <PropertyTable
                  caption={`Properties of ${e.name}`}
                  rows={e.properties}
                  onEdit={edit}
                />
              </section>
            ))}
          </section>
        </>
      )}
      <PropertyDialog target={editing} onClose={() => setEditing(null)} />
    </>
  );
}
