// Figure 5's server, a fresh process: a real node:http server on 127.0.0.1 that keeps a small
// part of every request (its headers, in a module-level array: the known leak), monitored by
// memalot's time-based monitor or not:
//   node --expose-gc dist/bench/http-server.js <off | on | tracking> <maxObjectLifetime> <maxObjectDetails> [snapshot]
// "tracking": what a time-based monitor does but its reports: V8's heap object tracking from the
// end of the same warm-up (maxObjectLifetime), and every maxObjectLifetime seconds the two epoch
// boundaries of an iteration, back to back. What the IDs themselves cost, apart from the reports.
// Prints "PORT <n>" when listening; on "stop" from stdin it stops monitoring, takes one bare
// TakeHeapSnapshot of its heap (timed; with "snapshot" only), and prints one JSON line (HttpServerResult).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { startLeakMonitoring, type LeakMonitor } from '../lib/index.js';
import { addon } from '../lib/native/addon.js';
import { growHeapTo, MB } from './heap.js';

export interface HttpServerResult {
  readonly monitored: boolean;
  readonly heapUsedAtStart: number;
  readonly heapUsedAtEnd: number;
  /** Longest event-loop delay (ms), and its 99th percentile, from monitorEventLoopDelay. */
  readonly maxPauseMs: number;
  readonly p99PauseMs: number;
  /** Reports made (the warm-up iteration's included), and those that listed possible leaks. */
  readonly reports: number;
  readonly reportsWithLeaks: number;
  /** null unless asked for ("snapshot"). */
  readonly bareSnapshotMs: number | null;
  readonly kept: number;
}

const HEAP_MB = 20;
const kept: IncomingHttpHeaders[] = [];
const mode = process.argv[2];
const lifetime = Number(process.argv[3]);
const details = Number(process.argv[4]);
const heapUsedAtStart = growHeapTo(HEAP_MB * MB);
const delay = monitorEventLoopDelay({ resolution: 5 });
const counts = { reports: 0, withLeaks: 0 };
let monitor: LeakMonitor | undefined;
let boundaries: NodeJS.Timeout | undefined;
if (mode === 'tracking') {
  boundaries = setTimeout(() => {
    addon().startTracking();
    addon().markBoundary();
    boundaries = setInterval(() => {
      addon().markBoundary();
      addon().markBoundary();
    }, lifetime * 1000);
  }, lifetime * 1000);
}
if (mode === 'on') {
  monitor = startLeakMonitoring({
    maxObjectLifetime: lifetime,
    maxObjectDetails: details,
    saveReports: false,
    // A report reaches outputFunc in several blocks (header, body, end; see lib/report/render.ts).
    outputFunc: (text) => {
      if (text.includes('End of Memalot Report')) counts.reports++;
      if (text.includes('Possible New Leaks')) counts.withLeaks++;
    },
  });
}
const server = createServer((request, response) => {
  kept.push({ ...request.headers });
  response.setHeader('content-type', 'text/plain');
  response.end(`ok ${kept.length}\n`);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  delay.enable();
  process.stdout.write(`PORT ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'stop') return;
  delay.disable();
  void (async () => {
    server.closeAllConnections();
    server.close();
    await monitor?.stop();
    if (boundaries !== undefined) {
      clearTimeout(boundaries); // the warm-up's timeout or the interval after it: Node clears either
      if (addon().isTracking()) addon().stopTracking();
    }
    let bareSnapshotMs: number | null = null;
    if (process.argv[5] === 'snapshot') {
      const t0 = performance.now();
      addon().takeSnapshot().dispose();
      bareSnapshotMs = performance.now() - t0;
    }
    const result: HttpServerResult = {
      monitored: mode !== 'off',
      heapUsedAtStart,
      heapUsedAtEnd: process.memoryUsage().heapUsed,
      maxPauseMs: delay.max / 1e6,
      p99PauseMs: delay.percentile(99) / 1e6,
      reports: counts.reports,
      reportsWithLeaks: counts.withLeaks,
      bareSnapshotMs,
      kept: kept.length,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  })();
});
