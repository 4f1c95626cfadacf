// memalot's benchmark: `npm run bench` (node --expose-gc dist/bench/run.js).
//
// Every claim is a ratio of two things measured side by side in this one run, on heaps that
// this process builds: a small (~5 MB) and a large (~48 MB) heap of many small objects.
// Timings run in rounds (each case once or a few times per round, in the same order), so
// that drift on a noisy machine hits every case alike. Memory is measured first, in fresh
// child processes (bench/memory-worker.ts; maxRSS is process-wide), before this process grows.
// Function-based monitoring is timed last, in one fresh child process per heap size
// (bench/function-worker.ts, through memalot's public API): a leakMonitor() wrapper holds the
// thread's monitor slot, and V8's object tracking, for the rest of its process.
// Progress goes to stderr; the markdown tables to stdout.
import { execFile } from 'node:child_process';
import { cpus, platform, arch, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { addon } from '../lib/native/addon.js';
import { allocationSitesSection } from './allocation-sites.js';
import { createAndDrop, createShortLived } from './churn.js';
import { closeEpoch, iteration, lastScan, makeLeaks, markBoundaryOnce, releaseLeaks, startTracking, stopTracking } from './epochs.js';
import { dropHeap, gc, growHeapTo, HEAP_TARGETS, heapSizeLimitMB, type HeapSize, retainedItems } from './heap.js';
import { jsRoute, writeSnapshotFile } from './js-route.js';
import { CALL_SAMPLING, type FunctionResult, LEAKED_PER_CALL, PLAIN_BATCH_CALLS, PLAIN_WARMUP_BATCHES, SAMPLED_MAX_MONITORED, WORK_OBJECTS } from './function-cases.js';
import { LEAKED_SESSIONS, MEMORY_CASES, MEMORY_CHILDREN, type MemoryCase, type MemoryChild, type MemoryResult } from './memory-cases.js';
import { DETAILS_ROUNDS, type DetailsResult, detailsSection } from './details-cases.js';
import { formatBigRatio, formatCount, formatDuration, formatMB, formatMs, formatRatio, Samples, samplesOf, table } from './stats.js';

const SIZES: readonly HeapSize[] = ['small', 'large'];
/** Rounds per heap size: each snapshot case runs once per round, the cheap cases CHEAP_PER_ROUND times. */
const ROUNDS: Record<HeapSize, number> = { small: 5, large: 3 };
const CHEAP_PER_ROUND = 3;
const CHURN_OBJECTS = 2_000_000;
const CHURN_RING = 10_000;
/** Tracking is switched on and off CHURN_PAIRS times each; every switch runs each loop CHURN_WARMUP + CHURN_RUNS times. */
const CHURN_PAIRS = 3;
const CHURN_WARMUP = 3;
const CHURN_RUNS = 5;

const now = (): number => performance.now();
const benchStart = now();

function progress(message: string): void {
  process.stderr.write(`bench [${((now() - benchStart) / 1000).toFixed(0)}s]: ${message}\n`);
}

type TimeCase = 'gc' | 'mark' | 'iterNone' | 'iterSurv' | 'scanEpoch' | 'writeFile' | 'jsRoute';

interface SizeResult {
  readonly size: HeapSize;
  readonly heapUsed: number;
  readonly items: number;
  /** Nodes in memalot's snapshot (the with-survivors scan) and in the JS route's snapshot. */
  snapshotNodes: number;
  jsNodes: number;
  jsonChars: number;
  fileBytes: number;
  survivingObjects: number;
  /** Iterations meant to have no survivors that found some: left out of iterNone. */
  noSurvivorRunsWithSnapshot: number;
  /** Of those, the ones whose survivors were all V8-internal (compiled code, shapes): empty summary. */
  noSurvivorRunsInternalOnly: number;
  /** Survivors those runs found, summed. */
  noSurvivorRunsSurvivors: number;
  /** With-survivors iterations that took no snapshot (should be none). */
  survivorRunsWithoutSnapshot: number;
  /** Of those, the ones where scanEpoch skipped the snapshot for want of memory. */
  survivorRunsSkipped: number;
  readonly samples: Record<TimeCase, Samples>;
}

function newSamples(): Record<TimeCase, Samples> {
  const n = 64;
  return {
    gc: new Samples(n),
    mark: new Samples(n),
    iterNone: new Samples(n),
    iterSurv: new Samples(n),
    scanEpoch: new Samples(n),
    writeFile: new Samples(n),
    jsRoute: new Samples(n),
  };
}

/**
 * The memalot part of one round. Synchronous, and records only into typed arrays, so that the
 * benchmark leaves no objects of its own alive in the epochs that the iterations examine.
 */
function trackingRound(result: SizeResult): void {
  const s = result.samples;
  startTracking();
  for (let i = 0; i < CHEAP_PER_ROUND; i++) {
    const t0 = now();
    markBoundaryOnce();
    s.mark.add(now() - t0);
  }
  closeEpoch(); // the epoch of the bare boundaries above, examined by no one
  closeEpoch(); // an empty epoch, for the first iteration below
  for (let i = 0; i < CHEAP_PER_ROUND; i++) {
    const t0 = now();
    iteration();
    const ms = now() - t0;
    if (lastScan[3] === 0) {
      s.iterNone.add(ms);
    } else {
      result.noSurvivorRunsWithSnapshot++;
      result.noSurvivorRunsSurvivors += lastScan[3]!;
      if (lastScan[6] === 0) result.noSurvivorRunsInternalOnly++;
    }
  }
  // Leaks made in one epoch are examined by the iteration after the one that closes it.
  makeLeaks(LEAKED_SESSIONS);
  closeEpoch();
  const t0 = now();
  iteration();
  const ms = now() - t0;
  releaseLeaks();
  if (lastScan[1] === 1) {
    s.iterSurv.add(ms);
    s.scanEpoch.add(lastScan[4]!);
    result.snapshotNodes = lastScan[2]!;
    result.survivingObjects = lastScan[3]!;
  } else {
    result.survivorRunsWithoutSnapshot++;
    if (lastScan[5] === 1) result.survivorRunsSkipped++;
  }
  stopTracking();
}

async function measureSize(size: HeapSize): Promise<SizeResult> {
  dropHeap();
  const t0 = now();
  const heapUsed = growHeapTo(HEAP_TARGETS[size]);
  progress(`${size} heap: ${formatMB(heapUsed)} used, ${retainedItems().toLocaleString('en-US')} Items (built in ${formatMs(now() - t0)})`);
  const result: SizeResult = {
    size,
    heapUsed,
    items: retainedItems(),
    snapshotNodes: 0,
    jsNodes: 0,
    jsonChars: 0,
    fileBytes: 0,
    survivingObjects: 0,
    noSurvivorRunsWithSnapshot: 0,
    noSurvivorRunsInternalOnly: 0,
    noSurvivorRunsSurvivors: 0,
    survivorRunsWithoutSnapshot: 0,
    survivorRunsSkipped: 0,
    samples: newSamples(),
  };
  const s = result.samples;
  for (let round = 1; round <= ROUNDS[size]; round++) {
    gc();
    gc();
    for (let i = 0; i < CHEAP_PER_ROUND; i++) {
      const g0 = now();
      gc();
      s.gc.add(now() - g0);
    }
    trackingRound(result);
    gc();
    // The same leaked objects alive as in memalot's scan, so that all snapshots hold the same heap.
    makeLeaks(LEAKED_SESSIONS);
    gc();
    const w = writeSnapshotFile(now);
    s.writeFile.add(w.ms);
    result.fileBytes = w.bytes;
    gc();
    const j0 = now();
    const js = await jsRoute();
    s.jsRoute.add(now() - j0);
    releaseLeaks();
    result.jsNodes = js.nodes;
    result.jsonChars = js.jsonChars;
    progress(
      `${size} round ${round}/${ROUNDS[size]}: gc ${formatMs(s.gc.median())}, markBoundary ${formatMs(s.mark.median())}, ` +
        `iteration without survivors ${formatMs(s.iterNone.median())}, with survivors ${formatMs(s.iterSurv.median())}, ` +
        `writeHeapSnapshot ${formatMs(s.writeFile.median())}, getHeapSnapshot+JSON.parse ${formatMs(s.jsRoute.median())} (medians so far)`,
    );
  }
  gc();
  return result;
}

interface ChurnResult {
  readonly name: string;
  readonly off: Samples;
  readonly on: Samples;
}

/** The allocation loops with tracking off and on, alternating which state goes first. */
function measureChurn(): ChurnResult[] {
  const loops: { name: string; run: () => number }[] = [
    { name: `create and drop ${CHURN_OBJECTS.toLocaleString('en-US')} small objects`, run: () => createAndDrop(CHURN_OBJECTS) },
    {
      name: `${CHURN_OBJECTS.toLocaleString('en-US')} small objects, each kept for the next ${CHURN_RING.toLocaleString('en-US')} allocations`,
      run: () => createShortLived(CHURN_OBJECTS, CHURN_RING),
    },
  ];
  const n = CHURN_PAIRS * CHURN_RUNS;
  const results = loops.map((loop) => ({ name: loop.name, off: new Samples(n), on: new Samples(n) }));
  // No GC between runs: a forced full GC shrinks the young generation and makes the next run
  // slower and noisier than a running program's steady state. The first runs after each switch
  // (while the young generation grows back, and the first of which compiles the loops) are left out.
  const runAll = (tracking: boolean): void => {
    if (tracking) startTracking();
    gc();
    for (let run = 0; run < CHURN_WARMUP; run++) for (const loop of loops) loop.run();
    for (let run = 0; run < CHURN_RUNS; run++) {
      loops.forEach((loop, i) => {
        const t0 = now();
        loop.run();
        const ms = now() - t0;
        results[i]![tracking ? 'on' : 'off'].add(ms);
      });
    }
    if (tracking) stopTracking();
  };
  for (let pair = 0; pair < CHURN_PAIRS; pair++) {
    const trackingFirst = pair % 2 === 1;
    runAll(trackingFirst);
    runAll(!trackingFirst);
  }
  for (const r of results) progress(`churn "${r.name}": off ${formatMs(r.off.median())}, on ${formatMs(r.on.median())}`);
  return results;
}

/** One child process of bench/memory-worker.js; resolves to the results it printed. */
function runMemoryChild(child: MemoryChild, size: HeapSize): Promise<MemoryResult[]> {
  const worker = fileURLToPath(new URL('./memory-worker.js', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', worker, child, size],
      { encoding: 'utf8', timeout: 150_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (stderr !== '') process.stderr.write(stderr);
        if (error !== null) {
          reject(new Error(`memory worker ${child} ${size} failed: ${error.message}`));
          return;
        }
        const results = stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as MemoryResult);
        for (const r of results) {
          progress(
            `memory ${r.case} ${r.size}: RSS ${formatMB(r.rssBefore)} before, peak +${formatMB(r.peakRss - r.rssBefore)} ` +
              `(${r.peakExact ? 'maxRSS' : 'sampled'}; sampled +${formatMB(r.sampledPeakRss - r.rssBefore)}, ` +
              `maxRSS before the operation ${formatMB(r.maxRssBefore)}), ${formatMs(r.opMs)}`,
          );
        }
        resolve(results);
      },
    );
  });
}

