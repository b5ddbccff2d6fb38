/**
 * Who fetched a tracking link: a person's mail client or browser, or a machine acting on
 * delivery (Apple Mail Privacy Protection's proxy, a mail gateway's link scanner). Machine
 * opens and clicks are still recorded (flagged `machine: true`), but they neither mark an email
 * opened or clicked in the reports nor bring it an order (migration 0075).
 *
 * Only positive evidence flags a machine, since a flagged human disappears from the numbers:
 * - Apple's proxy fetches every image of a message on delivery with the bare user agent
 *   `Mozilla/5.0` (no platform, no engine; Mailgun and SocketLabs document the same rule). A
 *   real browser or mail client always says more. A later real open of that message is served
 *   from Apple's cache and never reaches us, so an Apple Mail reader shows no open unless they
 *   click.
 * - Link scanners and scripts that name themselves (`bot`, `scanner`, `python-requests`,
 *   `curl`, known gateway vendors…). A hit with no user agent counts as human (unknown).
 * - A `HEAD` request: a browser following a link asks with GET; scanners check links with HEAD.
 * No IP range is used (Apple's ranges change and cannot be checked offline) and the IP is never
 * stored: the event keeps only the class below.
 */
export type EngagementAgent =
  /** Apple Mail Privacy Protection's proxy (opens on delivery, whether or not read). */
  | 'apple_privacy_proxy'
  /** Gmail's image proxy: fetches when the reader opens the email (a human open). */
  | 'gmail_image_proxy'
  /** Yahoo's image proxy: fetches when the reader opens the email (a human open). */
  | 'yahoo_image_proxy'
  /** A link scanner, bot or script that names itself. */
  | 'scanner'
  /** A browser or mail client. */
  | 'browser'
  /** No user agent on an open, or one not recognised: counted as human. */
  | 'unknown';

export type MachineReason = 'apple_privacy' | 'scanner' | 'head_request';

export interface EngagementClass {
  agent: EngagementAgent;
  machine: boolean;
  /** Why it was taken for a machine; absent when `machine` is false. */
  machineReason?: MachineReason;
}

// Automation that names itself. "Microsoft Office" (Outlook's own image fetches) and the mobile
// HTTP libraries are left out on purpose: real readers fetch with them.
const SCANNER =
  /bot\b|bot\/|crawler|spider|scanner|python-requests|python-urllib|aiohttp|curl\/|wget\/|go-http-client|java\/|apache-httpclient|jetty|libwww-perl|headlesschrome|phantomjs|barracuda|mimecast|proofpoint|symantec|forcepoint|trendmicro|fortiguard|sophos|safelinks|urldefense|slackbot|facebookexternalhit|linkexpanding|preview service/i;

/** Classifies one hit on the open pixel or a click redirect. */
export function classifyEngagement(input: {
  userAgent: string | null | undefined;
  method: string;
}): EngagementClass {
  const ua = (input.userAgent ?? '').trim();
  let agent: EngagementAgent;
  if (ua === 'Mozilla/5.0') agent = 'apple_privacy_proxy';
  else if (/GoogleImageProxy|ggpht\.com/i.test(ua)) agent = 'gmail_image_proxy';
  else if (/YahooMailProxy/i.test(ua)) agent = 'yahoo_image_proxy';
  else if (SCANNER.test(ua)) agent = 'scanner';
  else if (/^Mozilla\/\d/.test(ua) || /Outlook|Microsoft Office|Thunderbird/i.test(ua))
    agent = 'browser';
  else agent = 'unknown';
  const reason: MachineReason | undefined =
    agent === 'apple_privacy_proxy'
      ? 'apple_privacy'
      : agent === 'scanner'
        ? 'scanner'
        : input.method.toUpperCase() === 'HEAD'
          ? 'head_request'
          : undefined;
  return reason ? { agent, machine: true, machineReason: reason } : { agent, machine: false };
}
