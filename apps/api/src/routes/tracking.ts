import { Hono, type Context } from 'hono';
import { getMessage, renderNoticePage } from '@relance/email';
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
  return c.html(
    renderNoticePage({
      title: 'This link is not valid',
      message:
        'The link may have been cut short or changed. Open it again from the email, or copy the whole address.',
      tone: 'problem',
    }),
    403,
    NO_STORE,
  );
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
 * token — never anywhere else, so it cannot serve as an open redirect.
 */
export const trackingRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  return new Hono<AppEnv>()
    .get('/o/:token', async (c) => {
      const open = email.tracking.verifyOpen(c.req.param('token'));
      if (!open) return invalidLink(c);
      await recordEngagement(email, 'email.opened', open.messageId, {});
      return c.body(PIXEL, 200, {
        ...NO_STORE,
        'content-type': 'image/gif',
        'content-length': String(PIXEL.length),
      });
    })
    .get('/c/:token', async (c) => {
      const click = email.tracking.verifyClick(c.req.param('token'));
      if (!click) return invalidLink(c);
      await recordEngagement(email, 'email.clicked', click.messageId, { url: click.url });
      return c.body(null, 302, {
        ...NO_STORE,
        location: click.url,
        // The destination learns nothing about the tracking token.
        'referrer-policy': 'no-referrer',
      });
    });
};

export { NO_STORE };
