// Function-based monitoring, timed in a fresh process through memalot's public API:
//   node --expose-gc dist/bench/function-worker.js <small|large> <heapMB> <rounds>
// Builds the heap (bench/heap.ts, to heapMB used), times a small function plain (before any monitor exists, so with V8's object
// tracking off), then in rounds: the plain function again (tracking is on from the first monitored
// call to the end of the process: a leakMonitor() wrapper cannot be stopped), the function wrapped
// with leakMonitor() (every call monitored, nothing leaks), the same with callSampling, a monitored
// call that leaks (createLeakMonitor().run()), and the JS route on the same heap. Prints one JSON
// line (FunctionResult) on stdout; progress on stderr.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLeakMonitor, leakMonitor } from '../lib/index.js';
import {
  CALL_SAMPLING,
  CHECK_CALLS,
  type CheckResult,
  type FunctionResult,
  type HeapSize,
  LEAKED_PER_CALL,
  NO_LEAK_PER_ROUND,
  PLAIN_BATCH_CALLS,
  PLAIN_BATCHES_OFF,
  PLAIN_BATCHES_ON_PER_ROUND,
  PLAIN_WARMUP_BATCHES,
  SAMPLED_BATCH_BUDGET_MS,
  SAMPLED_MAX_MONITORED,
  WORK_OBJECTS,
} from './function-cases.js';
import { gc, growHeapTo, MB, retainedItems } from './heap.js';
import { jsRoute } from './js-route.js';

const now = (): number => performance.now();
const started = now();

function progress(size: HeapSize, message: string): void {
  process.stderr.write(`bench function ${size} [+${((now() - started) / 1000).toFixed(0)}s]: ${message}\n`);
}

class Point {
  readonly x: number;
  readonly y: number;
  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }
}

let sink: Point | undefined;

/** The small function: allocates WORK_OBJECTS short-lived objects and returns a number. */
function work(): number {
  let sum = 0;
  for (let i = 0; i < WORK_OBJECTS; i++) {
    const p = new Point(i, i + 1);
    sink = p; // defeats escape analysis
    sum += p.y;
  }
  sink = undefined;
  return sum;
}

/** What the leaking function keeps: small integers only, so one heap object each. */
class LeakRecord {
  readonly call: number;
  readonly index: number;
  constructor(call: number, index: number) {
    this.call = call;
    this.index = index;
  }
}

const kept: LeakRecord[] = [];
let leakyCalls = 0;

/** The leaking function: keeps LEAKED_PER_CALL objects per call in a module-level array. */
function leaky(): number {
  const call = leakyCalls++;
  for (let i = 0; i < LEAKED_PER_CALL; i++) kept.push(new LeakRecord(call, i));
  return kept.length;
}

let total = 0;

/** ms per call of `fn`, over PLAIN_BATCH_CALLS calls. */
function plainBatch(fn: () => number): number {
  let sum = 0;
  const t0 = now();
  for (let i = 0; i < PLAIN_BATCH_CALLS; i++) sum += fn();
  const ms = now() - t0;
  total += sum;
  return ms / PLAIN_BATCH_CALLS;
}

/** An outputFunc that only notes what each report's body says (the blocks are built either way). */
function reportCounter(): { outputFunc: (text: string) => void; noLeaks: number; withLeaks: number; lastCount: number } {
  const counter = {
    noLeaks: 0,
    withLeaks: 0,
    lastCount: -1,
    outputFunc: (text: string): void => {
      if (text.includes('No leaks found')) counter.noLeaks++;
      else if (text.includes('Possible New Leaks')) {
        counter.withLeaks++;
        const match = /(\d+) objects?(?: of \d+ types?)? created during/.exec(text);
        counter.lastCount = match === null ? -1 : Number(match[1]);
      }
    },
  };
  return counter;
}

