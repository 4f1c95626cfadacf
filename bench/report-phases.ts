// Where a report's time goes, phase by phase: builds a period with survivors on a heap of
// <heapMB>, then <count> times one bare TakeHeapSnapshot and one report with <maxObjectDetails>
// details, timing each native call the report makes (the snapshot, summarizeRange, the referrer
// searches, complete()...) by wrapping the addon's objects, and the process's RSS after each;
// the report's own code is unchanged.
//   node --expose-gc dist/bench/report-phases.js 50 30 2
import { addon, type NativeAddon, type NativeHeapGraph } from '../lib/native/addon.js';
import { gc, MB } from './heap.js';
import { bareSnapshot, makePeriod } from './period.js';
import { performance } from 'node:perf_hooks';

const [heapMB, details, count] = process.argv.slice(2).map(Number);
if (!(heapMB! > 0) || !(details! >= 0) || !(count! >= 1)) throw new Error('usage: report-phases <heapMB> <maxObjectDetails> <count>');

const phases = new Map<string, number>();
/** RSS (MB) right after each call, the last of each name. */
const rssAfter = new Map<string, number>();
function timed<T extends object>(target: T, label: (key: string) => string, wrapResult?: (key: string, value: unknown) => unknown): T {
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
          return wrapResult === undefined ? result : wrapResult(key, result);
        } finally {
          phases.set(label(key), (phases.get(label(key)) ?? 0) + performance.now() - t0);
          rssAfter.set(label(key), process.memoryUsage.rss() / 2 ** 20);
        }
      };
    },
  });
}

// The addon module's object is shared: its methods are replaced by timed ones for this process.
const native = addon() as NativeAddon & Record<string, unknown>;
const timedAddon = timed(native, (key) => key, (key, result) =>
  key === 'takeSnapshot' ? timed(result as NativeHeapGraph, (method) => `graph.${method}`) : result,
);
for (const key of ['takeSnapshot', 'markBoundary', 'countAlive', 'countObjectTypes', 'findObjects'] as const) {
  const original = native[key];
  if (typeof original === 'function') Object.defineProperty(native, key, { value: Reflect.get(timedAddon, key), configurable: true, writable: true });
}

const period = makePeriod(heapMB! * MB);
process.stderr.write(`report-phases: heap ${(period.heapUsed / MB).toFixed(1)} MB\n`);
for (let i = 0; i < count!; i++) {
  gc();
  phases.clear();
  const bare = bareSnapshot();
  gc();
  phases.clear();
  rssAfter.clear();
  const rssBefore = process.memoryUsage.rss() / 2 ** 20;
  const r = period.report(details!);
  const parts = [...phases].map(([name, ms]) => `${name} ${ms.toFixed(0)} ms (RSS after: ${rssAfter.get(name)!.toFixed(0)} MB)`).join(', ');
  process.stdout.write(`RSS before the report: ${rssBefore.toFixed(0)} MB\n`);
  process.stdout.write(`bare snapshot ${bare.ms.toFixed(0)} ms; report ${r.reportMs.toFixed(0)} ms (${(r.reportMs / bare.ms).toFixed(2)}x): ${parts}\n`);
}
