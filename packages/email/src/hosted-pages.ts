import { escapeHtml } from './compile-template';
import type { PreferenceState } from './consent-changes';
import type { FrequencyPreference } from './store/consents';

export { senderName } from './store/sender-name';

/**
 * The pages recipients land on from an email: unsubscribe, preferences, double opt-in and form
 * outcomes. Plain server-rendered HTML, readable on a phone, neutral enough for any brand, and
 * usable without JavaScript. Every value is escaped here.
 */

const STYLE = `
  :root { color-scheme: light dark; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
         color: #1f2328; background: #f6f7f9; }
  main { max-width: 32rem; margin: 0 auto; padding: 2.5rem 1.25rem; }
  .card { background: #fff; border: 1px solid #e3e6ea; border-radius: 12px; padding: 1.5rem; }
  h1 { font-size: 1.4rem; line-height: 1.3; margin: 0 0 0.75rem; }
  p { margin: 0 0 1rem; }
  .muted { color: #59636e; font-size: 0.95rem; }
  .ok { border-left: 4px solid #1a7f37; }
  .problem { border-left: 4px solid #cf222e; }
  fieldset { border: 0; margin: 0 0 1.25rem; padding: 0; }
  legend { font-weight: 600; margin-bottom: 0.5rem; }
  label.choice { display: flex; gap: 0.75rem; align-items: flex-start; padding: 0.6rem 0;
                 border-top: 1px solid #eef0f2; cursor: pointer; }
  label.choice:first-of-type { border-top: 0; }
  label.choice input { margin-top: 0.3rem; width: 1.15rem; height: 1.15rem; flex: none; }
  label.choice small { display: block; color: #59636e; }
  button { font: inherit; border-radius: 8px; padding: 0.7rem 1.1rem; border: 1px solid #1f2328;
           background: #1f2328; color: #fff; cursor: pointer; width: 100%; margin-top: 0.5rem; }
  button.secondary { background: transparent; color: #1f2328; }
  a { color: #0969da; }
  @media (prefers-color-scheme: dark) {
    body { background: #0d1117; color: #e6edf3; }
    .card { background: #161b22; border-color: #30363d; }
    .muted, label.choice small { color: #9198a1; }
    label.choice { border-color: #21262d; }
    button { background: #e6edf3; color: #0d1117; border-color: #e6edf3; }
    button.secondary { background: transparent; color: #e6edf3; }
    a { color: #4493f8; }
  }
`;

/** The shared frame of every hosted page; `body` is trusted HTML built by this module. */
function page(title: string, body: string, tone: 'neutral' | 'ok' | 'problem' = 'neutral') {
  const toneClass = tone === 'neutral' ? '' : ` ${tone}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main><div class="card${toneClass}">
${body}
</div></main>
</body>
</html>
`;
}

/** `a****@example.com`: enough for recipients to recognise their address, not to harvest it. */
export function maskEmail(email: string | null): string {
  if (!email) return 'your address';
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(1, Math.min(local.length - 1, 6)))}@${domain}`;
}

/** A page that only says something: an outcome or a problem, in plain words. */
export function renderNoticePage(input: {
  title: string;
  message: string;
  tone?: 'neutral' | 'ok' | 'problem';
  link?: { href: string; label: string } | null;
}): string {
  const link = input.link
    ? `<p><a href="${escapeHtml(input.link.href)}">${escapeHtml(input.link.label)}</a></p>`
    : '';
  return page(
    input.title,
    `<h1>${escapeHtml(input.title)}</h1>\n<p>${escapeHtml(input.message)}</p>\n${link}`,
    input.tone,
  );
}

/**
 * What the unsubscribe or preference link of a test email (or a preview) shows: it names no
 * contact, so it changes nothing, and says so.
 */
export function renderTestLinkPage(link: 'unsubscribe' | 'preferences'): string {
  const real =
    link === 'unsubscribe'
      ? 'In the real email, this link unsubscribes the contact who receives it.'
      : 'In the real email, this link opens the preferences of the contact who receives it.';
  return renderNoticePage({
    title: 'This was a test email',
    message: `Nothing was changed: the links of a test email act on no one. ${real}`,
  });
}

/** Who the pages speak for: the workspace's name, or a neutral "us" without one. */
const fromSender = (sender: string | null) => (sender ? `from ${escapeHtml(sender)}` : 'from us');

// "Unsubscribe from all" stops marketing only: receipts and account messages still go out
// (send-policy), and the pages say so rather than promise silence.
const STILL_SENT =
  '<p class="muted">Transactional emails, such as receipts and account messages, still come.</p>';

/** The page behind an unsubscribe link: nothing changes until the button is pressed. */
export function renderUnsubscribePage(input: {
  email: string | null;
  topicName: string | null;
  /** The workspace's name (see senderName). */
  sender: string | null;
  actionUrl: string;
  preferencesUrl: string;
}): string {
  const address = escapeHtml(maskEmail(input.email));
  const action = escapeHtml(input.actionUrl);
  const from = fromSender(input.sender);
  const what = input.topicName
    ? `“${escapeHtml(input.topicName)}” emails ${from}`
    : `marketing emails ${from}`;
  const topicButton = input.topicName
    ? `<form method="post" action="${action}"><input type="hidden" name="scope" value="topic"><button type="submit">Unsubscribe from ${escapeHtml(input.topicName)}</button></form>`
    : '';
  const allButton = `<form method="post" action="${action}"><input type="hidden" name="scope" value="all"><button type="submit"${input.topicName ? ' class="secondary"' : ''}>Unsubscribe from all marketing emails</button></form>`;
  return page(
    'Unsubscribe',
    `<h1>Stop receiving ${what}?</h1>
