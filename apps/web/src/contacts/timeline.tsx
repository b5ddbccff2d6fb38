import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { formKeys, formsApi } from '../signup-forms/form-api';
import { templateKeys, templatesApi } from '../templates/template-api';
import { Link } from 'wouter';
import { ErrorNotice, Loading } from '../components/status';
import { contactKeys, contactsApi } from './contact-api';
import { messageFateWords } from '../components/email-reasons';
import { useWorkspace, useWorkspaceTime } from '../lib/workspace';
import { displayValue } from './property-value';
import {
  consentWords,
  emailEventWords,
  entryKeyWords,
  eventDidWords,
  formEventWords,
  journeyRunWords,
  journeyStepWords,
  MERGE_EVENT,
  mergeWords,
  OWN_EVENTS,
  segmentChangeWords,
  shownProperties,
  stepBegan,
  type OwnEventNames,
} from './timeline-words';

type Item = Awaited<ReturnType<typeof contactsApi.timeline>>['items'][number];

/** " after the email “Spring is here”": the email an order is counted for. */
function AttributedTo({ email }: { email: { subject: string | null; templateId: string | null } }) {
  const subject = `“${email.subject ?? 'an email'}”`;
  return (
    <span className="muted" data-attributed-to>
      {' after the email '}
      {email.templateId ? (
        <Link href={`/templates/${email.templateId}/report`}>{subject}</Link>
      ) : (
        subject
      )}
    </span>
  );
}

/** "Placed an order" for the workspace's order event; "Did signup.completed" for one without words. */
function EventName({ name, orderEvent }: { name: string; orderEvent: string | undefined }) {
  const did = eventDidWords(name, orderEvent);
  if (did) return <>{did}</>;
  return (
    <>
      Did <strong>{name}</strong>
    </>
  );
}

function describe(
  item: Item,
  dateTime: (iso: string) => string,
  orderEvent: string | undefined,
  names: OwnEventNames,
) {
  switch (item.kind) {
    case 'event': {
      // Consent changes read as sentences that already say everything their properties hold.
      const consent = consentWords(item.name, item.properties, names);
      if (consent) return <>{consent}</>;
      const email = emailEventWords(item.name, item.properties, item.emailSubject);
      if (email) return <>{email}</>;
      const properties = shownProperties(item.name, item.properties);
      const merge =
        item.name === MERGE_EVENT
          ? mergeWords(item.properties, 'mergedContact' in item ? item.mergedContact : undefined)
          : null;
      return (
        <>
          {merge ?? formEventWords(item.name, item.properties, names) ?? OWN_EVENTS[item.name] ?? (
            <EventName name={item.name} orderEvent={orderEvent} />
          )}
          {item.attributedTo && <AttributedTo email={item.attributedTo} />}
          {properties.length > 0 && (
            <div className="props muted small" data-event-properties>
              {properties.map(([key, value]) => `${key}: ${displayValue(value)}`).join(' · ')}
            </div>
          )}
        </>
      );
    }
    case 'segment': {
      const { before, after: cause } = segmentChangeWords(item.change, item.cause, item.fromMerged);
      return (
        <>
          {before} <Link href={`/segments/${item.segmentId}`}>{item.segmentName}</Link>{' '}
          <span className="muted">
            {cause.journeyId ? (
              <Link href={`/journeys/${cause.journeyId}/live`}>{cause.text}</Link>
            ) : (
              cause.text
            )}
          </span>
        </>
      );
    }
    case 'journey_step': {
      const line = journeyStepWords(item);
      // Two runs of one journey (two orders) are told apart by what each is about.
      const about = entryKeyWords(item);
      const began = stepBegan(item);
      return (
        <>
          {line.before} <Link href={`/journeys/${item.journeyId}/live`}>{item.journeyName}</Link>
          {about && <span data-entry-key> for {about}</span>}
          {line.after}
          {began && <span className="muted"> — from {dateTime(began)}</span>}
        </>
      );
    }
    case 'journey_run': {
      const line = journeyRunWords(item, orderEvent);
      const about = entryKeyWords(item);
      return (
        <>
          {line.before} <Link href={`/journeys/${item.journeyId}/live`}>{item.journeyName}</Link>
          {about && <span data-entry-key> for {about}</span>}
          {line.after}
          {line.segment && <Link href={`/segments/${line.segment.id}`}>{line.segment.name}</Link>}
        </>
      );
    }
    case 'message': {
      const fate = messageFateWords(item, dateTime);
      return (
        <>
          {item.subject || !item.templateName ? (
            <>
              Email <strong>“{item.subject ?? 'without a subject'}”</strong>
            </>
          ) : (
            // Skipped before it was written: it has no subject, but its template has a name.
            <>
              Email from the template <strong>“{item.templateName}”</strong>
            </>
          )}
          : {fate.label.toLowerCase()}
          {fate.detail && <span className="muted"> — {fate.detail}</span>}
        </>
      );
    }
    default: {
      const never: never = item;
      return never;
    }
  }
}

const ICONS: Record<Item['kind'], string> = {
  event: '●',
  segment: '◎',
  journey_step: '⤳',
  journey_run: '⤳',
  message: '✉',
};

/** Everything that happened to a contact, newest first: events, segments, journey steps, emails. */
/** Topics and forms by name, for the consent and signup lines (the lists are small and cached). */
function useOwnEventNames(): OwnEventNames {
  const topics = useQuery({
    queryKey: templateKeys.topics,
    queryFn: templatesApi.topics,
    staleTime: 60_000,
  });
  const forms = useQuery({ queryKey: formKeys.all, queryFn: formsApi.list, staleTime: 60_000 });
  return useMemo(() => {
    const topicNames = new Map((topics.data?.topics ?? []).map((t) => [t.key, t.name]));
    const formNames = new Map((forms.data?.forms ?? []).map((f) => [f.id, f.name]));
    return { topicName: (key) => topicNames.get(key), formName: (id) => formNames.get(id) };
  }, [topics.data, forms.data]);
}

export function Timeline({ contactId }: { contactId: string }) {
  const timeline = useInfiniteQuery({
    queryKey: contactKeys.timeline(contactId),
    queryFn: ({ pageParam }) => contactsApi.timeline(contactId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 10_000,
  });
  const time = useWorkspaceTime();
  // The order event reads "Placed an order", as the journeys' and segments' sentences say it.
  const orderEvent = useWorkspace().data?.conversionEvent;
  const names = useOwnEventNames();
  if (timeline.isPending) return <Loading what="the timeline" />;
  if (timeline.isError)
    return <ErrorNotice error={timeline.error} onRetry={() => void timeline.refetch()} />;
  const items = timeline.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <p className="muted">Nothing has happened to this contact yet.</p>;
  return (
    <>
      <ol className="timeline">
        {items.map((item) => (
          <li key={`${item.kind}:${item.id}`} className={`kind-${item.kind}`}>
            <span className="timeline-icon" aria-hidden="true">
              {ICONS[item.kind]}
            </span>
            <div>
              <div>{describe(item, time.dateTime, orderEvent, names)}</div>
              <time dateTime={item.at} className="muted small" title={time.zone}>
                {time.dateTime(item.at)}
              </time>
            </div>
          </li>
        ))}
      </ol>
      {timeline.hasNextPage && (
        <button
          type="button"
          onClick={() => void timeline.fetchNextPage()}
          disabled={timeline.isFetchingNextPage}
        >
          {timeline.isFetchingNextPage ? 'Loading…' : 'Show older'}
        </button>
      )}
    </>
  );
}
