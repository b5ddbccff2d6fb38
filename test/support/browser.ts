import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { childEnvironment, loadConfig } from '@relance/config';
import { createLog } from '@relance/infra/log';
import { isExecutable, runCommand, which } from '@relance/infra/process';

const log = createLog('browser');

/**
 * Debian's Chromium (Playwright's own browser download does not work offline). Installed with
 * apt-get on first use when we are root on a Debian-like machine, so a fresh clone needs nothing
 * installed by hand.
 */
export async function findChromium(): Promise<string> {
  const { path } = loadConfig();
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const found = await which(name, path);
    if (found) return found;
  }
  if (await isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  const apt = await which('apt-get', path);
  if (apt && process.getuid?.() === 0) {
    log.step('installing Debian chromium for browser tests (first run only)');
    const env = childEnvironment({ DEBIAN_FRONTEND: 'noninteractive' });
    await runCommand(apt, ['update', '-q'], { log, env, quiet: true });
    await runCommand(apt, ['install', '-y', '-q', '--no-install-recommends', 'chromium'], {
      log,
      env,
      quiet: true,
    });
    if (await isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  throw new Error(
    'Browser tests need Chromium: install the `chromium` package (apt-get install chromium) or put chromium on PATH.',
  );
}

/**
 * The user agent of a person's desktop Chrome. Headless Chromium names itself `HeadlessChrome`,
 * which the tracking routes take for a link scanner (machine opens and clicks count for no one);
 * in these tests the browser is the person reading the email.
 */
const PERSON_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Headless Chromium with a fresh profile and no background networking (the sandbox has none). */
export async function launchBrowser(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext & { cleanup(): Promise<void> }> {
  const profile = await mkdtemp(`${tmpdir()}/relance-chromium-`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: await findChromium(),
    viewport: options.viewport ?? { width: 1280, height: 800 },
    userAgent: PERSON_USER_AGENT,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return Object.assign(context, {
    async cleanup() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  });
}

/** Saves a full-page screenshot under test-results/screenshots/ as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = new URL('../../test-results/screenshots/', import.meta.url).pathname;
  await mkdir(dir, { recursive: true });
  const file = `${dir}${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Opens a page from the app's main menu by its link's exact name ("Segments", "Settings"). */
export function openFromMainMenu(page: Page, name: string): Promise<void> {
  return page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name, exact: true })
    .click();
}
