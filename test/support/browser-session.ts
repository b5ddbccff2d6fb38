import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, inject, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from './browser';
import { startLiveApp, type LiveApp } from './live-app';

/** What a browser test file works with: the product, a signed-in page, and its HTTP APIs. */
export interface BrowserSession {
  app: LiveApp;
  browser: BrowserContext;
  /** Chromium at 1280×800, signed in as the workspace admin. */
  page: Page;
  /**
   * Sends JSON to the app (POST, as the admin, unless `options` say otherwise) and returns the
   * answer; a refusal throws with the status and the body.
   */
  api(
    path: string,
    body: unknown,
    options?: { method?: string; auth?: string },
  ): Promise<Record<string, unknown>>;
  /** POSTs to the ingestion API (`/v1/...`) with the workspace's write key. */
  ingest(path: string, body: unknown): Promise<Record<string, unknown>>;
}

/**
 * The browser session of a test file: starts the live app and Chromium before its tests,
 * leaves a screenshot of the screen a test failed on, and stops everything after the file.
 * The returned object is filled in by `beforeAll`: read it inside hooks and tests.
 */
export function useBrowserSession(options: { worker?: boolean } = {}): BrowserSession {
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  const session = {
    async api(path: string, body: unknown, options: { method?: string; auth?: string } = {}) {
      const response = await fetch(`${session.app.url}${path}`, {
        method: options.method ?? 'POST',
        headers: {
          authorization: options.auth ?? `Bearer ${session.app.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
    ingest: (path: string, body: unknown) =>
      session.api(path, body, { auth: `Bearer ${session.app.writeKey}` }),
  } as BrowserSession;

  beforeAll(async () => {
    session.app = await startLiveApp({
      services: inject('services'),
      ...(options.worker === undefined ? {} : { worker: options.worker }),
    });
    browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
    session.browser = browser;
    session.page = await browser.newPage();
    await session.page.goto(`${session.app.url}/#token=${session.app.adminToken}`);
  });

  // A failing step leaves a picture of the screen it failed on.
  beforeEach((context) => {
    onTestFailed(async () => {
      await screenshot(
        session.page,
        `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`,
      );
    });
  });

  afterAll(async () => {
    await browser?.cleanup();
    await session.app?.stop();
  });

  return session;
}