/**
 * All memory children, two at a time: peak RSS is per process, so they do not disturb each
 * other's numbers, and no timing runs meanwhile (the children's own durations are not reported).
 */
async function measureMemory(): Promise<Map<string, MemoryResult>> {
  const jobs: [MemoryChild, HeapSize][] = [];
  for (const size of ['large', 'small'] as const) for (const child of MEMORY_CHILDREN) jobs.push([child, size]);
  const memory = new Map<string, MemoryResult>();
  const runNext = async (): Promise<void> => {
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
      for (const r of await runMemoryChild(...job)) memory.set(`${r.case}/${r.size}`, r);
    }
  };
  await Promise.all([runNext(), runNext()]);
  return memory;
}

/** One child process of a worker script in bench/, which prints its result as one JSON line. */
function runWorker<T>(script: string, args: readonly string[], what: string): Promise<T> {
  const worker = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--expose-gc', worker, ...args],
      { encoding: 'utf8', timeout: 300_000, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        if (error !== null) {
          reject(new Error(`${what} failed: ${error.message}`));
          return;
        }
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (line === undefined) {
          reject(new Error(`${what} printed no result`));
          return;
        }
        resolve(JSON.parse(line) as T);
      },
    );
    // Its progress, as it comes.
    child.stderr?.on('data', (chunk: string) => process.stderr.write(chunk));
  });
}

