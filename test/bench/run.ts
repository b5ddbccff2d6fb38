import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// `npm run bench`: runs every test/bench/*.bench.ts in its own process, one after another (the
// machine is small; benchmarks must not compete), then gathers their JSON into summary.json.
// Pass names to run a subset: `npm run bench -- ingestion segments`.
const dir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = `${dir}results`;
const only = process.argv.slice(2);

const files = (await readdir(dir))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();
if (files.length === 0) {
  console.error(`No benchmarks matched ${only.join(', ') || '(all)'} in ${dir}`);
  process.exit(1);
}
await mkdir(resultsDir, { recursive: true });

const failed: string[] = [];
for (const file of files) {
  console.error(`\n▸ ${file}`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', `${dir}${file}`, '--results', resultsDir],
      {
        stdio: 'inherit',
      },
    );
    child.once('exit', resolve);
  });
  if (code !== 0) failed.push(file);
}

const summary: Record<string, unknown> = {};
for (const f of (await readdir(resultsDir)).filter(
  (f) => f.endsWith('.json') && f !== 'summary.json',
)) {
  summary[f.replace(/\.json$/, '')] = JSON.parse(await readFile(`${resultsDir}/${f}`, 'utf8'));
}
await writeFile(
  `${resultsDir}/summary.json`,
  `${JSON.stringify({ at: new Date().toISOString(), results: summary }, null, 2)}\n`,
);
console.error(`\nResults: ${resultsDir}/summary.json`);
if (failed.length > 0) {
  console.error(`Failed: ${failed.join(', ')}`);
  process.exit(1);
}
