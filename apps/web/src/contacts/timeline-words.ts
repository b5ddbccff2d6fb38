import { eventWords } from '@relance/flow';

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

/**
 * A segment entry or exit on a timeline: "Entered VIP after new activity". A line carried over
 * from a duplicate merged into the contact says it was the duplicate's ("The duplicate left VIP
 * when it was merged into this contact"): the contact itself may well still be in VIP.
 */
export function segmentChangeWords(
  change: 'entered' | 'exited',
  cause: string,
  fromMerged: boolean,
): { before: string; after: { text: string; journeyId?: string } } {
  if (!fromMerged) {
    return { before: change === 'entered' ? 'Entered' : 'Left', after: segmentCause(cause) };
  }
  const before = change === 'entered' ? 'The duplicate entered' : 'The duplicate left';
  return cause.split(':')[0] === 'merge'
    ? { before, after: { text: 'when it was merged into this contact' } }
    : { before, after: segmentCause(cause) };
}

/** The event a merge leaves on the survivor's timeline (`MERGE_EVENT` of @relance/db). */
export const MERGE_EVENT = '$merge';

/** What Relance's own events read as on a timeline (`identify` calls, merges). */
export const OWN_EVENTS: Record<string, string> = {
  $identify: 'Identified',
  $merge: 'Merged a duplicate into this contact',
  $alias: 'Known before under another id',
};

const CONSENT_SOURCES: Record<string, string> = {
  teammate: 'changed by a teammate',
  suppression_list: 'by a teammate on the Suppressions page',
  preference_page: 'on the preference page',
  unsubscribe_page: 'on the unsubscribe page',
  one_click: 'with the mail app’s unsubscribe button',
  mailto: 'by email to the unsubscribe address',
};

/** Where a consent change was made, in words; null for a source Relance does not know. */
function consentSource(source: string): string | null {
  if (Object.hasOwn(CONSENT_SOURCES, source)) return CONSENT_SOURCES[source]!;
  // `form:<id>` and `confirm:<id>` name the signup form by its id: the words say what happened.
  if (source.startsWith('form:')) return 'with a signup form';
  if (source.startsWith('confirm:')) return 'by confirming a signup form’s email';
  return null;
}

const FREQUENCY_WORDS: Record<string, string> = {
  every: 'every email',
  monthly: 'a monthly digest',
  important: 'important announcements only',
};

/**
 * A consent change on a timeline (`email.subscribed`, `email.unsubscribed`,
 * `email.preferences_changed`) in words, with where it was made; null for any other event.
 */
/** The names a timeline knows for the keys Relance's own events carry (a topic's, a form's). */
export interface OwnEventNames {
  topicName?: (key: string) => string | undefined;
  formName?: (id: string) => string | undefined;
}

