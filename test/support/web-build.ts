import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const webDir = fileURLToPath(new URL('../../apps/web', import.meta.url));
let built: Promise<string> | undefined;

/**
 * Builds the web app from the current sources into a fresh directory (once per process), so
 * browser tests never run against a stale apps/web/dist. Returns the directory to serve.
 */
export function buildWebApp(): Promise<string> {
  built ??= (async () => {
    const outDir = await mkdtemp(`${tmpdir()}/relance-web-`);
    // The build lives as long as the process that serves it.
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    // Test runners set NODE_ENV=test, which makes the React plugin emit development JSX that
    // React's production build cannot run: build as `npm start` does, then put it back.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        root: webDir,
        configFile: `${webDir}/vite.config.ts`,
        mode: 'production',
        logLevel: 'warn',
        build: { outDir, emptyOutDir: true, sourcemap: false },
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    return outDir;
  })();
  return built;
}
