import { escapeHtml } from './compile-template';
import type { PreferenceState } from './consent-changes';
import type { PageLanguage } from './hosted-pages-language';
import { hostedText } from './hosted-pages-text';
import type { Who } from './hosted-pages-words';
import type { FrequencyPreference } from './store/consents';

export { senderName } from './store/sender-name';
export * from './hosted-pages-language';
export { hostedText } from './hosted-pages-text';
export type { HostedText, Notice } from './hosted-pages-words';

/**
 * The pages recipients land on from an email: unsubscribe, preferences, double opt-in and form
 * outcomes. Plain server-rendered HTML, readable on a phone, neutral enough for any brand, and
 * usable without JavaScript. Every value is escaped here. Each page speaks the recipient's
 * language (see pageLanguageFor); what the marketer wrote (workspace, topic names) stays as written.
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
function page(
  language: PageLanguage,
  title: string,
  body: string,
  tone: 'neutral' | 'ok' | 'problem' = 'neutral',
) {
  const toneClass = tone === 'neutral' ? '' : ` ${tone}`;
  return `<!doctype html>
<html lang="${language}">
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

/** The values a sentence names, escaped; a contact without an email is "your address". */
const who = (input: {
  email: string | null;
  topicName: string | null;
  sender: string | null;
}): Who => ({
  address: input.email ? escapeHtml(maskEmail(input.email)) : null,
  topic: input.topicName === null ? null : escapeHtml(input.topicName),
  sender: input.sender === null ? null : escapeHtml(input.sender),
});

/** A page that only says something: an outcome or a problem, in plain words (English by default). */
export function renderNoticePage(input: {
  title: string;
  message: string;
  tone?: 'neutral' | 'ok' | 'problem';
  link?: { href: string; label: string } | null;
  language?: PageLanguage;
}): string {
  const link = input.link
    ? `<p><a href="${escapeHtml(input.link.href)}">${escapeHtml(input.link.label)}</a></p>`
    : '';
  return page(
    input.language ?? 'en',
    input.title,
    `<h1>${escapeHtml(input.title)}</h1>\n<p>${escapeHtml(input.message)}</p>\n${link}`,
    input.tone,
  );
}

/**
 * What the unsubscribe or preference link of a test email (or a preview) shows: it names no
 * contact, so it changes nothing, and says so.
 */
export function renderTestLinkPage(
  link: 'unsubscribe' | 'preferences',
  language: PageLanguage,
): string {
  return renderNoticePage({ ...hostedText(language).testLink(link), language });
}

/** The page a link shows when its signature does not check out: changed or cut short. */
export function renderInvalidLinkPage(language: PageLanguage): string {
  return renderNoticePage({ ...hostedText(language).invalidLink, tone: 'problem', language });
}

// "Unsubscribe from all" stops marketing only: receipts and account messages still go out
// (send-policy), and the pages say so rather than promise silence.
const stillSent = (language: PageLanguage) =>
  `<p class="muted">${escapeHtml(hostedText(language).stillSent)}</p>`;

/** The page behind an unsubscribe link: nothing changes until the button is pressed. */
export function renderUnsubscribePage(input: {
  email: string | null;
  topicName: string | null;
  /** The workspace's name (see senderName). */
  sender: string | null;
  actionUrl: string;
  preferencesUrl: string;
  language: PageLanguage;
}): string {
  const text = hostedText(input.language).unsubscribe;
  const about = who(input);
  const action = escapeHtml(input.actionUrl);
  const topicButton = about.topic
    ? `<form method="post" action="${action}"><input type="hidden" name="scope" value="topic"><button type="submit">${text.topicButton(about.topic)}</button></form>`
    : '';
  const allButton = `<form method="post" action="${action}"><input type="hidden" name="scope" value="all"><button type="submit"${about.topic ? ' class="secondary"' : ''}>${escapeHtml(text.allButton)}</button></form>`;
  return page(
    input.language,
    text.title,
    `<h1>${text.question(about)}</h1>
<p>${text.effect(about)}</p>
${topicButton}
${allButton}
${stillSent(input.language)}
<p class="muted" style="margin-top:1.25rem">${text.preferFewer(escapeHtml(input.preferencesUrl))}</p>`,
  );
}

