import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startLiveApp } from '../support/live-app';
import { frameBreakdown, type ChromeTrace } from './canvas-trace';
import { startBenchServices, summarise, writeResult } from './lib';

// The journey canvas in Chromium: time from opening a 300-node journey until every card is drawn
// and fitted in view, and frame times while the marketer drags the canvas around.

const NODES = 300;
const LOADS = 5;
const COLUMN = 320;
const ROW = 150;

/** A valid 300-step journey: waits, score changes and conditions whose "no" paths exit. */
function bigJourney() {
  const nodes: { id: string; kind: string; position: { x: number; y: number }; config: unknown }[] =
    [{ id: 'trigger', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} }];
  const edges: { from: string; port: string; to: string }[] = [];
  let previous = { id: 'trigger', port: 'out' };
  for (let i = 1; nodes.length < NODES - 1; i++) {
    const row = nodes.length;
    const kind = i % 3;
    const id = `step_${i}`;
    if (kind === 0) {
      nodes.push({
        id,
        kind: 'logic.condition',
        position: { x: 0, y: row * ROW },
        config: { condition: { kind: 'score', op: 'gte', value: i } },
      });
      nodes.push({
        id: `exit_${i}`,
        kind: 'logic.exit',
        position: { x: COLUMN, y: (row + 1) * ROW },
        config: {},
      });
      edges.push({ from: previous.id, port: previous.port, to: id });
      edges.push({ from: id, port: 'no', to: `exit_${i}` });
      previous = { id, port: 'yes' };
      continue;
    }
    nodes.push({
      id,
      kind: kind === 1 ? 'wait.delay' : 'action.score',
      position: { x: 0, y: row * ROW },
      config: kind === 1 ? { duration: `${i}h` } : { delta: 5 },
    });
    edges.push({ from: previous.id, port: previous.port, to: id });
    previous = { id, port: 'out' };
  }
  nodes.push({
    id: 'exit_end',
    kind: 'logic.exit',
    position: { x: 0, y: nodes.length * ROW },
    config: {},
  });
  edges.push({ from: previous.id, port: previous.port, to: 'exit_end' });
  return { name: 'Benchmark: 300 steps', settings: {}, nodes, edges };
}

const PAN_STEPS = 300;
const WARM_UP_FRAMES = 15;
const PAN_ROUNDS = 2;

/** A point on the pane with no card or edge under it, where pressing the mouse pans. */
async function emptyPanePoint(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate<{ x: number; y: number }>(`(() => {
    const rect = document.querySelector('.react-flow__pane').getBoundingClientRect();
    for (let y = rect.top + 60; y < rect.bottom - 60; y += 17) {
      for (let x = rect.left + 60; x < rect.right - 200; x += 23) {
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    throw new Error('no empty spot on the canvas to start a pan from');
  })()`);
}

interface PanRun {
  deltas: number[];
  moved: number;
  frames: number;
  /** Main-thread seconds by Performance metric name, over the drag. */
  spent: Record<string, number>;
  /** Per frame, from a Chrome trace of the drag when one was taken. */
  traced?: ReturnType<typeof frameBreakdown>;
}

/**
 * Drags the canvas in slow circles with the mouse, moves arriving every 8 ms as from a 125 Hz
 * mouse. Frames are timed in the page by requestAnimationFrame from the first frame that shows
 * the canvas moved to the last, less the warm-up; Chrome's Performance domain says where the
 * renderer's main thread spent its time. With a trace file, a Chrome trace of the drag is saved
 * (open it in DevTools' Performance tab) and broken down per frame.
 */
