import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { recordEvents } from '@relance/db';
import {
  createDeploymentTracking,
  createTemplateCache,
  type ConsentEvent,
  type SendTemplateDeps,
  type TemplateCache,
  type Tracking,
} from '@relance/email';
import type { AppDeps, AppEnv } from '../env';

/** The email pieces every email route shares: one tracking, one template cache per app. */
export type EmailServices = {
  tracking: Tracking;
  templates: TemplateCache;
  send: SendTemplateDeps;
  now: () => Date;
  log: (line: string) => void;
  /** Records engagement and consent events, then tells segments and waiting runs. */
  record(workspaceId: string, events: readonly EmailEvent[]): Promise<(string | null)[]>;
};

/** An event about a contact's email, recorded like any other event. */
export type EmailEvent = Omit<ConsentEvent, 'name'> & { name: string };

const built = new WeakMap<AppDeps, EmailServices>();

/** The app's email services, built once per `createApp(deps)`. */
export function emailServices(deps: AppDeps): EmailServices {
  const existing = built.get(deps);
  if (existing) return existing;
  const tracking = createDeploymentTracking({
    publicUrl: deps.publicUrl,
    secret: deps.signingSecret,
    mailFrom: deps.mail.from,
  });
  const templates = createTemplateCache();
  const log = deps.log ?? ((line: string) => console.error(line));
  const services: EmailServices = {
    tracking,
    templates,
    send: { sql: deps.sql, provider: deps.mail.provider, tracking, templates },
    now: deps.clock ?? (() => new Date()),
    log,
    async record(workspaceId, events) {
      if (events.length === 0) return [];
      const result = await recordEvents(
        deps.sql,
        workspaceId,
        events.map((event) => ({
          contactId: event.contactId,
          name: event.name,
          properties: event.properties,
          ...(event.dedupeKey ? { messageId: event.dedupeKey } : {}),
          source: 'email',
        })),
        { dispatcher: deps.dispatcher, log },
      );
      return result.eventIds;
    },
  };
  built.set(deps, services);
  return services;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The client's address, for consent records and per-IP limits. `X-Forwarded-For` is believed
 * only from a proxy on this machine (or in-process requests, which have no socket): anyone
 * else could write any address in it and escape the limit.
 */
export function clientIp(c: Context<AppEnv>): string | null {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  if (peer && !LOOPBACK.test(peer)) return peer;
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || peer || null;
}

/** True when the caller wants JSON back (fetch/XHR) rather than a page (a plain form post). */
export function wantsJson(c: Context<AppEnv>): boolean {
  const accept = c.req.header('accept') ?? '';
  const type = c.req.header('content-type') ?? '';
  return (
    type.includes('application/json') ||
    (accept.includes('application/json') && !accept.includes('text/html'))
  );
}
