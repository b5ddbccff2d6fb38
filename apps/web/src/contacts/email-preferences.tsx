import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ErrorNotice, Loading } from '../components/status';
import { aria, Field } from '../forms/field';
import {
  contactKeys,
  contactsApi,
  type EmailPreferences,
  type PreferencesInput,
} from './contact-api';

const FREQUENCIES: Record<PreferencesInput['frequency'], string> = {
  every: 'Every email',
  monthly: 'A monthly digest',
  important: 'Important announcements only',
};

/** The profile's email preferences: what the contact receives, changed on their request. */
export function EmailPreferencesCard({ contactId }: { contactId: string }) {
  const [editing, setEditing] = useState(false);
  const preferences = useQuery({
    queryKey: contactKeys.preferences(contactId),
    queryFn: () => contactsApi.preferences(contactId),
  });
  return (
    <section className="card">
      <div className="card-head">
        <h2>Email preferences</h2>
        {!editing && preferences.isSuccess && (
          <button type="button" onClick={() => setEditing(true)}>
            Change preferences
          </button>
        )}
      </div>
      {preferences.isPending && <Loading what="email preferences" />}
      {preferences.isError && (
        <ErrorNotice error={preferences.error} onRetry={() => void preferences.refetch()} />
      )}
      {preferences.isSuccess &&
        (editing ? (
          <PreferencesEditor
            contactId={contactId}
            current={preferences.data}
            onDone={() => setEditing(false)}
          />
        ) : (
          <PreferencesView state={preferences.data} />
        ))}
    </section>
  );
}

/** Why nothing at all reaches the address, beyond the contact's own unsubscribe. */
const BLOCKED: Record<string, string> = {
  hard_bounce: 'it bounced: the mailbox does not exist',
  complaint: 'they marked an email as spam',
  manual: 'it was blocked by hand',
};

function PreferencesView({ state }: { state: EmailPreferences }) {
  const blocked = state.suppressedFor.flatMap((reason) => BLOCKED[reason] ?? []);
  return (
    <>
      {blocked.length > 0 && (
        <p className="notice error">
          No email goes to this address: {blocked.join('; ')}. See{' '}
          <Link href="/suppressions">Suppressions</Link>.
        </p>
      )}
      {state.unsubscribedFromAll && (
        <p className="notice">Unsubscribed from all marketing email.</p>
      )}
      {state.topics.length === 0 ? (
        <p className="muted">
          No email topics yet: <Link href="/topics">create one</Link> to let people choose what they
          receive.
        </p>
      ) : (
        <ul className="plain-list">
          {state.topics.map((topic) => (
            <li key={topic.key} data-topic={topic.key}>
              {topic.name}:{' '}
              <strong>
                {topic.subscribed
                  ? 'receives'
                  : topic.pending
                    ? 'waiting for their confirmation'
                    : 'does not receive'}
              </strong>
            </li>
          ))}
        </ul>
      )}
      <p className="muted">How often: {FREQUENCIES[state.frequency]}</p>
    </>
  );
}

/**
 * What the editor says when a teammate unticks "Unsubscribe from all" with no topic ticked:
 * saving that changes nothing (a topic ticked is what subscribes them again, as on their own
 * preference page), so it says how to subscribe them again instead of leaving them unsubscribed
 * in silence. Null otherwise.
 */
export function resubscribeHint(
  current: Pick<EmailPreferences, 'unsubscribedFromAll' | 'topics'>,
  unsubscribeAll: boolean,
  ticked: number,
): 'tick-topics' | 'no-topics' | null {
  if (!current.unsubscribedFromAll || unsubscribeAll || ticked > 0) return null;
  return current.topics.length > 0 ? 'tick-topics' : 'no-topics';
}

function PreferencesEditor({
  contactId,
  current,
  onDone,
}: {
  contactId: string;
  current: EmailPreferences;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [topics, setTopics] = useState(
    () => new Set(current.topics.filter((t) => t.subscribed).map((t) => t.key)),
  );
  const [frequency, setFrequency] = useState(current.frequency);
  const [unsubscribeAll, setUnsubscribeAll] = useState(current.unsubscribedFromAll);
  const hint = resubscribeHint(current, unsubscribeAll, topics.size);
  const save = useMutation({
    mutationFn: (input: PreferencesInput) => contactsApi.savePreferences(contactId, input),
    onSuccess: async (saved) => {
      queryClient.setQueryData(contactKeys.preferences(contactId), saved);
      await queryClient.invalidateQueries({ queryKey: contactKeys.one(contactId) });
      onDone();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ topics: [...topics], frequency, unsubscribeAll });
  }
  const toggle = (key: string, on: boolean) =>
    setTopics((before) => {
      const next = new Set(before);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  return (
    <form onSubmit={submit} aria-label="Change email preferences">
      <p className="muted">
        Change these when the person asked you to (by phone or mail): the change is recorded as made
        by a teammate, as their own choices on the preference page are.
      </p>
      {current.topics.length > 0 && (
        <fieldset className="subtle" disabled={unsubscribeAll}>
          <legend>Topics they receive</legend>
          {current.topics.map((topic) => (
            <label key={topic.key} className="inline-check">
              <input
                type="checkbox"
                checked={topics.has(topic.key)}
                onChange={(e) => toggle(topic.key, e.target.checked)}
              />
              {topic.name}
            </label>
          ))}
        </fieldset>
      )}
      <Field label="How often">
        {(ids) => (
          <select
            {...aria(ids)}
            value={frequency}
            disabled={unsubscribeAll}
            onChange={(e) => setFrequency(e.target.value as PreferencesInput['frequency'])}
          >
            {Object.entries(FREQUENCIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <label className="inline-check">
        <input
          type="checkbox"
          checked={unsubscribeAll}
          onChange={(e) => setUnsubscribeAll(e.target.checked)}
        />
        Unsubscribe from all marketing email
      </label>
      {hint === 'tick-topics' && (
        <p className="notice" role="status">
          Tick the topics they asked to receive again: saved with none ticked, they stay
          unsubscribed from all.
        </p>
      )}
      {hint === 'no-topics' && (
        <p className="notice" role="status">
          They stay unsubscribed from all: to subscribe them again, remove their unsubscribe on{' '}
          <Link href="/suppressions">Suppressions</Link>.
        </p>
      )}
      {save.isError && <ErrorNotice error={save.error} />}
      <div className="editor-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save preferences'}
        </button>
      </div>
    </form>
  );
}
