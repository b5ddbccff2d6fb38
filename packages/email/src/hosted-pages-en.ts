import type { FormText } from './form-text';
import type { HostedText, Who } from './hosted-pages-words';

const from = (sender: string | null) => (sender ? `from ${sender}` : 'from us');
const what = ({ topic, sender }: Who) =>
  topic ? `“${topic}” emails ${from(sender)}` : `marketing emails ${from(sender)}`;

/** The hosted pages in English, the language they fall back to. */
export const en: HostedText = {
  unsubscribe: {
    title: 'Unsubscribe',
    question: (who) => `Stop receiving ${what(who)}?`,
    effect: (who) =>
      `This will stop ${what(who)} to ${who.address ?? 'your address'}. It takes effect immediately.`,
    topicButton: (topic) => `Unsubscribe from ${topic}`,
    allButton: 'Unsubscribe from all marketing emails',
    preferFewer: (href) =>
      `Prefer fewer emails instead? <a href="${href}">Choose what you receive</a>.`,
  },
  stillSent: 'Transactional emails, such as receipts and account messages, still come.',
  unsubscribed: {
    title: 'You are unsubscribed',
    done: (who) =>
      who.topic
        ? `${who.address ?? 'Your address'} will not receive ${what(who)}.`
        : `${who.address ?? 'Your address'} will not receive any more marketing emails ${from(who.sender)}.`,
    changedMind: (href) => `Changed your mind? <a href="${href}">Manage your preferences</a>.`,
  },
  confirm: {
    title: 'Confirm your subscription',
    body: (address) =>
      `Press the button to start receiving our emails at ${address ?? 'your address'}.`,
    button: 'Yes, subscribe me',
    notYou: 'Did not sign up? Close this page: you will not be subscribed.',
  },
  preferences: {
    title: 'Email preferences',
    saved: '<strong>Saved.</strong> Your choices apply from now on.',
    status: (who, unsubscribed) =>
      unsubscribed
        ? `${who.address ?? 'Your address'} is unsubscribed from all marketing emails ${from(who.sender)}. Tick a topic below to subscribe again.`
        : `Choose what ${who.address ?? 'your address'} receives ${from(who.sender)}.`,
    topics: 'Topics',
    pending: 'Waiting for you to confirm your address.',
    frequency: 'How often',
    frequencies: {
      every: { label: 'Every issue', hint: 'Everything you are subscribed to.' },
      monthly: { label: 'Monthly digest', hint: 'At most one email a month.' },
      important: { label: 'Important announcements only', hint: 'Only what matters most.' },
    },
    save: 'Save my preferences',
    badFrequency: (got) => ({
      title: 'That choice is not available',
      message: `frequency: choose every issue, monthly digest or important announcements only (got “${got}”).`,
    }),
    back: 'Back to your preferences',
  },
  testLink: (link) => ({
    title: 'This was a test email',
    message: `Nothing was changed: the links of a test email act on no one. ${
      link === 'unsubscribe'
        ? 'In the real email, this link unsubscribes the contact who receives it.'
        : 'In the real email, this link opens the preferences of the contact who receives it.'
    }`,
  }),
  goneUnsubscribe: {
    title: 'Nothing to unsubscribe',
    message: 'This address is not on our list any more: you will not receive emails from us.',
  },
  gonePreferences: {
    title: 'Nothing to manage',
    message: 'This address is not on our list any more: you will not receive emails from us.',
  },
  invalidLink: {
    title: 'This link is not valid',
    message:
      'The link may have been cut short or changed. Open it again from the email, or copy the whole address.',
  },
  formClosed: {
    title: 'This form is closed',
    message: 'It no longer takes sign-ups. Thank you for your interest.',
  },
  formNotAllowedHere: {
    title: 'This form cannot be sent from this site',
    message: 'The site is not allowed to use this form yet. Please let the site’s owner know.',
  },
  signUpGone: {
    title: 'This sign-up is no longer available',
    message: 'Please sign up again from the form.',
  },
  subscribed: {
    title: 'You are subscribed',
    message: 'Thanks for confirming your address.',
    link: 'Choose what you receive',
  },
  rateLimited: {
    title: 'Please wait a little',
    message: 'Too many sign-ups from your network in a short time: try again later.',
  },
  checkForm: 'Please check the form',
  backToForm: 'Back to the form',
  refused: {
    title: 'Please check your email address',
    message:
      'We could not send a confirmation email to this address. Check it, or use another one.',
  },
  notSent: {
    title: 'Almost there',
    message:
      'We could not send the confirmation email just now. Please try again in a few minutes.',
  },
  checkInbox: {
    title: 'Check your inbox',
    message:
      'Almost done: we sent you an email. Click the link in it to confirm your subscription.',
  },
  thankYou: 'Thank you',
};

/** The hosted form page and its field errors in English (the words the API has always used). */
export const enForm: FormText = {
  submit: 'Subscribe',
  issues: {
    email_missing: 'Enter your email address',
    email_invalid: 'Enter a valid email address',
    required: (label) => `${label} is required`,
    too_long: (label, max) => `${label} is too long (at most ${max} characters)`,
    not_chosen: (label) => `Choose ${label}`,
    not_an_option: (label) => `Choose one of the options for ${label}`,
    not_ticked: (label) => `${label} must be ticked`,
    unsavable: (label) =>
      `${label} contains a character we cannot save (it may be invisible): retype it and send the form again`,
  },
};
