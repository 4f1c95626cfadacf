// What each route to allocation sites costs (issue 14), in a fresh process of its own (the
// routes change V8's profiler state for the rest of a process): `node --expose-gc
// dist/bench/allocation-sites.js`, and the last section of `npm run bench`.
//
// Routes, switched on and off in rounds (each round runs every route, starting at another one
// each round, so that drift on a busy machine hits them alike), on a retained heap of small objects:
//   none        no monitoring at all
//   no capture  memalot's object tracking (IDs only): monitoring as it is without the option
//   sampling    that plus V8's sampling heap profiler at 64 KiB (the default) and at 1 KiB
//   tracker     V8's allocation tracker instead (StartTrackingHeapObjects(true): a stack per object)
// Workloads: (a) an allocation-heavy loop, (b) a monitored call as function-based monitoring
// makes it (a boundary, the call's work, a boundary, the survivor count). Report time: the
// sampling route's one allocationSites call and the attribution (allocationSitesByType) for a
// range of 50,000 leaked objects, beside the snapshot memalot takes anyway; the tracker route's
// trace needs the serialised snapshot (timed through the inspector, chunks dropped).
import { execFile } from 'node:child_process';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { addon } from '../lib/native/addon.js';
import { allocationSitesByType } from '../lib/monitor/allocation-sites.js';
import { formatMs, formatRatio, median, table } from './stats.js';

type Route = 'none' | 'noCapture' | 'sampling64k' | 'sampling1k' | 'tracker';
/** An allocation-heavy loop: `n` small objects, each kept alive for the next `ring` allocations. */
class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
function createShortLived(n: number, ring: number): number {
  const kept = new Array<Point | undefined>(ring).fill(undefined);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = new Point(i, i + 1);
    kept[i % ring] = p;
    sum += p.x;
  }
  return sum;
}

const ROUTES: readonly Route[] = ['none', 'noCapture', 'sampling64k', 'sampling1k', 'tracker'];
const LABEL: Record<Route, string> = {
  none: 'no monitoring',
  noCapture: 'monitoring, no capture',
  sampling64k: 'sampling, 64 KiB',
  sampling1k: 'sampling, 1 KiB',
  tracker: 'allocation tracker',
};
const ROUNDS = 5;
const LOOP_OBJECTS = 300_000;
const LOOPS_PER_ROUND = 3;
const CALLS_PER_ROUND = 6;
const CALL_OBJECTS = 20_000;
const RETAINED = 200_000;
const LEAKED = 50_000;

class Held {
  constructor(
    readonly i: number,
    readonly tag: string,
  ) {}
}
class Leaked {
  constructor(readonly i: number) {}
}
const held: Held[] = [];
let leaked: Leaked[] = [];

function start(route: Route): void {
  const native = addon();
  if (route === 'none') return;
  if (route === 'sampling64k') native.startAllocationSampling(65536, 8);
  if (route === 'sampling1k') native.startAllocationSampling(1024, 8);
  native.startTracking(route === 'tracker');
}

function stop(route: Route): void {
  if (route !== 'none') addon().stopTracking();
}

/** A monitored call: its boundaries, its work (a few objects kept), the survivor count. */
function monitoredCall(route: Route, keep: object[]): void {
  const native = addon();
  const before = route === 'none' ? 0 : native.markBoundary().lastObjectId;
  createShortLived(CALL_OBJECTS, 100);
  keep.push({ at: keep.length });
  if (route === 'none') return;
  const after = native.markBoundary().lastObjectId;
  native.countAlive(before, after);
}

function post(session: Session, method: string, params: object = {}): Promise<void> {
  return new Promise((resolve, reject) => session.post(method, params, (error) => (error ? reject(error) : resolve())));
}