/** The function-based cases on one heap (bench/function-worker.ts). */
function runFunctionChild(size: HeapSize, items: number): Promise<FunctionResult> {
  return runWorker<FunctionResult>('./function-worker.js', [size, String(items)], `function worker ${size}`);
}

function timeCell(s: Samples): string {
  if (s.length === 0) return 'n/a';
  return `${formatMs(s.median())} (min ${formatMs(s.min())})`;
}

function ratioCell(s: Samples, base: Samples): string {
  return s.length === 0 ? 'n/a' : formatRatio(s.median() / base.median());
}

function heapLabel(r: SizeResult): string {
  return `${r.size} heap (${formatMB(r.heapUsed)}, ${formatCount(r.snapshotNodes || r.jsNodes)} nodes)`;
}

async function main(): Promise<void> {
  if ((globalThis as { gc?: unknown }).gc === undefined) throw new Error('run with node --expose-gc (npm run bench)');
  const started = now();
  const native = addon();
  progress(`Node ${process.version}, V8 ${process.versions.v8}, addon ${native.buildInfo}`);

  // Memory first, while this process is small: a child's maxRSS starts from its parent's RSS at
  // the fork (Linux keeps the high-water mark across exec), which must stay below what is measured.
  const memory = await measureMemory();

  const sizes: SizeResult[] = [];
  let churn: ChurnResult[] = [];
  for (const size of SIZES) {
    sizes.push(await measureSize(size));
    // Tracking's cost to the program, measured while the large heap is in place.
    if (size === 'large') churn = measureChurn();
  }
  dropHeap();

  // Function-based monitoring last, one child per heap, with this process's retained objects.
  const functions: FunctionResult[] = [];
  for (const r of sizes) {
    functions.push(await runFunctionChild(r.size, r.items));
    progress(`function-based ${r.size} heap done`);
  }

  // Object details last, in a fresh child with a heap of its own (bench/details-worker.ts).
  const details = await runWorker<DetailsResult>('./details-worker.js', [String(DETAILS_ROUNDS)], 'details worker');
  progress('object details done');

  // ---- Output ----
  const cpu = cpus();
  const out: string[] = [];
  out.push(
    `Node ${process.version} (V8 ${process.versions.v8}), ${platform()}-${arch()}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM, V8 heap size limit ${heapSizeLimitMB().toFixed(0)} MB, ${new Date().toISOString().slice(0, 10)}. ` +
      sizes
        .map(
          (r) =>
            `${r.size[0]!.toUpperCase()}${r.size.slice(1)} heap: ${formatMB(r.heapUsed)} used (Node's own objects and ${r.items.toLocaleString('en-US')} ` +
            `retained objects of one class, each with a string, number and object field), ` +
            `${r.snapshotNodes.toLocaleString('en-US')} snapshot nodes with the leaked objects below`,
        )
        .join('; ') +
      '.',
  );
  out.push('');
  const small = sizes[0]!;
  const large = sizes[1]!;
  const leaked = `${LEAKED_SESSIONS.toLocaleString('en-US')} leaked objects (${formatCount(large.survivingObjects)} heap objects with their fields)`;
  out.push(
    `**Time** (median of ${small.samples.jsRoute.length} runs on the small heap and ${large.samples.jsRoute.length} on the large one ` +
      `for the snapshot cases, ${small.samples.gc.length} and ${large.samples.gc.length} for the others; ratio = median ÷ median of the JS route on the same heap)`,
  );
  out.push('');
  const rows: [string, TimeCase][] = [
    ['`global.gc()`: a full GC, the floor', 'gc'],
    ['`markBoundary()`: one epoch boundary (full GC + heap-objects map update)', 'mark'],
    ['memalot iteration, no survivors: `markBoundary()` + `countAlive()` + `markBoundary()`, no snapshot', 'iterNone'],
    [`memalot iteration with ${leaked}: \`markBoundary()\` + \`scanEpoch()\` + \`markBoundary()\``, 'iterSurv'],
    ['&nbsp;&nbsp;of which `scanEpoch()`: `countAlive` + `takeSnapshot` + `summarizeRange` + `dispose`', 'scanEpoch'],
    ['`v8.writeHeapSnapshot()` to a temp file', 'writeFile'],
    ['`v8.getHeapSnapshot()` read fully + `JSON.parse` (the JS route)', 'jsRoute'],
  ];
  out.push(
    table(
      ['Operation', heapLabel(small), 'vs JS route', heapLabel(large), 'vs JS route'],
      rows.map(([label, key]) => [
        label,
        timeCell(small.samples[key]),
        ratioCell(small.samples[key], small.samples.jsRoute),
        timeCell(large.samples[key]),
        ratioCell(large.samples[key], large.samples.jsRoute),
      ]),
    ),
  );
  out.push('');

  const mem = (kind: MemoryCase, size: HeapSize): MemoryResult => {
    const m = memory.get(`${kind}/${size}`);
    if (m === undefined) throw new Error(`no memory result for ${kind} on the ${size} heap`);
    return m;
  };
  const growth = (m: MemoryResult): number => m.peakRss - m.rssBefore;
  const memCell = (m: MemoryResult): string => `+${formatMB(growth(m))}${m.peakExact ? '' : ' *'}`;
  const memRatio = (m: MemoryResult, size: HeapSize): string => formatRatio(growth(m) / growth(mem('js-route', size)));
  const memLabels: Record<MemoryCase, string> = {
    'iter-none': 'memalot iteration, no survivors',
    'iter-surv': `memalot iteration with ${LEAKED_SESSIONS.toLocaleString('en-US')} leaked objects (heap snapshot taken)`,
    'write-file': '`v8.writeHeapSnapshot()` to a temp file',
    'js-route': '`v8.getHeapSnapshot()` read fully + `JSON.parse` (the JS route)',
  };
  const anySampled = [...memory.values()].some((m) => !m.peakExact);
  out.push(
    '**Peak memory** (RSS growth during one operation over the RSS just before it, and the growth still there after the operation and a full GC; measured in fresh child processes of the same Node ' +
      'that build the same heap: one for each JS route, one for both memalot iterations, no survivors first; ' +
      `the ${LEAKED_SESSIONS.toLocaleString('en-US')} leaked objects are alive in all but the no-survivors case; ` +
      'peak from `process.resourceUsage().maxRSS`' +
      (anySampled ? ', or, marked *, from RSS sampled every 1 ms when the operation did not set a new process peak' : '') +
      ')',
  );
  out.push('');
  const kept = (m: MemoryResult): string => `${m.rssAfter >= m.rssBefore ? '+' : '−'}${formatMB(Math.abs(m.rssAfter - m.rssBefore))}`;
  const memRows = MEMORY_CASES.map((kind) => [
    memLabels[kind],
    memCell(mem(kind, 'small')),
    memRatio(mem(kind, 'small'), 'small'),
    kept(mem(kind, 'small')),
    memCell(mem(kind, 'large')),
    memRatio(mem(kind, 'large'), 'large'),
    kept(mem(kind, 'large')),
  ]);
  memRows.push([
    'resident while tracking: RSS after `startTracking()` − before (V8\'s heap-objects map)',
    `+${formatMB(mem('iter-none', 'small').trackingRss ?? 0)}`,
    '',
    '',
    `+${formatMB(mem('iter-none', 'large').trackingRss ?? 0)}`,
    '',
    '',
  ]);
  out.push(
    table(
      [
        'Operation',
        `small heap (${formatMB(mem('js-route', 'small').heapUsed)}): peak`,
        'vs JS route',
        'kept after a GC',
        `large heap (${formatMB(mem('js-route', 'large').heapUsed)}): peak`,
        'vs JS route',
        'kept after a GC',
      ],
      memRows,
    ),
  );
  out.push('');

  out.push(
    `**Cost of tracking to the program** (the same allocation loop with \`startTracking()\` active and not, on the large heap; ` +
      `median of ${CHURN_PAIRS * CHURN_RUNS} runs each, in steady state (no forced GC between runs, the first ${CHURN_WARMUP} after each switch left out); tracking switched on and off ${CHURN_PAIRS} times)`,
  );
  out.push('');
  out.push(
    table(
      ['Allocation loop', 'tracking off', 'tracking on', 'on ÷ off'],
      churn.map((c) => [c.name, timeCell(c.off), timeCell(c.on), formatRatio(c.on.median() / c.off.median())]),
    ),
  );
  out.push('');

  const fnSmall = functions[0]!;
  const fnLarge = functions[1]!;
  const fn = (f: FunctionResult) => ({
    plainOff: samplesOf(f.plainOff),
    plainOn: samplesOf(f.plainOn),
    noLeak: samplesOf(f.noLeak),
    sampled: samplesOf(f.sampled),
    leak: samplesOf(f.leak),
    jsRoute: samplesOf(f.jsRoute),
  });
  const fs = fn(fnSmall);
  const fl = fn(fnLarge);
  type FnSamples = ReturnType<typeof fn>;
  /** A row: its label, then the same cells for the small heap and for the large one. */
  const both = (label: string, cells: (r: FnSamples) => string[]): string[] => [label, ...cells(fs), ...cells(fl)];
  const durationCell = (s: Samples): string => (s.length === 0 ? 'n/a' : `${formatDuration(s.median())} (min ${formatDuration(s.min())})`);
  const bigRatioCell = (s: Samples, base: Samples): string => (s.length === 0 ? 'n/a' : formatBigRatio(s.median() / base.median()));
  const fnHeapLabel = (f: FunctionResult): string =>
    `${f.size} heap (${formatMB(f.heapUsed)}, ${formatCount(f.jsNodes)} nodes)`;
  const batches = (n: number, calls: number): string => `${n} × ${calls.toLocaleString('en-US')} calls`;
  const sampledLabel = (f: FunctionResult): string => `${f.sampledCalls.toLocaleString('en-US')} calls (${f.sampledMonitored} monitored)`;
  out.push(
    `**Function-based monitoring: cost per call** (\`work()\` allocates ${WORK_OBJECTS} small objects, drops them and returns a number; ` +
      'monitored as `leakMonitor(work, { warmupCalls: 0, saveReports: false, outputFunc })`, whose outputFunc only notes whether each report found leaks. ' +
      'Measured through the public API in a fresh child process of the same Node per heap, holding the same retained objects as above ' +
      `(${fnSmall.items.toLocaleString('en-US')} and ${fnLarge.items.toLocaleString('en-US')} Items; the heap is bigger by the modules memalot's public API loads), ` +
      'in rounds: the monitored cases once or a few times per round, the plain calls in batches of ' +
      `${PLAIN_BATCH_CALLS.toLocaleString('en-US')} calls in steady state (each round first runs ${PLAIN_WARMUP_BATCHES} batches untimed). ` +
      'Once a `leakMonitor()` wrapper has run, V8\'s object tracking stays on for the life of the process, so the plain calls without memalot are timed before any monitor exists. ' +
      'Ratio = median ÷ median of the plain call without memalot on the same heap; "runs" is how many values each median is of)',
  );
  out.push('');
  out.push(
    table(
      ['Call', fnHeapLabel(fnSmall), 'vs plain call', 'runs', fnHeapLabel(fnLarge), 'vs plain call', 'runs'],
      [
        both('plain `work()`, no memalot (tracking off)', (r) => [durationCell(r.plainOff), bigRatioCell(r.plainOff, r.plainOff), batches(r.plainOff.length, PLAIN_BATCH_CALLS)]),
        both('plain `work()` while tracking is on (after the first monitored call)', (r) => [durationCell(r.plainOn), bigRatioCell(r.plainOn, r.plainOff), batches(r.plainOn.length, PLAIN_BATCH_CALLS)]),
        both('`leakMonitor(work)`, every call monitored, nothing leaks: two boundaries, `countAlive`, a "no leaks" report (and a heap snapshot if anything counted as surviving)', (r) => [durationCell(r.noLeak), bigRatioCell(r.noLeak, r.plainOff), `${r.noLeak.length} calls`]),
        both(`\`leakMonitor(work, { callSampling: ${CALL_SAMPLING} })\`: per call, averaged over batches of ${sampledLabel(fnSmall)} on the small heap, ${sampledLabel(fnLarge)} on the large one (sized to the monitored call's cost, at most ${(CALL_SAMPLING * SAMPLED_MAX_MONITORED).toLocaleString('en-US')} calls)`, (r) => [durationCell(r.sampled), bigRatioCell(r.sampled, r.plainOff), `${r.sampled.length} batches`]),
      ],
    ),
  );
  out.push('');
  out.push(
    `**Function-based monitoring: a call that leaks** (\`createLeakMonitor({ warmupCalls: 0, saveReports: false, outputFunc }).run(leaky)\`, where \`leaky()\` keeps ` +
      `${LEAKED_PER_CALL.toLocaleString('en-US')} objects per call in a module-level array: the call's report takes a heap snapshot; in the same child processes, ` +
      'each round timing one such call and then the JS route on the same heap; ratio = median ÷ median of the JS route in the same child)',
  );
  out.push('');
  out.push(
    table(
      ['Operation', fnHeapLabel(fnSmall), 'vs JS route', 'runs', fnHeapLabel(fnLarge), 'vs JS route', 'runs'],
      [
        both(`monitored call that leaks ${LEAKED_PER_CALL.toLocaleString('en-US')} objects, report included`, (r) => [timeCell(r.leak), ratioCell(r.leak, r.jsRoute), `${r.leak.length} calls`]),
        both('monitored call that leaks nothing (from the table above)', (r) => [timeCell(r.noLeak), ratioCell(r.noLeak, r.jsRoute), `${r.noLeak.length} calls`]),
        both('`v8.getHeapSnapshot()` read fully + `JSON.parse` (the JS route), in the same child', (r) => [timeCell(r.jsRoute), ratioCell(r.jsRoute, r.jsRoute), `${r.jsRoute.length} runs`]),
      ],
    ),
  );
  out.push('');

  out.push(...detailsSection(details));
  out.push('');

  const bullet = (r: SizeResult): string => {
    const js = r.samples.jsRoute.median();
    const part = (key: TimeCase): string => formatRatio(r.samples[key].median() / js);
    const m = (kind: MemoryCase): string => memRatio(mem(kind, r.size), r.size);
    return (
      `- ${r.size} heap: iteration with survivors (scan with snapshot) ${part('iterSurv')} of getHeapSnapshot+JSON.parse in time, ` +
      `${m('iter-surv')} in peak memory; iteration without survivors ${part('iterNone')} in time, ${m('iter-none')} in peak memory; ` +
      `markBoundary ${formatRatio(r.samples.mark.median() / r.samples.gc.median())} of a bare full GC.`
    );
  };
  out.push('In short:');
  out.push('');
  for (const r of sizes) out.push(bullet(r));
  for (const c of churn) out.push(`- tracking active: "${c.name}" takes ${formatRatio(c.on.median() / c.off.median())} the time.`);
  const smallLarge = (get: (s: FnSamples) => string): string => `${get(fs)} / ${get(fl)}`;
  out.push(
    `- function-based (small / large heap): a monitored call of \`work()\` that leaks nothing takes ${smallLarge((s) => formatBigRatio(s.noLeak.median() / s.plainOff.median()))} ` +
      `the time of a plain call (${smallLarge((s) => formatDuration(s.noLeak.median()))}); with \`callSampling: ${CALL_SAMPLING}\`, ` +
      `${smallLarge((s) => formatBigRatio(s.sampled.median() / s.plainOff.median()))} per call on average; a monitored call that leaks ` +
      `${LEAKED_PER_CALL.toLocaleString('en-US')} objects, report included, ${smallLarge((s) => formatRatio(s.leak.median() / s.jsRoute.median()))} of getHeapSnapshot+JSON.parse.`,
  );

  const notes: string[] = [];
  for (const r of sizes) {
    if (r.noSurvivorRunsWithSnapshot > 0) {
      const attempts = r.samples.iterNone.length + r.noSurvivorRunsWithSnapshot;
      notes.push(
        `${r.size} heap: ${r.noSurvivorRunsWithSnapshot} of ${attempts} iterations meant to have no survivors found some ` +
          `(${r.noSurvivorRunsSurvivors} object${r.noSurvivorRunsSurvivors === 1 ? '' : 's'} in all; in ${r.noSurvivorRunsInternalOnly} of them only V8's own objects such as compiled code, ` +
          'which scanEpoch leaves out of the summary) and so took a heap snapshot; they are left out of that row.',
      );
    }
    if (r.survivorRunsWithoutSnapshot > 0) {
      notes.push(`${r.size} heap: ${r.survivorRunsWithoutSnapshot} iteration(s) with leaked objects took no snapshot (${r.survivorRunsSkipped} skipped by scanEpoch for want of memory); they are left out of that row.`);
    }
    // Both snapshots hold the same heap (the leaked objects are kept alive for the JS route too).
    if (r.snapshotNodes > 0 && r.jsNodes > 0 && Math.abs(r.snapshotNodes - r.jsNodes) / r.jsNodes > 0.05) {
      notes.push(`${r.size} heap: memalot's snapshot had ${r.snapshotNodes} nodes, the JS route's ${r.jsNodes}.`);
    }
  }
  for (const [key, m] of memory) {
    if (m.case === 'iter-none' && m.snapshotTaken) notes.push(`memory ${key}: the iteration found survivors and took a snapshot.`);
    if (m.case === 'iter-surv' && !m.snapshotTaken) notes.push(`memory ${key}: the iteration took no snapshot (${m.survivingObjects} survivors).`);
  }
  for (const f of functions) {
    const s = f.size === 'small' ? fs : fl;
    const c = f.check;
    if (c.snapshots > 0) {
      const objects = [...new Set(c.survivingObjects)].join(' or ');
      const bytes = [...new Set(c.survivingBytes)].map((b) => b.toLocaleString('en-US')).join(' or ');
      notes.push(
        `${f.size} heap, function-based: ${c.snapshots} of ${c.calls} call${c.calls === 1 ? '' : 's'} of \`work()\` checked (through a monitor with the same options that saves its reports, after its first call) ` +
          `took a heap snapshot, as the saved reports say: \`countAlive\` counted ${objects} objects (${bytes} bytes) alive from each call, ` +
          `${c.summaryTypes === 0 ? 'none of which the summary shows' : `with ${c.summaryTypes} types in the summaries`}. ` +
          'So a monitored call that leaks nothing costs a heap snapshot, not just two boundaries.',
      );
    } else if (c.calls > 0) {
      notes.push(
        `${f.size} heap, function-based: none of the ${c.calls} calls of \`work()\` checked through a monitor that saves its reports took a heap snapshot ` +
          `(\`countAlive\` counted ${[...new Set(c.survivingObjects)].join(' or ')} objects alive from each).`,
      );
    }
    const leakMedian = s.leak.median();
    const snapshotLike = f.noLeak.filter((ms) => ms >= leakMedian / 2).length;
    if (snapshotLike > 0) {
      notes.push(
        `${f.size} heap, function-based: ${snapshotLike} of ${f.noLeak.length} timed calls that leak nothing took at least half as long as the median call that leaks (which takes a heap snapshot).`,
      );
    }
    if (f.noLeakReports.withLeaks > 0 || f.sampledReports.withLeaks > 0) {
      notes.push(`${f.size} heap, function-based: ${f.noLeakReports.withLeaks + f.sampledReports.withLeaks} reports on \`work()\` found leaks.`);
    }
    const expectedReports = f.noLeak.length + f.sampled.length * f.sampledMonitored;
    if (f.noLeakReports.noLeaks + f.sampledReports.noLeaks + f.noLeakReports.withLeaks + f.sampledReports.withLeaks !== expectedReports) {
      notes.push(
        `${f.size} heap, function-based: ${expectedReports} monitored calls of \`work()\` but ${f.noLeakReports.noLeaks + f.sampledReports.noLeaks} "no leaks" reports ` +
          `and ${f.noLeakReports.withLeaks + f.sampledReports.withLeaks} with leaks.`,
      );
    }
    const wrong = f.leakReported.filter((n) => n !== LEAKED_PER_CALL);
    if (wrong.length > 0) {
      notes.push(`${f.size} heap, function-based: ${wrong.length} reports on \`leaky()\` counted ${wrong.join(', ')} objects instead of ${LEAKED_PER_CALL} (-1: no leak found).`);
    }
  }
  if (notes.length > 0) {
    out.push('');
    out.push('Notes:');
    for (const n of notes) out.push(`- ${n}`);
  }
  out.push('');
  out.push(
    `(JSON text of the large heap's snapshot: ${formatMB(large.jsonChars)}, file ${formatMB(large.fileBytes)}; whole benchmark ${formatMs(now() - started)}.)`,
  );
  progress('allocation sites (a child process)');
  out.push('', await allocationSitesSection());
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