/**
 * The page behind a double opt-in link: one button confirms. Nothing changes until it is
 * pressed, so a mail scanner that follows the link confirms no one's sign-up.
 */
export function renderConfirmPage(input: {
  email: string | null;
  actionUrl: string;
  language: PageLanguage;
}): string {
  const text = hostedText(input.language).confirm;
  const address = input.email ? escapeHtml(maskEmail(input.email)) : null;
  return page(
    input.language,
    text.title,
    `<h1>${escapeHtml(text.title)}</h1>
<p>${text.body(address)}</p>
<form method="post" action="${escapeHtml(input.actionUrl)}"><button type="submit">${escapeHtml(text.button)}</button></form>
<p class="muted" style="margin-top:1.25rem">${escapeHtml(text.notYou)}</p>`,
  );
}

/** Shown once an unsubscribe has been applied. */
export function renderUnsubscribedPage(input: {
  email: string | null;
  topicName: string | null;
  /** The workspace's name (see senderName). */
  sender: string | null;
  preferencesUrl: string;
  language: PageLanguage;
}): string {
  const text = hostedText(input.language).unsubscribed;
  const about = who(input);
  return page(
    input.language,
    text.title,
    `<h1>${escapeHtml(text.title)}</h1>
<p>${text.done(about)}</p>
${about.topic ? '' : `${stillSent(input.language)}\n`}<p class="muted">${text.changedMind(escapeHtml(input.preferencesUrl))}</p>`,
    'ok',
  );
}

const FREQUENCIES: readonly FrequencyPreference[] = ['every', 'monthly', 'important'];

/** The hosted preference page: topics, frequency, unsubscribe from all. */
export function renderPreferencesPage(input: {
  state: PreferenceState;
  /** The workspace's name (see senderName). */
  sender: string | null;
  actionUrl: string;
  saved: boolean;
  language: PageLanguage;
}): string {
  const { state } = input;
  const all = hostedText(input.language);
  const text = all.preferences;
  const notice = input.saved ? `<p class="muted" role="status">${text.saved}</p>` : '';
  const about = who({ email: state.email, topicName: null, sender: input.sender });
  const status = `<p>${text.status(about, state.unsubscribedFromAll)}</p>`;
  const topics =
    state.topics.length === 0
      ? ''
      : `<fieldset><legend>${escapeHtml(text.topics)}</legend>
${state.topics
  .map((topic) => {
    const hint = [topic.description, topic.pending ? text.pending : ''].filter(Boolean).join(' ');
    return `<label class="choice"><input type="checkbox" name="topic" value="${escapeHtml(topic.key)}"${topic.subscribed ? ' checked' : ''}><span>${escapeHtml(topic.name)}${hint ? `<small>${escapeHtml(hint)}</small>` : ''}</span></label>`;
  })
  .join('\n')}
</fieldset>`;
  const frequency = `<fieldset><legend>${escapeHtml(text.frequency)}</legend>
${FREQUENCIES.map((value) => {
  const option = text.frequencies[value];
  return `<label class="choice"><input type="radio" name="frequency" value="${value}"${state.frequency === value ? ' checked' : ''}><span>${escapeHtml(option.label)}<small>${escapeHtml(option.hint)}</small></span></label>`;
}).join('\n')}
</fieldset>`;
  const action = escapeHtml(input.actionUrl);
  return page(
    input.language,
    text.title,
    `<h1>${escapeHtml(text.title)}</h1>
${notice}
${status}
<form method="post" action="${action}">
${topics}
${frequency}
<button type="submit">${escapeHtml(text.save)}</button>
</form>
<form method="post" action="${action}">
<input type="hidden" name="unsubscribe_all" value="1">
<button type="submit" class="secondary">${escapeHtml(all.unsubscribe.allButton)}</button>
</form>
${stillSent(input.language)}`,
    input.saved ? 'ok' : 'neutral',
  );
}
