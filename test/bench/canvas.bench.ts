import { loadavg } from 'node:os';
import { launchBrowser } from '../support/browser';
import { startLiveApp } from '../support/live-app';
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

    // Panning, driven from inside the page so the measurement is the canvas and not the
    // remote control: one scroll-wheel pan step per frame (trackpad panning), 240 frames.
    const frames = await page.evaluate<number[]>(`new Promise((resolve) => {
      const pane = document.querySelector('.react-flow__pane');
      const rect = pane.getBoundingClientRect();
      const times = [];
      const step = (t) => {
        times.push(t);
        const i = times.length;
        pane.dispatchEvent(new WheelEvent('wheel', {
          bubbles: true, cancelable: true,
          clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2,
          deltaX: 12 * Math.cos(i / 20), deltaY: 12 * Math.sin(i / 20),
        }));
        if (i < 240) requestAnimationFrame(step);
        else resolve(times);
      };
      requestAnimationFrame(step);
    })`);
    const viewportAfter = await page.evaluate<string>(
      `document.querySelector('.react-flow__viewport').style.transform`,
    );
    const deltas = frames.slice(1).map((t, i) => t - frames[i]!);
    const frameTimes = summarise(deltas);
    const meanFrame = deltas.reduce((a, b) => a + b, 0) / Math.max(1, deltas.length);
    const renderAndFit = summarise(loads);

    await writeResult('canvas', {
      nodes: journey.nodes.length,
      edges: journey.edges.length,
      viewport: '1280x800',
      // Two shared cores: the load says how much of the machine the browser had.
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
      renderAndFitMs: {
        ...renderAndFit,
        goal: 'p50 < 1000 ms to a drawn, fitted 300-step journey',
      },
      panFrames: {
        ...frameTimes,
        meanMs: Math.round(meanFrame * 100) / 100,
        fps: Math.round(1000 / meanFrame),
        goal: '60 fps (≈16.7 ms frames) while panning the canvas',
        viewportAfter,
      },
      ok: renderAndFit.p50Ms < 1000 && 1000 / meanFrame >= 55,
    });
  } finally {
    await browser.cleanup();
  }
} finally {
  await app.stop();
  await services.stop();
}
