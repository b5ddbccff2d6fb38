import { readFile } from 'node:fs/promises';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from './env';

/** Serves the built web app; unknown non-API paths get index.html so client routes deep-link. */
export function mountWebApp(app: Hono<AppEnv>, webRoot: string): void {
  let index: Promise<string> | undefined;
  app.use('/assets/*', serveStatic({ root: webRoot }));
  app.use('/favicon.svg', serveStatic({ root: webRoot }));
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/v1/')) return next();
    index ??= readFile(`${webRoot}/index.html`, 'utf8');
    return c.html(await index);
  });
}
