import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { silentLog, type Log } from './log';
import { ProvisionError } from './process';
import { findTemporalCli, TEMPORAL_CLI_VERSION } from './temporal-cli';

async function executable(path: string, body = 'exit 0'): Promise<string> {
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

async function sandbox() {
  const dir = await mkdtemp(`${tmpdir()}/relance-cli-`);
  await mkdir(`${dir}/bin`);
  await mkdir(`${dir}/cache`);
  return dir;
}

const offline = () => Promise.reject(new Error('getaddrinfo ENOTFOUND temporal.download'));

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string) => void lines.push(m);
  return { lines, step: push, info: push, warn: push, error: push };
}

describe('findTemporalCli', () => {
  it('prefers TEMPORAL_CLI_PATH', async () => {
    const dir = await sandbox();
    const explicit = await executable(`${dir}/my-temporal`);
    await executable(`${dir}/bin/temporal`);
    const found = await findTemporalCli({
      cliPath: explicit,
      searchPath: `${dir}/bin`,
      cacheDir: `${dir}/cache`,
      log: silentLog,
      env: {},
      sdkDownload: offline,
    });
    expect(found).toBe(explicit);
  });

  it('names TEMPORAL_CLI_PATH when it points at nothing', async () => {
    const dir = await sandbox();
    await expect(
      findTemporalCli({
        cliPath: `${dir}/missing`,
        searchPath: '',
        cacheDir: `${dir}/cache`,
        log: silentLog,
        env: {},
        sdkDownload: offline,
      }),
    ).rejects.toThrow(/TEMPORAL_CLI_PATH is set to .*missing, which is not an executable file/);
  });

  it('then `temporal` on PATH, then the cache', async () => {
    const dir = await sandbox();
    await mkdir(`${dir}/cache/bin`);
    const cached = await executable(`${dir}/cache/bin/temporal`);
    const common = {
      cliPath: undefined,
      cacheDir: `${dir}/cache`,
      log: silentLog,
      env: {},
      sdkDownload: offline,
    };
    expect(await findTemporalCli({ ...common, searchPath: `${dir}/bin` })).toBe(cached);
    const onPath = await executable(`${dir}/bin/temporal`);
    expect(await findTemporalCli({ ...common, searchPath: `${dir}/bin` })).toBe(onPath);
  });

  it("then the SDK's download, copied into the cache for next time", async () => {
    const dir = await sandbox();
    const found = await findTemporalCli({
      cliPath: undefined,
      searchPath: '',
      cacheDir: `${dir}/cache`,
      log: silentLog,
      env: {},
      sdkDownload: async (downloadDir) => {
        await mkdir(downloadDir, { recursive: true });
        return executable(`${downloadDir}/temporal-sdk-copy`);
      },
    });
    expect(found).toBe(`${dir}/cache/bin/temporal`);
  });

  it('then `go install` of the pinned CLI into the cache, logging each step', async () => {
    const dir = await sandbox();
    // A stand-in `go` that does what `go install` does: put the binary in GOBIN.
    await executable(
      `${dir}/bin/go`,
      'echo "$@" > "$GOBIN/../go-args"; printf "#!/bin/sh\\n" > "$GOBIN/temporal"; chmod +x "$GOBIN/temporal"',
    );
    const log = recordingLog();
    const found = await findTemporalCli({
      cliPath: undefined,
      searchPath: `${dir}/bin`,
      cacheDir: `${dir}/cache`,
      log,
      env: {},
      sdkDownload: offline,
    });
    expect(found).toBe(`${dir}/cache/bin/temporal`);
    expect(await readFile(`${dir}/cache/go-args`, 'utf8')).toContain(
      `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`,
    );
    expect(log.lines.join('\n')).toMatch(/PATH[\s\S]*cache[\s\S]*SDK[\s\S]*go install/);
  });

  it('fails with one message that lists what was tried and what to install', async () => {
    const dir = await sandbox();
    const error = await findTemporalCli({
      cliPath: undefined,
      searchPath: `${dir}/bin`,
      cacheDir: `${dir}/cache`,
      log: silentLog,
      env: {},
      sdkDownload: offline,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionError);
    const message = (error as Error).message;
    expect(message).toContain('`temporal` on PATH: not found');
    expect(message).toContain('ENOTFOUND');
    expect(message).toContain('Go is not installed');
    expect(message).toMatch(/TEMPORAL_CLI_PATH/);
    expect(message).toMatch(/TEMPORAL_ADDRESS/);
  });
});
