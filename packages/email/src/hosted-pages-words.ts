import type { FrequencyPreference } from './store/consents';

/**
 * Who a sentence is about. Every value is HTML, already escaped: the workspace's name and the
 * topic's name stay as the marketer wrote them; `address` is the masked email, null when the
 * contact has none.
 */
export interface Who {
  sender: string | null;
  topic: string | null;
  address: string | null;
}

/** Something a page says on its own: a title and a sentence, plain text (escaped when shown). */
export interface Notice {
  title: string;
  message: string;
}

/**
 * Everything a recipient reads on the hosted pages, in one language. Functions return HTML built
 * from escaped arguments; `Notice` fields and button labels are plain text unless noted.
 */
export interface HostedText {
  unsubscribe: {
    title: string;
    /** The page's heading (HTML). */
    question(who: Who): string;
    /** What pressing a button stops, and that it is immediate (HTML). */
    effect(who: Who): string;
    /** HTML: the topic is escaped already. */
    topicButton(topic: string): string;
    allButton: string;
    /** A sentence linking to `href` (escaped) to choose fewer emails instead (HTML). */
    preferFewer(href: string): string;
  };
  /** That receipts and account messages still come (plain text). */
  stillSent: string;
  unsubscribed: {
    title: string;
    /** What the contact will no longer receive (HTML); `who.topic` null: all marketing. */
    done(who: Who): string;
    /** A sentence linking to the preferences at `href` (HTML). */
    changedMind(href: string): string;
  };
  confirm: {
    title: string;
    /** HTML: `address` is the masked email, escaped, or null. */
    body(address: string | null): string;
    button: string;
    notYou: string;
  };
  preferences: {
    title: string;
    /** HTML. */
    saved: string;
    /** Whose choices these are and from whom (HTML); `unsubscribed`: from all marketing. */
    status(who: Who, unsubscribed: boolean): string;
    topics: string;
    pending: string;
    frequency: string;
    frequencies: Record<FrequencyPreference, { label: string; hint: string }>;
    save: string;
    /** A frequency the page does not offer was posted (`got`, plain text). */
    badFrequency(got: string): Notice;
    back: string;
  };
  /** The page a test email's links open: `link` says which. */
  testLink(link: 'unsubscribe' | 'preferences'): Notice;
  goneUnsubscribe: Notice;
  gonePreferences: Notice;
  invalidLink: Notice;
  signUpGone: Notice;
  /** A visitor's browser opens or sends a form that was archived. */
  formClosed: Notice;
  /** A page posts the form from a site the form does not allow (the site owner can fix it). */
  formNotAllowedHere: Notice;
  /** Once a double opt-in is confirmed; `message` when the form has no message of its own. */
  subscribed: Notice & { link: string };
  rateLimited: Notice;
  checkForm: string;
  backToForm: string;
  refused: Notice;
  notSent: Notice;
  checkInbox: Notice;
  thankYou: string;
}
