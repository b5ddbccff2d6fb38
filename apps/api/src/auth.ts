import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { findWorkspaceByWriteKey, type Sql } from '@relance/db';
import type { AppEnv } from './env';
import { ApiError } from './errors';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** HTTP Basic with the key as user name, as Segment's libraries send it. */
function basicUser(header: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const user = decoded.split(':')[0];
  return user || undefined;
}

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

/** Every /api route but health: `Authorization: Bearer <admin token>`. */
export const adminAuth = (adminToken: string, workspaceId: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const token = bearer(header);
    if (!token)
      throw unauthorized(
        basicUser(header)?.startsWith('wk_')
          ? 'This is a write key, which sends data to /v1 (identify, track, batch). The admin API under /api takes the admin token: Authorization: Bearer rl_admin_… (printed by npm start).'
          : 'Sign in: send Authorization: Bearer <admin token> (printed by npm start).',
      );
    if (!safeEqual(token, adminToken))
      throw unauthorized(
        token.startsWith('wk_')
          ? 'This is a write key, which sends data to /v1 (identify, track, batch). The admin API under /api takes the admin token: Authorization: Bearer rl_admin_… (printed by npm start).'
          : 'The admin token is not valid.',
      );
    c.set('workspaceId', workspaceId);
    await next();
  });

/**
 * Ingestion (/v1/*): the workspace write key as a Bearer token or as the HTTP Basic user name,
 * else (no Authorization header, as analytics.js and analytics-kotlin send) as `writeKey` in the
 * body, which `keyInBody` reads. A header, when sent, is the only key looked at.
 */
export const writeKeyAuth = (
  sql: Sql,
  keyInBody: (c: Context<AppEnv>) => Promise<string | undefined> = () => Promise.resolve(undefined),
) => {
  // Every ingestion request carries the key: valid keys are remembered for a few seconds so the
  // hot path does not pay a query per request (a rotated key stops working within that time).
  const valid = new Map<string, { workspaceId: string; until: number }>();
  const TTL_MS = 5_000;
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const key = header === undefined ? await keyInBody(c) : (bearer(header) ?? basicUser(header));
    if (!key)
      throw unauthorized(
        header === undefined
          ? 'Send the workspace write key as Authorization: Bearer <key>, as the Basic user name or as writeKey in the body.'
          : 'Send the workspace write key as Authorization: Bearer <key> or as the Basic user name.',
      );
    let known = valid.get(key);
    if (!known || known.until < Date.now()) {
      const workspace = await findWorkspaceByWriteKey(sql, key);
      if (!workspace)
        throw unauthorized(
          key.startsWith('rl_admin_')
            ? "This is the admin token, which signs in to /api. Ingestion under /v1 takes the workspace's write key (wk_…): printed by npm start, shown in Settings and as writeKey by GET /api/workspace."
            : 'The write key is not valid.',
        );
      if (valid.size > 1_000) valid.clear();
      valid.set(key, (known = { workspaceId: workspace.id, until: Date.now() + TTL_MS }));
    }
    c.set('workspaceId', known.workspaceId);
    await next();
  });
};