export function consentWords(
  name: string,
  properties: Record<string, unknown>,
  names: OwnEventNames = {},
): string | null {
  const key = typeof properties.topic === 'string' ? properties.topic : null;
  // "Product tips", as the preference page and the topics list name it, not its key.
  const topic = key === null ? null : (names.topicName?.(key) ?? key);
  const source = typeof properties.source === 'string' ? properties.source : null;
  const withWhere = (text: string) => {
    if (!source) return text;
    const where = consentSource(source);
    const said = where ? `${text}, ${where}` : `${text} (source: ${source})`;
    // A teammate's note on why (“asked by phone”).
    return typeof properties.note === 'string' && properties.note !== ''
      ? `${said}: “${properties.note}”`
      : said;
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

// Properties an event of Relance's own carries for the machine, never worth a marketer's eye.
const INTERNAL_PROPERTIES: Record<string, readonly string[]> = {
  'form.submitted': ['formId', 'formName'],
  // Said in words by formEventWords.
  'form.confirmed': ['formId', 'formName', 'topics'],
  // Said in words by mergeWords.
  $merge: ['mergedId', 'by', 'field', 'messageId'],
};

// What the ingestion found the two contacts shared (`$merge`'s `field`).
const MERGE_FIELDS: Record<string, string> = {
  'traits.email': 'the same email',
  userId: 'the same user id',
  anonymousId: 'the same anonymous id (a browser or device)',
  previousId: 'their former user id',
};

/**
 * A merge on the survivor's timeline, naming the contact merged (by its email, else its external
 * id) and, when the ingestion merged them, what the two shared.
 */
export function mergeWords(
  properties: Record<string, unknown>,
  merged: { email: string | null; externalId: string | null } | null | undefined,
): string {
  const who = merged ? (merged.email ?? merged.externalId) : null;
  const line = who
    ? `Merged ${who} into this contact`
    : merged === null
      ? 'Merged a contact since deleted into this contact'
      : OWN_EVENTS.$merge!;
  const field = typeof properties.field === 'string' ? MERGE_FIELDS[properties.field] : undefined;
  const by = typeof properties.by === 'string' ? properties.by : 'api';
  if (by === 'alias') return `${line}, when an alias call linked them`;
  if (field && (by === 'identify' || by === 'track')) return `${line}: they shared ${field}`;
  return line;
}

/**
 * "Signed up with the form “Newsletter signup”", "Confirmed their signup with the form
 * “Newsletter signup” for Product tips": a form's events in words; null for other events.
 */
export function formEventWords(
  name: string,
  properties: Record<string, unknown>,
  names: OwnEventNames = {},
): string | null {
  const formId = typeof properties.formId === 'string' ? properties.formId : null;
  const formName =
    typeof properties.formName === 'string'
      ? properties.formName
      : formId === null
        ? undefined
        : names.formName?.(formId);
  const form = formName === undefined ? 'a form' : `the form “${formName}”`;
  if (name === 'form.submitted') return `Signed up with ${form}`;
  if (name !== 'form.confirmed') return null;
  const topics = Array.isArray(properties.topics)
    ? properties.topics
        .filter((t): t is string => typeof t === 'string')
        .map((t) => names.topicName?.(t) ?? t)
    : [];
  return `Confirmed their signup with ${form}${topics.length > 0 ? ` for ${topics.join(', ')}` : ''}`;
}

/** An event's properties a timeline shows, by name, without those only Relance reads. */
export function shownProperties(
  name: string,
  properties: Record<string, unknown>,
): [string, unknown][] {
  const hidden = INTERNAL_PROPERTIES[name] ?? [];
  return Object.entries(properties)
    .filter(([key]) => !hidden.includes(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * An event the app has words for, as a timeline line: "Placed an order" for the workspace's
 * order event, as the journeys' and segments' sentences name it; null for an event without.
 */
export function eventDidWords(name: string, orderEvent: string | undefined): string | null {
  const did = eventWords(name, { orderEvent })?.did;
  return did ? did.charAt(0).toUpperCase() + did.slice(1) : null;
}

/** A journey step's line around the journey's name: "Waiting at “Wait 3 days” in" … "". */
export interface StepLine {
  before: string;
  after: string;
}

/**
 * A journey step on a timeline, in words, from its outcome (`run_steps.outcome`) and the step
 * as the canvas words it; the journey's name goes between `before` and `after`.
 */
export function journeyStepWords(item: {
  outcome: string;
  nodeKind: string;
  step: string;
  way: string | null;
  port?: string | null;
  runEnded?: string | null;
}): StepLine {
  const step = `“${item.step}”`;
  const way = item.way ? ` (${item.way})` : '';
  if (item.nodeKind.startsWith('trigger.') && item.outcome === 'done') {
    return { before: 'Entered', after: ` — ${item.step}` };
  }
  // Still there when the run was taken out or stopped: its run's own line says how it ended.
  if (item.runEnded) return { before: `Was at ${step} in`, after: '' };
  switch (item.outcome) {
    case 'waiting':
      return { before: `Waiting at ${step} in`, after: '' };
    case 'held':
      return { before: `On hold at ${step} in`, after: ' while the journey is paused' };
    case 'done':
      return { before: `Went through ${step} in`, after: way };
    case 'skipped':
      return { before: `Skipped ${step} in`, after: '' };
    case 'failed':
      return { before: `Failed at ${step} in`, after: '; the journey went on' };
    case 'exited':
      return { before: 'Left', after: ` at ${step}: an exit condition was met` };
    case 'converted':
      // A goal set to end the journey when met is left by no way out.
      return {
        before: `Reached the goal ${step} in`,
        after: item.port === null ? ', which ended the journey for them' : '',
      };
    default:
      return { before: `${item.step} in`, after: way };
  }
}

/** A journey run's entry or end on a timeline: the journey's name goes between the two. */
export interface RunLine {
  before: string;
  after: string;
  /** A segment trigger's segment, to link after `after` ("when they entered" VIP). */
  segment?: { id: string; name: string };
}

/**
 * A run's entry, by what put the contact in: "Entered Post-purchase when they placed an order",
 * "… when they entered VIP", "… enrolled by hand", "… — On birthday"; or its end, when no step
 * says it: "Finished Post-purchase", "Taken out of Post-purchase", "Stopped by an error in …".
 */
export function journeyRunWords(
  item: {
    change: 'entered' | 'ended';
    status: string;
    trigger: { kind: string } & Record<string, unknown>;
    segmentName: string | null;
    triggerStep: string | null;
  },
  orderEvent: string | undefined,
): RunLine {
  if (item.change === 'ended') {
    switch (item.status) {
      case 'completed':
        return { before: 'Finished', after: '' };
      case 'cancelled':
        return { before: 'Taken out of', after: '' };
      case 'failed':
        return { before: 'Stopped by an error in', after: '' };
      case 'exited':
        return { before: 'Left', after: ': an exit condition was met' };
      case 'converted':
        return { before: 'Reached the goal of', after: '' };
      default:
        return { before: 'Left', after: '' };
    }
  }
  const { trigger } = item;
  switch (trigger.kind) {
    case 'event': {
      const name = typeof trigger.name === 'string' ? trigger.name : '';
      const did = eventWords(name, { orderEvent })?.did ?? `did ${name}`;
      return { before: 'Entered', after: ` when they ${did}` };
    }
    case 'segment': {
      const change = trigger.change === 'exited' ? 'left' : 'entered';
      const id = typeof trigger.segmentId === 'string' ? trigger.segmentId : '';
      return item.segmentName
        ? {
            before: 'Entered',
            after: ` when they ${change} `,
            segment: { id, name: item.segmentName },
          }
        : { before: 'Entered', after: ` when they ${change} a segment since deleted` };
    }
    case 'manual':
      return { before: 'Entered', after: ', enrolled by hand' };
    default:
      // A date trigger, as the canvas words it ("On birthday", "3 days before renews_on").
      return { before: 'Entered', after: item.triggerStep ? ` — ${item.triggerStep}` : '' };
  }
}

/**
 * What a journey run is about, from its entry key, to tell two runs of one journey apart:
 * "order ORD-1042" for a key read from an event's `orderId` (or `properties.order_id`), the key
 * and the property for a key of another name ("cart_token c-77"), the key alone for a date
 * trigger's run ("2026-11-25"); "an order without an orderId" for a run whose event lacked the
 * property (each such event is its own entry); null for a run without a key.
 */
export function entryKeyWords(item: {
  entryKey?: string | null;
  entryKeyPath?: string | null;
  keyedByEvent?: boolean;
}): string | null {
  if (item.keyedByEvent) {
    if (!item.entryKeyPath) return null;
    const last = lastStep(item.entryKeyPath);
    const thing = (/[_-]?id$/i.test(last) && thingOf(last)) || 'event';
    return `${article(thing)} ${thing} without ${article(last)} ${last}`;
  }
  if (!item.entryKey) return null;
  if (!item.entryKeyPath) return item.entryKey;
  const last = lastStep(item.entryKeyPath);
  return `${thingOf(last) || last} ${item.entryKey}`;
}

const lastStep = (path: string) => path.split('.').at(-1) ?? path;

/** "order" for `orderId` or `order_id`, "cart token" for `cartToken`. */
const thingOf = (property: string) =>
  property
    .replace(/[_-]?id$/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/**
 * When a step that took time began (a wait, a step held while the journey was paused), to say
 * beside its line, which is placed when it ended; null for a step left at once or not left yet.
 */
export function stepBegan(item: { enteredAt?: string; leftAt?: string | null }): string | null {
  if (!item.enteredAt || !item.leftAt) return null;
  return Date.parse(item.leftAt) - Date.parse(item.enteredAt) >= 1000 ? item.enteredAt : null;
}

const RUN_STATUS: Record<string, string> = {
  active: 'In progress',
  held: 'On hold while the journey is paused',
  completed: 'Finished',
  exited: 'Left: an exit condition was met',
  converted: 'Reached the goal',
  failed: 'Stopped by an error',
  cancelled: 'Taken out',
};

// Where a run is, or ended, worth saying only for those still in it, stopped or taken out.
const AT_STEP = new Set(['active', 'held', 'failed', 'cancelled']);

/** "Version 2 · On hold while the journey is paused, at “Send 'Welcome'”": a run in words. */
export function runWords(run: {
  version: number;
  status: string;
  currentStep: string | null;
}): string {
  const status = Object.hasOwn(RUN_STATUS, run.status) ? RUN_STATUS[run.status]! : run.status;
  const at = run.currentStep && AT_STEP.has(run.status) ? `, at “${run.currentStep}”` : '';
  return `Version ${run.version} · ${status}${at}`;
}