async function main(): Promise<void> {
  for (let i = 0; i < RETAINED; i++) held.push(new Held(i, `h${i & 63}`));
  const loop = Object.fromEntries(ROUTES.map((r) => [r, [] as number[]])) as Record<Route, number[]>;
  const call = Object.fromEntries(ROUTES.map((r) => [r, [] as number[]])) as Record<Route, number[]>;
  const snapshot = [] as number[];
  const sites = [] as number[];
  const serialised = [] as number[];
  let serialisedChars = 0;
  let siteCount = 0;
  const session = new Session();
  session.connect();
  await post(session, 'HeapProfiler.enable');
  let chars = 0;
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => (chars += message.params.chunk.length));
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts at another route, so that no route always follows the same one.
    for (const route of ROUTES.map((_, k) => ROUTES[(k + round) % ROUTES.length]!)) {
      process.stderr.write(`allocation sites bench: round ${round + 1}/${ROUNDS}, ${LABEL[route]}\n`);
      start(route);
      createShortLived(LOOP_OBJECTS, 10_000); // warm: the code optimised, the profiler's tree grown
      for (let i = 0; i < LOOPS_PER_ROUND; i++) {
        const t = performance.now();
        createShortLived(LOOP_OBJECTS, 10_000);
        loop[route].push(performance.now() - t);
      }
      const keep: object[] = [];
      for (let i = 0; i < CALLS_PER_ROUND; i++) {
        const t = performance.now();
        monitoredCall(route, keep);
        call[route].push(performance.now() - t);
      }
      if (route === 'sampling1k' || route === 'tracker') {
        // A report on an epoch that leaked LEAKED objects.
        const native = addon();
        const afterId = native.markBoundary().lastObjectId;
        leaked = Array.from({ length: LEAKED }, (_, i) => new Leaked(i));
        const upToId = native.markBoundary().lastObjectId;
        if (route === 'sampling1k') {
          let t = performance.now();
          const graph = native.takeSnapshot();
          const rows = graph.summarizeRange(afterId, upToId, [], [], {});
          graph.dispose();
          snapshot.push(performance.now() - t);
          const shapes = new Map(rows.map((r) => [r.name, { count: r.count, sizes: r.objectSizes ?? [] }]));
          t = performance.now();
          siteCount = allocationSitesByType({ afterId, upToId }, shapes, { sourceLinesFromNodeModules: false }).get('Leaked')?.length ?? 0;
          sites.push(performance.now() - t);
        } else {
          chars = 0;
          const t = performance.now();
          await post(session, 'HeapProfiler.takeHeapSnapshot', { reportProgress: false });
          serialised.push(performance.now() - t);
          serialisedChars = chars;
        }
        leaked = [];
      }
      stop(route);
      globalThis.gc?.();
    }
  }
  session.disconnect();
  const base = (s: Record<Route, number[]>) => median(s.noCapture);
  const rows = ROUTES.map((route) => [
    LABEL[route],
    formatMs(median(loop[route])),
    formatRatio(median(loop[route]) / base(loop)),
    formatMs(median(call[route])),
    formatRatio(median(call[route]) / base(call)),
  ]);
  const out = [
    '## Allocation sites: what each route costs',
    '',
    `Medians of ${ROUNDS} interleaved rounds; a heap of ${RETAINED.toLocaleString('en')} retained objects. ` +
      `Loop: ${LOOP_OBJECTS.toLocaleString('en')} short-lived objects. Monitored call: two boundaries around ${CALL_OBJECTS.toLocaleString('en')} objects. ` +
      'Ratios are to "monitoring, no capture".',
    '',
    table(['route', 'loop', 'loop ratio', 'monitored call', 'call ratio'], rows),
    '',
    `Report on ${LEAKED.toLocaleString('en')} leaked objects: memalot's snapshot and type summary ${formatMs(median(snapshot))}; ` +
      `the sampling route's sites (1 KiB) ${formatMs(median(sites))} (${formatRatio(median(sites) / median(snapshot))} of it; ${siteCount} site(s) for Leaked); ` +
      `the tracker route's serialised snapshot, before any parsing ${formatMs(median(serialised))} (${formatRatio(median(serialised) / median(snapshot))}; ` +
      `${(serialisedChars / 2 ** 20).toFixed(1)} M characters).`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** This file's tables, from a fresh child process (for bench/run.ts). */
export function allocationSitesSection(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { encoding: 'utf8', timeout: 600_000 }, (error, stdout) =>
      error === null ? resolve(stdout.trimEnd()) : reject(new Error(`allocation-sites bench failed: ${error.message}`)),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
