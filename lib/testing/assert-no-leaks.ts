// assertNoLeaks(): a leak check for test suites. It calls `fn` under function-based discovery
// (lib/monitor) and rejects with an AssertionError, which every runner shows as a failure,
// when objects created during the checked calls outlive them.
import { AssertionError } from 'node:assert';
import { FunctionLeakMonitor } from '../monitor/function-based.js';
import type { IterationReport } from '../storage/schema.js';
import { failureMessage } from './message.js';
import { type AssertNoLeaksOptions, resolveTestOptions, WHERE } from './options.js';
import { judge, type Verdict } from './verdict.js';

// One check at a time per thread (and across copies of memalot, hence globalThis): each counts
// the objects created while its function runs, so two that overlap (concurrent tests) would
// count each other's.
const RUNNING = Symbol.for('memalot.assertNoLeaks.running');
type Registry = { [RUNNING]?: string };

function claim(name: string): () => void {
  const registry = globalThis as Registry;
  const other = registry[RUNNING];
  if (other !== undefined) {
    throw new Error(
      `memalot: ${WHERE} is already checking ${other} in this thread; checks cannot overlap, since each counts ` +
        `the objects created while it runs. Await each check before the next, and run leak-checking tests one at a time ` +
        `(not test.concurrent, nor { concurrency } in one file).`,
    );
  }
  registry[RUNNING] = name;
  return () => {
    if (registry[RUNNING] === name) delete registry[RUNNING];
  };
}

const leakFailures = new WeakSet<Error>();

/** Whether `error` is the failure of a check (a leak), not a bad option nor fn's own error. */
export function isLeakFailure(error: unknown): error is AssertionError {
  return error instanceof Error && leakFailures.has(error);
}

/**
 * Calls `fn` `calls` times (the `warmupCalls` first) and rejects with an `AssertionError` if
 * objects created during the checked calls are still alive after them. The message is the
 * report in short: the leaked types with their counts, what holds them, what `allow` accepted
 * and the ID of the saved report. An error thrown by `fn` is passed through unchanged.
 *
 * ```ts
 * await assertNoLeaks(async () => { await cache.handle(request()); }, { calls: 5, includedTypeNames: ['src/cache'] });
 * ```
 */
export async function assertNoLeaks(fn: () => unknown, options?: AssertNoLeaksOptions): Promise<void> {
  if (typeof fn !== 'function') throw new TypeError(`memalot: ${WHERE} takes a function to check; got ${fn === null ? 'null' : typeof fn}`);
  const resolved = resolveTestOptions(options);
  const name = fn.name || 'the function';
  const release = claim(name);
  let monitor: FunctionLeakMonitor | undefined;
  try {
    monitor = new FunctionLeakMonitor(resolved.monitor, name, WHERE);
    // Made before the first call, like everything memalot keeps: never counted.
    const reports: IterationReport[] = [];
    monitor.onReport = (report) => void reports.push(report);
    for (let i = 0; i < resolved.calls; i++) await monitor.run(fn);
    const verdicts = reports.map((report) => judge(report, resolved.allow));
    const failed = verdicts.filter((verdict) => verdict.leaked);
    const first: Verdict | undefined = failed[0];
    if (first !== undefined) {
      const failure = new AssertionError({
        message: failureMessage({
          functionName: name,
          verdict: first,
          failedChecks: failed.length,
          checks: verdicts.length,
          reportId: monitor.reportId,
          reportDirectory: monitor.reportDirectory,
        }),
        // As assert.fail(): runners then show the message alone, without an actual/expected diff.
        operator: 'fail',
        stackStartFn: assertNoLeaks,
      });
      leakFailures.add(failure);
      throw failure;
    }
    if (reports.length === 0) throw new Error(`memalot: ${WHERE}: no call of ${name} was checked (this is a bug in memalot)`);
  } finally {
    await monitor?.stop();
    release();
  }
}
