/**
 * Why a contact entered or left a segment, from the change log's `cause`, in a marketer's words:
 * `ingest` → "after new activity", `journey:<id>:<step>` → "by a journey" (with its id to link).
 */
export function segmentCause(cause: string): { text: string; journeyId?: string } {
  const [kind = '', id] = cause.split(':');
  switch (kind) {
    case 'ingest':
    case 'event':
      return { text: 'after new activity' };
    case 'tick':
      return { text: 'as time passed' };
    case 'reconcile':
      return { text: 'at a scheduled check' };
    case 'rule':
      return { text: 'when the rule was saved' };
    case 'scoring':
      return { text: 'when the scoring rules were saved' };
    case 'timezone':
      return { text: "when the workspace's time zone changed" };
    case 'api':
      return { text: 'through the API' };
    case 'manual':
      return { text: 'by hand' };
    case 'import':
      return { text: 'by an import' };
    case 'merge':
      return { text: 'when two contacts were merged' };
    case 'form':
      return { text: 'by a signup form' };
    case 'journey':
      return id ? { text: 'by a journey', journeyId: id } : { text: 'by a journey' };
    case 'flow':
      return { text: 'by a journey' };
    default:
      return { text: cause };
  }
}

/** What Relance's own events read as on a timeline (`identify` calls, merges). */
export const OWN_EVENTS: Record<string, string> = {
  $identify: 'Identified',
  $merge: 'Merged a duplicate into this contact',
};

const CONSENT_SOURCES: Record<string, string> = {
  teammate: 'changed by a teammate',
  preference_page: 'on the preference page',
  unsubscribe_page: 'on the unsubscribe page',
  one_click: 'with the mail app’s unsubscribe button',
  mailto: 'by email to the unsubscribe address',
};

const FREQUENCY_WORDS: Record<string, string> = {
  every: 'every email',
  monthly: 'a monthly digest',
  important: 'important announcements only',
};

/**
 * A consent change on a timeline (`email.subscribed`, `email.unsubscribed`,
 * `email.preferences_changed`) in words, with where it was made; null for any other event.
 */
export function consentWords(name: string, properties: Record<string, unknown>): string | null {
  const topic = typeof properties.topic === 'string' ? properties.topic : null;
  const source = typeof properties.source === 'string' ? properties.source : null;
  const withWhere = (text: string) => {
    if (!source) return text;
    const where = CONSENT_SOURCES[source];
    return where ? `${text}, ${where}` : `${text} (source: ${source})`;
  };
  switch (name) {
    case 'email.unsubscribed':
      return withWhere(
        topic ? `Unsubscribed from ${topic}` : 'Unsubscribed from all marketing email',
      );
    case 'email.subscribed':
      return withWhere(topic ? `Subscribed to ${topic}` : 'Subscribed to marketing email again');
    case 'email.preferences_changed': {
      const frequency = typeof properties.frequency === 'string' ? properties.frequency : '';
      return withWhere(`Chose to receive ${FREQUENCY_WORDS[frequency] ?? frequency}`);
    }
    default:
      return null;
  }
}

/**
 * An email's own events (`email.sent`, `.delivered`, `.opened`, `.clicked`, `.bounced`,
 * `.complained`) in words, naming the email by its subject when known; null for other events.
 */
export function emailEventWords(
  name: string,
  properties: Record<string, unknown>,
  subject: string | null | undefined,
): string | null {
  const email = subject ? `“${subject}”` : 'an email';
  const Email = subject ? `“${subject}”` : 'An email';
  switch (name) {
    case 'email.sent':
      return `Was sent ${email}`;
    case 'email.delivered':
      return `${Email} was delivered`;
    case 'email.opened':
      return `Opened ${email}`;
    case 'email.clicked':
      return typeof properties.url === 'string'
        ? `Clicked ${properties.url} in ${email}`
        : `Clicked a link in ${email}`;
    case 'email.bounced': {
      const hard = properties.bounceType === 'hard';
      return `${Email} bounced${hard ? ' (the address does not exist: it is suppressed)' : properties.bounceType === 'soft' ? ' (for now)' : ''}`;
    }
    case 'email.complained':
      return `Marked ${email} as spam`;
    default:
      return null;
  }
}