async function panOnce(page: Page, traceFile?: string): Promise<PanRun> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const start = await emptyPanePoint(page);
  await page.mouse.move(start.x, start.y);
  await page.evaluate(`(() => {
    const viewport = document.querySelector('.react-flow__viewport');
    window.__frames = [];
    window.__panning = true;
    const tick = (t) => {
      window.__frames.push([t, viewport.style.transform]);
      if (window.__panning) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  if (traceFile) await startTrace(cdp);
  const before = await performanceMetrics(cdp);
  await page.mouse.down();
  const moves: Promise<void>[] = [];
  for (let i = 1; i <= PAN_STEPS; i++) {
    // Circles of 120 px radius: the canvas keeps moving and never drifts far from where it began.
    const angle = (i / PAN_STEPS) * 4 * Math.PI;
    moves.push(
      page.mouse.move(start.x + 120 * Math.sin(angle), start.y + 120 * (1 - Math.cos(angle))),
    );
    await new Promise((resolve) => setTimeout(resolve, 8));
  }
  await Promise.all(moves);
  await page.mouse.up();
  const frames = await page.evaluate<[number, string][]>(
    `(window.__panning = false, window.__frames)`,
  );
  const after = await performanceMetrics(cdp);
  const traced = traceFile ? frameBreakdown(await saveTrace(cdp, traceFile)) : undefined;
  await cdp.detach();
  const firstMoved = frames.findIndex(([, transform]) => transform !== frames[0]![1]);
  const lastMoved = frames.findLastIndex(([, t], i) => i > 0 && t !== frames[i - 1]![1]);
  const during = frames.slice(firstMoved + WARM_UP_FRAMES, lastMoved + 1);
  return {
    deltas: during.slice(1).map(([t], i) => t - during[i]![0]),
    moved: during.slice(1).filter(([, t], i) => t !== during[i]![1]).length,
    frames: during.length,
    spent: Object.fromEntries(
      Object.entries(after).map(([name, value]) => [name, value - (before[name] ?? 0)]),
    ),
    traced,
  };
}

// The styles canvas.css applies while the canvas is dragged, switched off again: the same page, build
// and machine load, so the ratio between the two says what those styles buy.
const WITHOUT_PAN_STYLES = `
  .flow-canvas[data-panned] .react-flow__pane.dragging::after { content: none !important; }
  .flow-canvas { user-select: auto !important; }`;

async function setPanStyles(page: Page, on: boolean): Promise<void> {
  await page.evaluate(`(() => {
    document.getElementById('bench-without-pan-styles')?.remove();
    if (${!on}) {
      const style = document.createElement('style');
      style.id = 'bench-without-pan-styles';
      style.textContent = ${JSON.stringify(WITHOUT_PAN_STYLES)};
      document.head.append(style);
    }
  })()`);
}

function summarisePans(runs: PanRun[]) {
  const deltas = runs.flatMap((r) => r.deltas);
  const frames = runs.reduce((n, r) => n + r.frames, 0);
  const meanMs = deltas.reduce((a, b) => a + b, 0) / Math.max(1, deltas.length);
  const perFrame = (name: string) =>
    Math.round((runs.reduce((ms, r) => ms + (r.spent[name] ?? 0) * 1000, 0) / frames) * 100) / 100;
  return {
    ...summarise(deltas),
    meanMs: Math.round(meanMs * 100) / 100,
    fps: Math.round((1000 / meanMs) * 10) / 10,
    framesThatMoved: runs.reduce((n, r) => n + r.moved, 0),
    mainThreadMsPerFrame: {
      script: perFrame('ScriptDuration'),
      style: perFrame('RecalcStyleDuration'),
      layout: perFrame('LayoutDuration'),
      allTasks: perFrame('TaskDuration'),
    },
  };
}

/**
 * Alternating rounds with and without the pan styles, pooled per variant. A traced drag comes
 * first and is not counted: tracing (with the JavaScript sampler) slows the page down.
 */
async function measurePan(page: Page, traceFile?: string) {
  await setPanStyles(page, true);
  const traced = traceFile ? (await panOnce(page, traceFile)).traced : undefined;
  const withStyles: PanRun[] = [];
  const withoutStyles: PanRun[] = [];
  for (let round = 0; round < PAN_ROUNDS; round++) {
    await setPanStyles(page, true);
    withStyles.push(await panOnce(page));
    await setPanStyles(page, false);
    withoutStyles.push(await panOnce(page));
  }
  await setPanStyles(page, true);
  const shipped = summarisePans(withStyles);
  const without = summarisePans(withoutStyles);
  return {
    zoom: await page.evaluate<number>(`Number(${SCALE_OF_VIEWPORT})`),
    ...shipped,
    withoutPanStyles: without,
    meanFrameRatioWithoutOverWith: Math.round((without.meanMs / shipped.meanMs) * 100) / 100,
    ...(traced && { tracedDrag: traced }),
  };
}

/** A script for the page that adds `css` to it once it has loaded. */
const addStyleOnLoad = (css: string) => `addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = ${JSON.stringify(css)};
  document.head.append(style);
})`;

const SCALE_OF_VIEWPORT = `/scale\\(([\\d.]+)\\)/.exec(document.querySelector('.react-flow__viewport').style.transform)[1]`;

async function startTrace(cdp: CDPSession): Promise<void> {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.frame',
        'v8.execute',
        'blink',
        'cc',
        'gpu',
        'disabled-by-default-v8.cpu_profiler',
      ],
    },
  });
}

async function saveTrace(cdp: CDPSession, file: string): Promise<ChromeTrace> {
  const complete = new Promise<string>((resolve) =>
    cdp.once('Tracing.tracingComplete', (event) => resolve(event.stream!)),
  );
  await cdp.send('Tracing.end');
  const stream = await complete;
  const chunks: string[] = [];
  for (;;) {
    const { data, eof, base64Encoded } = await cdp.send('IO.read', { handle: stream });
    chunks.push(base64Encoded ? Buffer.from(data, 'base64').toString() : data);
    if (eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const text = chunks.join('');
  await writeFile(file, text);
  return JSON.parse(text) as ChromeTrace;
}

async function performanceMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** Zooms in with the canvas's own control until cards are drawn at their real size. */
async function zoomToActualSize(page: Page): Promise<void> {
  const scale = () => page.evaluate<number>(`Number(${SCALE_OF_VIEWPORT})`);
  const zoomIn = page.getByRole('button', { name: 'Zoom In' });
  while ((await scale()) < 0.99) {
    await zoomIn.click();
    await page.waitForTimeout(150);
  }
}

const loadBefore = Math.round(loadavg()[0]! * 100) / 100;
const services = await startBenchServices({ temporal: true });
const app = await startLiveApp({
  services: { pgAdminUrl: services.pgAdminUrl, temporalAddress: services.temporalAddress },
  worker: false,
}).catch(async (error: unknown) => {
  await services.stop();
  throw error;
});
try {
  const browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
  try {
    const journey = bigJourney();
    const created = await fetch(`${app.url}/api/journeys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(journey),
    });
    if (!created.ok)
      throw new Error(`creating the journey: ${created.status} ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };

    const page = await browser.newPage();
    // CANVAS_EXTRA_CSS tries a style change on the canvas without a rebuild.
    const extraCss = process.env.CANVAS_EXTRA_CSS;
    if (extraCss) await page.addInitScript(addStyleOnLoad(extraCss));
    await page.goto(`${app.url}/#token=${app.adminToken}`);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    // Render and fit: from navigation start until all cards are drawn and the view is fitted.
    const loads: number[] = [];
    for (let i = 0; i <= LOADS; i++) {
      await page.goto(`${app.url}/journeys/${id}`);
      // Runs in the page (written as text: this file is type-checked without the DOM library).
      const ms = await page.evaluate<number>(`new Promise((resolve) => {
      const check = () => {
        const drawn = document.querySelectorAll('.react-flow__node').length;
        const viewport = document.querySelector('.react-flow__viewport');
        // fitView has run once the viewport left the identity transform; cards are measured
        // once React Flow stops hiding them.
        const fitted = viewport && !/translate\\(0px, 0px\\) scale\\(1\\)/.test(viewport.style.transform);
        const hidden = document.querySelectorAll('.react-flow__node[style*="visibility: hidden"]').length;
        if (drawn === ${journey.nodes.length} && fitted && hidden === 0) resolve(performance.now());
        else requestAnimationFrame(check);
      };
      check();
    })`);
      // The first load warms the browser cache; it is not counted.
      if (i > 0) loads.push(ms);
    }

    // Panning as a marketer does it: the mouse pressed on an empty spot of the canvas and
    // dragged around (real input events through CDP), once over the fitted overview and once at
    // 100% where cards are drawn in full. Frames are timed in the page by requestAnimationFrame;
    // the first frames of each drag are warm-up and not counted.
    // CANVAS_TRACE=/tmp/pan.json saves /tmp/pan.overview.json and /tmp/pan.actual-size.json.
    const traceOf = (view: string) =>
      process.env.CANVAS_TRACE?.replace(/(\.json)?$/, `.${view}.json`);
    const overview = await measurePan(page, traceOf('overview'));
    await zoomToActualSize(page);
    const actualSize = await measurePan(page, traceOf('actual-size'));
    const renderAndFit = summarise(loads);

    await writeResult('canvas', {
      nodes: journey.nodes.length,
      edges: journey.edges.length,
      viewport: '1280x800',
      // Two shared cores: the load says how much of the machine the browser had.
      loadAverage1m: [loadBefore, Math.round(loadavg()[0]! * 100) / 100],
      renderAndFitMs: {
        ...renderAndFit,
        goal: 'p50 < 1000 ms to a drawn, fitted 300-step journey',
      },
      panFrames: {
        goal: '60 fps (≈16.7 ms frames) while dragging the canvas',
        overview,
        actualSize,
      },
      ok: renderAndFit.p50Ms < 1000 && overview.fps >= 58 && actualSize.fps >= 58,
    });
  } finally {
    await browser.cleanup();
  }
} finally {
  await app.stop();
  await services.stop();
}
