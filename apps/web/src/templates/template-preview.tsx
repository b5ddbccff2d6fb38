import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ContactPicker } from '../contacts/contact-picker';
import { contactsApi } from '../contacts/contact-api';
import { OWN_EVENTS } from '../contacts/timeline-words';
import { problemsAt } from '../components/error-text';
import { ErrorNotice, Loading } from '../components/status';
import { ProblemList } from '../forms/field';
import { heldWords, reasonWords } from '../components/email-reasons';
import { useWorkspaceTime } from '../lib/workspace';
import {
  templateKeys,
  templatesApi,
  type PreviewEvent,
  type TemplatePreview as TemplatePreviewData,
} from './template-api';

const WIDTHS = { desktop: 640, mobile: 375 } as const;

function mailbox(box: { name: string; address: string }): string {
  return box.name ? `${box.name} <${box.address}>` : box.address;
}

function TestSend({
  templateId,
  contactId,
  eventId,
  dirty,
}: {
  templateId: string;
  contactId: string | null;
  /** The event the preview renders after (`{{ event.… }}`): the test is rendered after it too. */
  eventId: string | null;
  /** The editor holds changes not saved: the test is the saved version, without them. */
  dirty: boolean;
}) {
  const [to, setTo] = useState('');
  const send = useMutation({
    mutationFn: () =>
      templatesApi.testSend(templateId, to, contactId ?? undefined, eventId ?? undefined),
  });
  // What was sent, said with the answer: the editor may have changed since the click.
  const [sentWith, setSentWith] = useState({ dirty: false });
  const toProblems = problemsAt(send.error, 'to');
  function test() {
    setSentWith({ dirty });
    send.mutate();
  }
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
            if (to.trim() !== '') test();
          }}
        />
        <button type="button" disabled={send.isPending || to.trim() === ''} onClick={test}>
          {send.isPending ? 'Sending…' : 'Send test'}
        </button>
      </div>
      <ProblemList problems={toProblems} id="test-send-to-problems" />
      {dirty && (
        <p className="field-hint">
          The test is the last saved version: save first to send your changes.
        </p>
      )}
      {send.isSuccess && (
        <p className="notice ok" role="status">
          {sentWith.dirty
            ? `Sent the last saved version to ${send.data.to}, without your unsaved changes.`
            : `Sent to ${send.data.to}.`}
        </p>
      )}
      {send.isError && (
        <ErrorNotice error={send.error} title="The test was not sent" shownBeside={['to']} />
      )}
    </div>
  );
}

/** No event chosen: `event.*` is empty, as in an email sent without one. */
const NO_EVENT = '';

/** An event's name as the marketer reads it: Relance's own (`$identify`) in words. */
function eventWords(name: string): string {
  return Object.hasOwn(OWN_EVENTS, name) ? OWN_EVENTS[name]! : name;
}

/** Every event name: the list is not narrowed to one. */
const ANY_NAME = '';

/**
 * The event a journey most likely sent the email after: the newest of the contact's own events (an
 * order, a signup), not an identify call, which a site makes on every visit and which holds no
 * order or product; the newest event when there is no other.
 */
function likeliestTrigger(events: readonly PreviewEvent[]): string {
  return (
    (events.find((event) => !Object.hasOwn(OWN_EVENTS, event.name)) ?? events[0])?.id ?? NO_EVENT
  );
}

/** "Order placed · 3 Apr 2026, 10:00 · orderId ORD-1042": the value a search found, too. */
function eventLabel(event: PreviewEvent, dateTime: (at: string) => string): string {
  const found = event.match ? ` · ${event.match.property} ${event.match.value}` : '';
  return `${eventWords(event.name)} · ${dateTime(event.at)}${found}`;
}

/** What a search found, in words: nothing yet, or only as far back as it read. */
function searchHint(
  search: string,
  found: number,
  stoppedAt: string | null,
  dateTime: (at: string) => string,
): string {
  const quoted = `“${search}”`;
  if (stoppedAt) {
    const back = `Searched back to ${dateTime(stoppedAt)}`;
    return found === 0
      ? `${back}: no event holds ${quoted} so far. “Search older events” looks further back.`
      : `${back} for ${quoted}, newest first. “Search older events” looks further back.`;
  }
  return found === 0
    ? `None of this contact’s events holds ${quoted}.`
    : `The contact’s events holding ${quoted}, newest first.`;
}

