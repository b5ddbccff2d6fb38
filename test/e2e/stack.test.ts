import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Connection, Client } from '@temporalio/client';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnvironment } from '@relance/config';
import { startProcess, type ManagedProcess } from '@relance/infra/process';
import { launchBrowser, screenshot } from '../support/browser';
import { freePort } from '../support/ports';

// The product as a user starts it: the real `npm start` launcher (infra/src/start.ts) with its
// embedded PostgreSQL and Temporal dev server, in a throwaway data directory and free ports.
const root = fileURLToPath(new URL('../..', import.meta.url));

interface Started {
  process: ManagedProcess;
  output: string[];
  adminToken: string;
}

describe('npm start', () => {
  let dataDir: string;
  let ports: { api: number; pg: number; temporal: number; ui: number };
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(`${tmpdir()}/relance-e2e-`);
    await chmod(dataDir, 0o755);
    ports = {
      api: await freePort(),
      pg: await freePort(),
      temporal: await freePort(),
      ui: await freePort(),
    };
    env = childEnvironment({
      RELANCE_DATA_DIR: dataDir,
      PORT: String(ports.api),
      RELANCE_PG_PORT: String(ports.pg),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      DATABASE_URL: undefined,
      TEMPORAL_ADDRESS: undefined,
      RELANCE_ADMIN_TOKEN: undefined,
      RELANCE_SECRET: undefined,
      RELANCE_WRITE_KEY: undefined,
    });
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<Started> {
    const output: string[] = [];
    const proc = startProcess(
      'relance',
      process.execPath,
      ['--import', 'tsx', `${root}infra/src/start.ts`],
      {
        env,
        cwd: root,
        output: (line) => output.push(line),
      },
    );
    const deadline = Date.now() + 180_000;
    while (!output.some((l) => l.includes('Relance is running.'))) {
      if (proc.child.exitCode !== null)
        throw new Error(`npm start exited early:\n${output.join('\n')}`);
      if (Date.now() > deadline)
        throw new Error(`npm start did not come up:\n${output.join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const adminToken = /Admin token\s+(\S+)/.exec(output.join('\n'))![1]!;
    return { process: proc, output, adminToken };
  }

  async function stopWithSigint(started: Started): Promise<number> {
    const at = Date.now();
    started.process.child.kill('SIGINT');
    await started.process.exited;
    return Date.now() - at;
  }

  async function portsInUse(): Promise<number[]> {
    const { createServer } = await import('node:net');
    const busy: number[] = [];
    for (const port of Object.values(ports)) {
      const free = await new Promise<boolean>((resolve) => {
        const server = createServer();
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
      });
      if (!free) busy.push(port);
    }
    return busy;
  }

  async function processesUsing(dir: string): Promise<string[]> {
    const { execFile } = await import('node:child_process');
    return new Promise((resolve) =>
      execFile('ps', ['-eo', 'pid,args'], (_e, stdout) =>
        resolve(stdout.split('\n').filter((line) => line.includes(dir))),
      ),
    );
  }

  const running: Started[] = [];
  afterAll(async () => {
    // A failed assertion must not leave a stack behind.
    await Promise.all(running.map((started) => started.process.stop(15_000)));
  });

  it('comes up healthy, serves the app shell in a browser, stops cleanly on SIGINT and keeps data across restarts', async () => {
    const first = await start();
    running.push(first);
    const base = `http://127.0.0.1:${ports.api}`;

    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', postgres: 'ok', temporal: 'ok' });
    expect(first.output.join('\n')).toContain(`Temporal UI    http://localhost:${ports.ui}`);
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
    expect((await fetch(`${base}/api/workspace`)).status).toBe(401);

    // Data that must survive a restart: a contact row and a running workflow.
    const password = (await readFile(`${dataDir}/pg.password`, 'utf8')).trim();
    const sql = postgres(
      `postgres://relance:${encodeURIComponent(password)}@127.0.0.1:${ports.pg}/relance`,
      { max: 1 },
    );
    await sql`insert into contacts (workspace_id, email) select id, 'ada@example.com' from workspaces`;
    await sql.end();
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    await new Client({ connection }).workflow.start('waitsForever', {
      taskQueue: 'e2e-survives',
      workflowId: 'e2e-survivor',
    });
    await connection.close();

    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/#token=${first.adminToken}`);
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const item of ['Journeys', 'Segments', 'Contacts', 'Templates', 'Settings']) {
        await expect.poll(() => nav.getByRole('link', { name: item }).isVisible()).toBe(true);
      }
      await nav.getByRole('link', { name: 'Settings' }).click();
      await expect.poll(() => page.getByText('Running').count()).toBe(2);
      expect(await page.getByTestId('write-key').textContent()).toMatch(/^wk_/);
      await screenshot(page, 'shell-settings');
    } finally {
      await browser.cleanup();
    }

    const stopMs = await stopWithSigint(first);
    expect(stopMs).toBeLessThan(15_000);
    expect(await portsInUse()).toEqual([]);
    expect(await processesUsing(dataDir)).toEqual([]);

    const second = await start();
    running.push(second);
    try {
      expect(second.adminToken).toBe(first.adminToken);
      const again = postgres(
        `postgres://relance:${encodeURIComponent(password)}@127.0.0.1:${ports.pg}/relance`,
        { max: 1 },
      );
      expect(await again`select email from contacts`).toEqual([{ email: 'ada@example.com' }]);
      await again.end();
      const connection2 = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
      const description = await new Client({ connection: connection2 }).workflow
        .getHandle('e2e-survivor')
        .describe();
      expect(description.status.name).toBe('RUNNING');
      await connection2.close();
    } finally {
      await stopWithSigint(second);
    }
    expect(await portsInUse()).toEqual([]);
  });
});
