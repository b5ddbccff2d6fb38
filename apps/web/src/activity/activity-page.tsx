import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'wouter';
import { RelativeTime } from '../components/relative-time';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { contactLabel } from '../contacts/contact-label';
import { eventDidWords, OWN_EVENTS } from '../contacts/timeline-words';
import { api, call } from '../lib/api';
import { useKnownEvents } from '../lib/catalog';
import './activity.css';

const PAGE = 50;

// "Identified" among "Opened an email" and "order.completed", whatever their case or `$`.
const byLabel = new Intl.Collator('en', { sensitivity: 'base', ignorePunctuation: true });

const loadEvents = (name: string, cursor: string | undefined) =>
  call(
    api.api.events.$get({
      query: { ...(name ? { name } : {}), ...(cursor ? { cursor } : {}), limit: String(PAGE) },
    }),
  );

// Consent changes Relance records that the journeys' sentences have no words for.
const CONSENT_EVENTS: Record<string, string> = {
  'email.subscribed': 'Subscribed',
  'email.preferences_changed': 'Changed their email preferences',
};

/**
 * Relance's own events (`$identify`, an email's `email.sent`, `email.opened`, an unsubscribe, a
 * form's signup) in words; null for the events sent to it, named as the tracking code writes them.
 */
function ownEventLabel(name: string): string | null {
  if (Object.hasOwn(OWN_EVENTS, name)) return OWN_EVENTS[name]!;
  if (Object.hasOwn(CONSENT_EVENTS, name)) return CONSENT_EVENTS[name]!;
  // Without the order event: that one is the site's, and keeps its name here.
  return eventDidWords(name, undefined);
}

// Ids Relance's own events carry for the machine (which journey step, which message): the line
// shows what a marketer reads (the subject, the topic, the link); the full list stays a click away.
const MACHINE_IDS = ['journeyId', 'nodeId', 'messageId', 'templateId', 'formId', 'runId'];

/** `amount: 30 · coupon: "WELCOME"`: the first properties by name, for a line of the feed. */
function summary(properties: Record<string, unknown>, own: boolean): string {
  // Alphabetical: stored as JSONB, they come back shortest key first.
  const entries = Object.entries(properties)
    .filter(([key]) => !own || !MACHINE_IDS.includes(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const shown = entries
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? '{…}' : JSON.stringify(v)}`);
  return entries.length > 4 ? `${shown.join(' · ')} · …` : shown.join(' · ');
}

/**
 * Where an event came from, as a marketer says it: the site or app that sent it (ingestion),
 * or Relance itself (a signup form, an email's open, click or unsubscribe, a merge). Stored as
 * a short code; `email` covers everything Relance's email side records, forms included.
 */
export function sourceLabel({
  source,
  name,
  properties,
}: {
  source: string;
  name: string;
  properties: Record<string, unknown>;
}): string {
  if (source === 'api') return 'Your site or app';
  if (source === 'email') {
    // A teammate's change on the contact's page or the Suppressions page.
    if (properties.source === 'suppression_list' || properties.source === 'teammate')
      return 'By hand in the app';
    // A signup's own event, and the topics it subscribed to (which carry the form's id).
    const byForm = name.startsWith('form.') || typeof properties.formId === 'string';
    return byForm ? 'Signup form' : 'Relance email';
  }
  if (source === 'merge') return 'Contact merge';
  return 'Relance';
}

/**
 * /activity — the workspace's latest events, newest first, of every name or of one: where a
 * marketer checks that the site's tracking arrives. Refreshes itself while open.
 */
export function ActivityPage() {
  const [params, setParams] = useSearchParams();
  const name = params.get('event') ?? '';
  const known = useKnownEvents();
  const feed = useInfiniteQuery({
    queryKey: ['activity', name],
    queryFn: ({ pageParam }) => loadEvents(name, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 10_000,
  });
  const rows = feed.data?.pages.flatMap((p) => p.events) ?? [];
  // The registry (cached for a while) and the names on screen: an event that arrived since the
  // registry was read can be picked too.
  const options = [
    ...new Set([...known.items, ...rows.map((e) => e.name), ...(name ? [name] : [])]),
  ]
    .map((value) => ({ value, label: ownEventLabel(value) ?? value }))
    // In the order a marketer reads them: by the words shown, not by the names behind them.
    .sort((a, b) => byLabel.compare(a.label, b.label) || byLabel.compare(a.value, b.value));

  return (
    <>
      <PageHeader
        title="Activity"
        subtitle="The latest events from your site, your app and Relance itself, newest first by when they happened. Check here that your tracking arrives."
      />
      <div className="filter-bar">
        <select
          aria-label="Event"
          value={name}
          onChange={(e) =>
            setParams(e.target.value ? { event: e.target.value } : {}, { replace: true })
          }
        >
          <option value="">Every event</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void feed.refetch()} disabled={feed.isFetching}>
          Refresh
        </button>
        {feed.isFetching && !feed.isPending && <span className="muted">Loading…</span>}
      </div>
      {feed.isPending && <Loading what="events" />}
      {feed.isError && <ErrorNotice error={feed.error} onRetry={() => void feed.refetch()} />}
      {feed.isSuccess && rows.length === 0 && (
        <div className="empty">
          <p>
            {name
              ? `No “${ownEventLabel(name) ?? name}” event yet.`
              : 'No events yet. Send them from your site or app to /v1/track with the write key shown in Settings.'}
          </p>
        </div>
      )}
      {rows.length > 0 && (
        <table className="data-table compact-table activity-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Contact</th>
              <th scope="col">Properties</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id}>
                <td>
                  <RelativeTime at={e.occurredAt} />
                </td>
                <th scope="row">{ownEventLabel(e.name) ?? <code>{e.name}</code>}</th>
                <td>
                  <Link href={`/contacts/${e.contact.id}`}>{contactLabel(e.contact)}</Link>
                </td>
                <td>
                  {Object.keys(e.properties).length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <details>
                      <summary>{summary(e.properties, e.source !== 'api') || 'Details'}</summary>
                      <pre className="props">{JSON.stringify(e.properties, null, 2)}</pre>
                    </details>
                  )}
                </td>
                <td className="muted">{sourceLabel(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {feed.hasNextPage && (
        <button
          type="button"
          className="more"
          onClick={() => void feed.fetchNextPage()}
          disabled={feed.isFetchingNextPage}
        >
          {feed.isFetchingNextPage ? 'Loading…' : 'Show older'}
        </button>
      )}
    </>
  );
}