/**
 * The event `{{ event.… }}` is read from, for an email that uses one: a journey sends it after
 * an event (an order, a signup), so the preview takes one of the contact's own. The list holds
 * the contact's events that are not about an email, newest first, a page at a time; it can be
 * narrowed to one name, so an old order is found behind many newer page views, and searched
 * for what the events hold (an order number, a product), so "the order ORD-1042" is found.
 */
function EventChoice({
  events,
  names,
  name,
  onName,
  search,
  onSearch,
  searching,
  value,
  onChange,
  more,
}: {
  events: readonly PreviewEvent[];
  names: readonly { name: string; count: number }[];
  name: string;
  onName: (name: string) => void;
  /** What the list was searched for, and where the search stopped reading (null: it did not). */
  search: { words: string; stoppedAt: string | null } | null;
  onSearch: (search: string) => void;
  /** A search is under way: the list is the one before it. */
  searching: boolean;
  value: string;
  onChange: (eventId: string) => void;
  /** Loads the next, older, page; absent when every event is listed. */
  more: { load: () => void; loading: boolean } | null;
}) {
  const time = useWorkspaceTime();
  const [draft, setDraft] = useState(search?.words ?? '');
  const find = () => onSearch(draft.trim());
  return (
    <div className="field">
      {names.length > 1 && (
        <>
          <label htmlFor="preview-event-name">Events to choose from</label>
          <select id="preview-event-name" value={name} onChange={(e) => onName(e.target.value)}>
            <option value={ANY_NAME}>All events, newest first</option>
            {names.map((n) => (
              <option key={n.name} value={n.name}>
                {eventWords(n.name)} ({n.count.toLocaleString('en')})
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor="preview-event-search">Find an event by what it holds</label>
      {/* Not a <form>: the preview sits inside the template's own form, and forms do not nest. */}
      <div className="inline-fields">
        <input
          id="preview-event-search"
          type="search"
          value={draft}
          placeholder="An order number, a product…"
          aria-describedby="preview-event-search-hint"
          onChange={(e) => {
            setDraft(e.target.value);
            if (e.target.value === '' && search) onSearch('');
          }}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            find();
          }}
        />
        <button type="button" disabled={searching || draft.trim() === ''} onClick={find}>
          {searching ? 'Searching…' : 'Find'}
        </button>
        {search && (
          <button
            type="button"
            onClick={() => {
              setDraft('');
              onSearch('');
            }}
          >
            Show all events
          </button>
        )}
      </div>
      <p className="field-hint" id="preview-event-search-hint" role="status">
        {search
          ? searchHint(search.words, events.length, search.stoppedAt, time.dateTime)
          : 'Finds the events with a value holding every word, e.g. ORD-1042 or blue sneakers.'}
      </p>
      <label htmlFor="preview-event">After the event</label>
      <div className="inline-fields">
        <select id="preview-event" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value={NO_EVENT}>No event</option>
          {events.map((event) => (
            <option key={event.id} value={event.id}>
              {eventLabel(event, time.dateTime)}
            </option>
          ))}
        </select>
        {more && (
          <button type="button" disabled={more.loading} onClick={more.load}>
            {more.loading ? 'Loading…' : search ? 'Search older events' : 'Show older events'}
          </button>
        )}
      </div>
      <p className="field-hint">
        {events.length === 0
          ? search
            ? 'Without an event, what the email reads from it ({{ event.… }}) is empty.'
            : 'This contact has no events yet: what the email reads from its event ({{ event.… }}) is empty here.'
          : value === NO_EVENT
            ? 'Without an event, what the email reads from it ({{ event.… }}) is empty.'
            : 'What the email reads from its event ({{ event.… }}) comes from this one, as when a journey sends it after it.'}
      </p>
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
  usesEvent,
}: {
  templateId: string | null;
  version: number;
  dirty: boolean;
  /** The saved template reads the event that triggered it (`{{ event.orderId }}`). */
  usesEvent: boolean;
}) {
  const [width, setWidth] = useState<keyof typeof WIDTHS>('desktop');
  const [chosen, setChosen] = useState<{ id: string; label: string } | null>(null);
  const first = useQuery({
    queryKey: ['contacts', 'first'],
    queryFn: () => contactsApi.list('', undefined, 1, {}, undefined, { total: false }),
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
  // Narrowed to one event name per contact (an order behind many page views), or not at all.
  const [narrowed, setNarrowed] = useState<{ contactId: string; name: string } | null>(null);
  const eventName = narrowed && narrowed.contactId === contact?.id ? narrowed.name : ANY_NAME;
  // Searched for per contact (an order number, a product), or not at all.
  const [searched, setSearched] = useState<{ contactId: string; words: string } | null>(null);
  const search = searched && searched.contactId === contact?.id ? searched.words : '';
  const events = useInfiniteQuery({
    queryKey: templateKeys.previewEvents(contact?.id ?? '', eventName || null, search || null),
    queryFn: ({ pageParam }) =>
      templatesApi.previewEvents(contact!.id, eventName || null, search || null, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: usesEvent && contact !== null,
    // The picker (and the search box in it) stays while a search loads.
    placeholderData: keepPreviousData,
  });
  const eventList = events.isPlaceholderData
    ? undefined
    : events.data?.pages.flatMap((page) => page.events);
  // Chosen per contact; until the marketer picks, the contact's likeliest trigger.
  const [pickedEvent, setPickedEvent] = useState<{ contactId: string; eventId: string } | null>(
    null,
  );
  const eventId = !usesEvent
    ? NO_EVENT
    : pickedEvent && pickedEvent.contactId === contact?.id
      ? pickedEvent.eventId
      : eventList
        ? likeliestTrigger(eventList)
        : events.isError
          ? NO_EVENT
          : null;
  const preview = useQuery({
    queryKey: templateKeys.preview(templateId ?? '', contact?.id ?? '', eventId, version),
    queryFn: () => templatesApi.preview(templateId!, contact!.id, eventId || null),
    enabled: templateId !== null && contact !== null && eventId !== null,
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
      {usesEvent && contact && events.isError && (
        <ErrorNotice error={events.error} onRetry={() => void events.refetch()} />
      )}
      {usesEvent && contact && events.isSuccess && (
        <EventChoice
          key={contact.id}
          events={events.data.pages.flatMap((page) => page.events)}
          names={events.data.pages[0]?.names ?? []}
          name={eventName}
          onName={(name) => {
            setNarrowed({ contactId: contact.id, name });
            // The newest event of that name is taken until the marketer picks one.
            setPickedEvent(null);
          }}
          search={
            search
              ? {
                  words: search,
                  stoppedAt: events.data.pages.at(-1)?.search?.stoppedAt ?? null,
                }
              : null
          }
          onSearch={(words) => {
            setSearched({ contactId: contact.id, words });
            // The newest event found is taken until the marketer picks one.
            setPickedEvent(null);
          }}
          searching={events.isPlaceholderData}
          value={eventId ?? NO_EVENT}
          onChange={(chosen) => setPickedEvent({ contactId: contact.id, eventId: chosen })}
          more={
            events.hasNextPage
              ? {
                  load: () => void events.fetchNextPage(),
                  loading: events.isFetchingNextPage,
                }
              : null
          }
        />
      )}
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
            {preview.data.replyTo && (
              <>
                <dt>Reply to</dt>
                <dd>{mailbox(preview.data.replyTo)}</dd>
              </>
            )}
            <dt>To</dt>
            <dd>{mailbox(preview.data.to)}</dd>
            <dt>Subject</dt>
            <dd data-testid="preview-subject">{preview.data.subject}</dd>
            {preview.data.preheader && (
              <>
                <dt title="The line inboxes show after the subject">Preheader</dt>
                <dd data-testid="preview-preheader">{preview.data.preheader}</dd>
              </>
            )}
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
      <TestSend
        templateId={templateId}
        contactId={contact?.id ?? null}
        eventId={usesEvent && eventId ? eventId : null}
        dirty={dirty}
      />
    </section>
  );
}