/** The saved reports of the check monitor, in order. */
function readCheckReports(directory: string): { scan?: { snapshotTaken: boolean; survivingObjects: number; survivingBytes: number }; leakSummary: { totalTypes: number } }[] {
  const reports: { n: number; report: ReturnType<typeof readCheckReports>[number] }[] = [];
  for (const run of readdirSync(directory)) {
    for (const file of readdirSync(join(directory, run))) {
      const match = /^iteration_report_(\d+)\.json$/.exec(file);
      if (match !== null) reports.push({ n: Number(match[1]), report: JSON.parse(readFileSync(join(directory, run, file), 'utf8')) });
    }
  }
  return reports.sort((a, b) => a.n - b.n).map((r) => r.report);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<void> {
  const size = process.argv[2];
  const heapMB = Number(process.argv[3]);
  const rounds = Number(process.argv[4]);
  if ((size !== 'small' && size !== 'large') || !(heapMB > 0) || !(rounds >= 1)) {
    throw new Error('usage: function-worker <small|large> <heapMB> <rounds>');
  }
  const heapUsed = growHeapTo(heapMB * MB);
  progress(size, `heap ${(heapUsed / 2 ** 20).toFixed(1)} MB, ${retainedItems().toLocaleString('en-US')} Items`);

  // Compiled and optimized before anything is timed.
  for (let i = 0; i < 20; i++) plainBatch(work);
  leaky();
  leaky();

  const plainOff: number[] = [];
  gc();
  for (let b = 0; b < PLAIN_WARMUP_BATCHES; b++) plainBatch(work);
  for (let b = 0; b < PLAIN_BATCHES_OFF; b++) plainOff.push(plainBatch(work));

  // The check monitor: the options of the measured one, but saving its reports, so that the
  // benchmark can read whether each call took a heap snapshot. Its first call starts tracking.
  const checkDirectory = mkdtempSync(join(tmpdir(), 'memalot-bench-fn-'));
  let check: CheckResult;
  try {
    const checked = leakMonitor(work, { warmupCalls: 0, saveReports: true, reportDirectory: checkDirectory, outputFunc: () => {} });
    for (let i = 0; i < CHECK_CALLS[size]; i++) {
      gc();
      const t0 = now();
      checked();
      progress(size, `check call ${i + 1}/${CHECK_CALLS[size]}: ${(now() - t0).toFixed(1)} ms`);
    }
    const reports = readCheckReports(checkDirectory).slice(1); // the first call compiled memalot's code
    check = {
      calls: reports.length,
      snapshots: reports.filter((r) => r.scan?.snapshotTaken === true).length,
      survivingObjects: reports.map((r) => r.scan?.survivingObjects ?? -1),
      survivingBytes: reports.map((r) => r.scan?.survivingBytes ?? -1),
      summaryTypes: reports.reduce((sum, r) => sum + r.leakSummary.totalTypes, 0),
    };
  } finally {
    rmSync(checkDirectory, { recursive: true, force: true });
  }

  const options = { warmupCalls: 0, saveReports: false } as const;
  const noLeakCounter = reportCounter();
  const monitored = leakMonitor(work, { ...options, outputFunc: noLeakCounter.outputFunc });
  const sampledCounter = reportCounter();
  const sampledWork = leakMonitor(work, { ...options, callSampling: CALL_SAMPLING, outputFunc: sampledCounter.outputFunc });
  const leakCounter = reportCounter();
  const leakMonitorForCalls = createLeakMonitor({ ...options, functionName: 'leaky', outputFunc: leakCounter.outputFunc });

  const plainOn: number[] = [];
  const noLeak: number[] = [];
  const sampled: number[] = [];
  const leak: number[] = [];
  const leakReported: number[] = [];
  const js: number[] = [];
  let jsNodes = 0;
  let sampledMonitored = 0;
  try {
    for (let round = 1; round <= rounds; round++) {
      for (let b = 0; b < PLAIN_WARMUP_BATCHES; b++) plainBatch(work);
      for (let b = 0; b < PLAIN_BATCHES_ON_PER_ROUND; b++) plainOn.push(plainBatch(work));
      for (let i = 0; i < NO_LEAK_PER_ROUND[size]; i++) {
        gc();
        const t0 = now();
        total += monitored();
        noLeak.push(now() - t0);
      }
      // Sized once, from the first round's monitored calls: whole multiples of callSampling, so
      // that each batch holds exactly `sampledMonitored` monitored calls (the first of every 100).
      if (sampledMonitored === 0) {
        sampledMonitored = Math.max(1, Math.min(SAMPLED_MAX_MONITORED, Math.floor(SAMPLED_BATCH_BUDGET_MS[size] / median(noLeak))));
      }
      const calls = sampledMonitored * CALL_SAMPLING;
      gc();
      let sum = 0;
      const s0 = now();
      for (let i = 0; i < calls; i++) sum += sampledWork();
      sampled.push((now() - s0) / calls);
      total += sum;

      gc();
      const l0 = now();
      total += leakMonitorForCalls.run(leaky);
      leak.push(now() - l0);
      leakReported.push(leakCounter.lastCount);
      leakCounter.lastCount = -1;

      gc();
      const j0 = now();
      const route = await jsRoute();
      js.push(now() - j0);
      jsNodes = route.nodes;
      progress(
        size,
        `round ${round}/${rounds}: plain ${(plainOn.at(-1)! * 1e6).toFixed(0)} ns, monitored ${noLeak.at(-1)!.toFixed(1)} ms, ` +
          `sampled ${sampled.at(-1)!.toFixed(2)} ms/call (${calls} calls), leaking ${leak.at(-1)!.toFixed(0)} ms ` +
          `(${leakReported.at(-1)} reported), JS route ${js.at(-1)!.toFixed(0)} ms`,
      );
    }
  } finally {
    await leakMonitorForCalls.stop();
  }

  const result: FunctionResult = {
    size,
    heapUsed,
    items: retainedItems(),
    jsNodes,
    plainOff,
    plainOn,
    noLeak,
    sampledCalls: sampledMonitored * CALL_SAMPLING,
    sampledMonitored,
    sampled,
    leak,
    leakReported,
    jsRoute: js,
    noLeakReports: { noLeaks: noLeakCounter.noLeaks, withLeaks: noLeakCounter.withLeaks },
    sampledReports: { noLeaks: sampledCounter.noLeaks, withLeaks: sampledCounter.withLeaks },
    check,
  };
  if (total === -1) process.stderr.write('unreachable\n'); // keeps `total` (and so every call's result) observable
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`function-worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
