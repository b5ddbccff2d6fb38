import { Hono, type Context } from 'hono';
import {
  classifyEngagement,
  getMessage,
  languageFromAcceptLanguage,
  redirectTarget,
  renderInvalidLinkPage,
} from '@relance/email';
import { emailServices, type EmailServices } from '../email/services';
import type { AppDeps, AppEnv } from '../env';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
// Every answer is per message and per person: no cache, proxy or browser may keep it.
const NO_STORE = {
  'cache-control': 'no-store, no-cache, must-revalidate, private, max-age=0',
  pragma: 'no-cache',
  expires: '0',
};

/** 403 for a link whose signature does not match: forged, truncated or from another install. */
export function invalidLink(c: Context<AppEnv>) {
  // The link names no workspace or contact it can be trusted for: the browser's language says.
  const language = languageFromAcceptLanguage(c.req.header('accept-language')) ?? 'en';
  return c.html(renderInvalidLinkPage(language), 403, NO_STORE);
}

/**
 * Who made the request, as kept on the event: the agent's class and whether it was a machine
 * (Apple's privacy proxy, a link scanner, a HEAD request). Never the raw user agent or the IP.
 */
function engagementSource(c: Context<AppEnv>): Record<string, unknown> {
  return { ...classifyEngagement({ userAgent: c.req.header('user-agent'), method: c.req.method }) };
}

/**
 * Records an open or a click for the message's contact. Best effort: the reader still gets the
 * pixel or the page when recording fails, and the failure is logged.
 */
async function recordEngagement(
  email: EmailServices,
  name: 'email.opened' | 'email.clicked',
  messageId: string,
  extra: Record<string, unknown>,
): Promise<void> {
  // Preview and test links carry no real message or no contact: nothing to record.
  if (!UUID.test(messageId)) return;
  try {
    const message = await getMessage(email.send.sql, messageId);
    if (!message?.contactId) return;
    await email.record(message.workspaceId, [
      {
        contactId: message.contactId,
        name,
        properties: {
          messageId,
          templateId: message.templateId,
          journeyId: message.journeyId,
          topic: message.topic,
          ...extra,
        },
      },
    ]);
  } catch (error) {
    email.log(`could not record ${name} for message ${messageId}: ${String(error)}`);
  }
}

/**
 * `/t`: first-party tracking. `GET /t/o/:token` answers a 1×1 GIF and records `email.opened`;
 * `GET /t/c/:token` records `email.clicked` and redirects (302) to the URL signed into the
 * token — never anywhere else, so it cannot serve as an open redirect. Both events carry
 * `agent` and `machine` (see `classifyEngagement`): a machine's hit is recorded but counts as
 * no open or click in the reports and brings no order (0075). HEAD is answered as GET.
 */
export const trackingRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  return new Hono<AppEnv>()
    .get('/o/:token', async (c) => {
      const open = email.tracking.verifyOpen(c.req.param('token'));
      if (!open) return invalidLink(c);
      await recordEngagement(email, 'email.opened', open.messageId, engagementSource(c));
      return c.body(PIXEL, 200, {
        ...NO_STORE,
        'content-type': 'image/gif',
        'content-length': String(PIXEL.length),
      });
    })
    .get('/c/:token', async (c) => {
      const click = email.tracking.verifyClick(c.req.param('token'));
      if (!click) return invalidLink(c);
      await recordEngagement(email, 'email.clicked', click.messageId, {
        url: click.url,
        ...engagementSource(c),
      });
      return c.body(null, 302, {
        ...NO_STORE,
        location: redirectTarget(click.url),
        // The destination learns nothing about the tracking token.
        'referrer-policy': 'no-referrer',
      });
    });
};

export { NO_STORE };
