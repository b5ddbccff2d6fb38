import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Log } from './log';

/** Run a child as another user (PostgreSQL refuses root). */
export interface SpawnAs {
  uid?: number | undefined;
  gid?: number | undefined;
}

export class ProvisionError extends Error {
  override name = 'ProvisionError';
}

/** The first executable called `name` on the search path. */
export async function which(name: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(':').filter(Boolean)) {
    const candidate = `${dir}/${name}`;
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command to completion, relaying its output line by line as progress. */
export async function runCommand(
  command: string,
  args: string[],
  options: SpawnAs & { log: Log; env?: Record<string, string>; cwd?: string; quiet?: boolean },
): Promise<string> {
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const relay = (stream: NodeJS.ReadableStream) =>
    createInterface({ input: stream }).on('line', (line) => {
      output += `${line}\n`;
      if (!options.quiet) options.log.info(`  ${line}`);
    });
  relay(child.stdout);
  relay(child.stderr);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new ProvisionError(
      `${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-2000)}`,
    );
  }
  return output;
}

/** A long-running child whose output is prefixed with its name and which stops on request. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: SpawnAs & {
    env?: Record<string, string>;
    cwd?: string;
    output?: (line: string) => void;
  },
): ManagedProcess {
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = options.output ?? ((line: string) => process.stderr.write(`[${name}] ${line}\n`));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', output);
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(null));
  });
  return {
    name,
    child,
    exited,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
