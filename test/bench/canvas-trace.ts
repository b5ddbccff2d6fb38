/**
 * Where a drag's frames go, read from a Chrome trace of it (the JSON DevTools saves): the page
 * renderer's main thread by trace event, counting each event's own time without the events
 * nested in it, and the raster and compositor threads, all per frame the main thread began.
 */

/** A Chrome trace as Tracing.end streams it. */
export interface ChromeTrace {
  traceEvents: TraceEvent[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

type Thread = `${number}:${number}`;

const threadOf = (e: TraceEvent): Thread => `${e.pid}:${e.tid}`;
const round = (ms: number) => Math.round(ms * 100) / 100;

/** Time in each event less the time in the events nested in it, in microseconds by name. */
function selfTimes(events: TraceEvent[]): Map<string, number> {
  const spans = events
    .filter((e) => e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const open: TraceEvent[] = [];
  for (const span of spans) {
    while (open.length > 0 && open.at(-1)!.ts + open.at(-1)!.dur! <= span.ts) open.pop();
    const parent = open.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - span.dur!);
    self.set(span.name, (self.get(span.name) ?? 0) + span.dur!);
    open.push(span);
  }
  return self;
}

/** Summed duration of the events called `name`, in milliseconds. */
const totalMs = (events: TraceEvent[], name: string) =>
  events.reduce((us, e) => us + (e.name === name && e.ph === 'X' ? (e.dur ?? 0) : 0), 0) / 1000;

/** Milliseconds per frame: main thread busy and by event, raster and compositor threads. */
export function frameBreakdown(trace: ChromeTrace, top = 12) {
  const names = new Map<Thread, string>();
  const byThread = new Map<Thread, TraceEvent[]>();
  for (const e of trace.traceEvents) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(threadOf(e), e.args?.name ?? '');
    else {
      const events = byThread.get(threadOf(e)) ?? [];
      events.push(e);
      byThread.set(threadOf(e), events);
    }
  }
  const threadsNamed = (prefix: string) =>
    [...names].filter(([, name]) => name.startsWith(prefix)).map(([thread]) => thread);
  // The page's renderer is the one whose main thread did the work (others are idle frames).
  const [main] = threadsNamed('CrRendererMain').sort(
    (a, b) => (byThread.get(b)?.length ?? 0) - (byThread.get(a)?.length ?? 0),
  );
  const mainEvents = byThread.get(main!) ?? [];
  const frames = mainEvents.filter(
    (e) => e.name === 'ProxyMain::BeginMainFrame' && e.ph === 'X',
  ).length;
  const perFrame = (ms: number) => round(ms / Math.max(1, frames));
  const pid = main!.split(':')[0];
  const rendererThreads = (prefix: string) =>
    threadsNamed(prefix)
      .filter((thread) => thread.startsWith(`${pid}:`))
      .flatMap((thread) => byThread.get(thread) ?? []);
  const own = [...selfTimes(mainEvents)].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    frames,
    mainThreadBusyMsPerFrame: perFrame(totalMs(mainEvents, 'RunTask')),
    mainThreadSelfMsPerFrame: Object.fromEntries(
      own.map(([name, us]) => [name, perFrame(us / 1000)]),
    ),
    rasterMsPerFrame: perFrame(
      totalMs(rendererThreads('ThreadPoolForegroundWorker'), 'RasterTask'),
    ),
    compositorMsPerFrame: perFrame(totalMs(rendererThreads('Compositor'), 'RunTask')),
  };
}