<p>This will stop ${what} to ${address}. It takes effect immediately.</p>
${topicButton}
${allButton}
${STILL_SENT}
<p class="muted" style="margin-top:1.25rem">Prefer fewer emails instead? <a href="${escapeHtml(input.preferencesUrl)}">Choose what you receive</a>.</p>`,
  );
}

/**
 * The page behind a double opt-in link: one button confirms. Nothing changes until it is
 * pressed, so a mail scanner that follows the link confirms no one's sign-up.
 */
export function renderConfirmPage(input: { email: string | null; actionUrl: string }): string {
  const address = escapeHtml(maskEmail(input.email));
  return page(
    'Confirm your subscription',
    `<h1>Confirm your subscription</h1>
<p>Press the button to start receiving our emails at ${address}.</p>
<form method="post" action="${escapeHtml(input.actionUrl)}"><button type="submit">Yes, subscribe me</button></form>
<p class="muted" style="margin-top:1.25rem">Did not sign up? Close this page: you will not be subscribed.</p>`,
  );
}

/** Shown once an unsubscribe has been applied. */
export function renderUnsubscribedPage(input: {
  email: string | null;
  topicName: string | null;
  /** The workspace's name (see senderName). */
  sender: string | null;
  preferencesUrl: string;
}): string {
  const address = escapeHtml(maskEmail(input.email));
  const from = fromSender(input.sender);
  const what = input.topicName
    ? `<p>${address} will not receive “${escapeHtml(input.topicName)}” emails ${from}.</p>`
    : `<p>${address} will not receive any more marketing emails ${from}.</p>
${STILL_SENT}`;
  return page(
    'You are unsubscribed',
    `<h1>You are unsubscribed</h1>
${what}
<p class="muted">Changed your mind? <a href="${escapeHtml(input.preferencesUrl)}">Manage your preferences</a>.</p>`,
    'ok',
  );
}

const FREQUENCIES: { value: FrequencyPreference; label: string; hint: string }[] = [
  { value: 'every', label: 'Every issue', hint: 'Everything you are subscribed to.' },
  { value: 'monthly', label: 'Monthly digest', hint: 'At most one email a month.' },
  { value: 'important', label: 'Important announcements only', hint: 'Only what matters most.' },
];

/** The hosted preference page: topics, frequency, unsubscribe from all. */
export function renderPreferencesPage(input: {
  state: PreferenceState;
  /** The workspace's name (see senderName). */
  sender: string | null;
  actionUrl: string;
  saved: boolean;
}): string {
  const { state } = input;
  const notice = input.saved
    ? `<p class="muted" role="status"><strong>Saved.</strong> Your choices apply from now on.</p>`
    : '';
  const from = fromSender(input.sender);
  const status = state.unsubscribedFromAll
    ? `<p>${escapeHtml(maskEmail(state.email))} is unsubscribed from all marketing emails ${from}. Tick a topic below to subscribe again.</p>`
    : `<p>Choose what ${escapeHtml(maskEmail(state.email))} receives ${from}.</p>`;
  const topics =
    state.topics.length === 0
      ? ''
      : `<fieldset><legend>Topics</legend>
${state.topics
  .map((topic) => {
    const hint = [
      topic.description,
      topic.pending ? 'Waiting for you to confirm your address.' : '',
    ]
      .filter(Boolean)
      .join(' ');
    return `<label class="choice"><input type="checkbox" name="topic" value="${escapeHtml(topic.key)}"${topic.subscribed ? ' checked' : ''}><span>${escapeHtml(topic.name)}${hint ? `<small>${escapeHtml(hint)}</small>` : ''}</span></label>`;
  })
  .join('\n')}
</fieldset>`;
  const frequency = `<fieldset><legend>How often</legend>
${FREQUENCIES.map(
  (option) =>
    `<label class="choice"><input type="radio" name="frequency" value="${option.value}"${state.frequency === option.value ? ' checked' : ''}><span>${option.label}<small>${option.hint}</small></span></label>`,
).join('\n')}
</fieldset>`;
  const action = escapeHtml(input.actionUrl);
  return page(
    'Email preferences',
    `<h1>Email preferences</h1>
${notice}
${status}
<form method="post" action="${action}">
${topics}
${frequency}
<button type="submit">Save my preferences</button>
</form>
<form method="post" action="${action}">
<input type="hidden" name="unsubscribe_all" value="1">
<button type="submit" class="secondary">Unsubscribe from all marketing emails</button>
</form>
${STILL_SENT}`,
    input.saved ? 'ok' : 'neutral',
  );
}
