import { chmod, copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Log } from './log';
import { isExecutable, ProvisionError, runCommand, which } from './process';

/** The Temporal CLI release we build when nothing else is available (later tags break `go install`). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export interface FindTemporalCliOptions {
  cliPath: string | undefined;
  searchPath: string;
  cacheDir: string;
  log: Log;
  env: Record<string, string>;
  /** The SDK's downloader; replaceable so tests never touch the network. */
  sdkDownload?: (dir: string) => Promise<string>;
}

/**
 * Finds the Temporal dev server binary, in this order: TEMPORAL_CLI_PATH; `temporal` on PATH;
 * the project's cache; the Temporal SDK's own download; `go install` of the pinned CLI.
 */
export async function findTemporalCli(options: FindTemporalCliOptions): Promise<string> {
  const { log } = options;
  const cached = `${options.cacheDir}/bin/temporal`;
  const tried: string[] = [];

  if (options.cliPath) {
    if (await isExecutable(options.cliPath)) return options.cliPath;
    throw new ProvisionError(
      `TEMPORAL_CLI_PATH is set to ${options.cliPath}, which is not an executable file.`,
    );
  }
  log.info('looking for the Temporal CLI: `temporal` on PATH');
  const onPath = await which('temporal', options.searchPath);
  if (onPath) return onPath;
  tried.push('`temporal` on PATH: not found');

  log.info(`looking for the Temporal CLI: cache ${cached}`);
  if (await isExecutable(cached)) return cached;
  tried.push(`cache ${cached}: empty`);

  log.info("downloading the Temporal CLI with the Temporal SDK's downloader");
  try {
    const downloaded = await (options.sdkDownload ?? downloadWithSdk)(
      `${options.cacheDir}/sdk-download`,
    );
    await mkdir(`${options.cacheDir}/bin`, { recursive: true });
    await copyFile(downloaded, cached);
    await chmod(cached, 0o755);
    return cached;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log.info(`  the SDK download failed (${reason})`);
    tried.push(`the SDK's download: ${reason}`);
  }

  const go = await which('go', options.searchPath);
  if (go) {
    log.step(
      `building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first start only; a few minutes)`,
    );
    await mkdir(`${options.cacheDir}/bin`, { recursive: true });
    try {
      await runCommand(
        go,
        ['install', '-v', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`],
        {
          log,
          env: { ...options.env, GOBIN: `${options.cacheDir}/bin`, GOFLAGS: '-mod=mod' },
        },
      );
      if (await isExecutable(cached)) return cached;
      tried.push('go install: finished but produced no binary');
    } catch (error) {
      tried.push(
        `go install: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
  } else {
    tried.push('go install: Go is not installed');
  }

  throw new ProvisionError(
    [
      'Relance needs the Temporal dev server (the `temporal` CLI) and could not find or build it.',
      ...tried.map((t) => `  tried ${t}`),
      'Do one of:',
      '  - install the Temporal CLI (https://docs.temporal.io/cli) and put `temporal` on PATH,',
      '  - set TEMPORAL_CLI_PATH to the binary,',
      `  - install Go, so Relance can run \`go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}\`,`,
      '  - or point TEMPORAL_ADDRESS at a running Temporal server.',
    ].join('\n'),
  );
}

/** Lets the SDK fetch its pinned CLI into `dir`, then returns the newest executable there. */
async function downloadWithSdk(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir: dir } },
  });
  await env.teardown();
  let newest: { path: string; mtime: number } | undefined;
  for (const name of await readdir(dir)) {
    const path = `${dir}/${name}`;
    const info = await stat(path);
    if (info.isFile() && (await isExecutable(path)) && (!newest || info.mtimeMs > newest.mtime)) {
      newest = { path, mtime: info.mtimeMs };
    }
  }
  if (!newest) {
    await rm(dir, { recursive: true, force: true });
    throw new ProvisionError('the SDK reported success but left no executable');
  }
  return newest.path;
}
