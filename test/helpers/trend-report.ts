// A report with the two trends the verdict must tell apart, saved by a real monitored program:
//   SteadyLeak: 5 more every 50 ms for the whole run (grows in every iteration);
//   StartupCache: 40 kept once, right after the warm-up, and never again (a one-off).
// Their values carry markup, so that a page that did not escape them would show it.
import { runIterationProgram, type SavedRun } from './iteration-program.js';

/** Iterations after which the program stops: the one-off has at least two quiet ones after it. */
export const TREND_ITERATIONS = 6;
/** In every StartupCache's value: an HTML page that shows it as text escaped it. */
export const HOSTILE_VALUE = '</script><!--<b id="injected">x</b>';

export type TrendReport = SavedRun;

export function makeTrendReport(env: Record<string, string> = {}): Promise<TrendReport> {
  return runIterationProgram(
    {
      prelude: `
class SteadyLeak { constructor(i) { this.i = i; } }
class StartupCache { constructor(i) { this.key = ${JSON.stringify(HOSTILE_VALUE)} + i; } }
const kept = [];
let cache = null;`,
      options: '{ maxObjectLifetime: 0.5, warmupPeriod: 0.5 }',
      tick: 'for (let k = 0; k < 5; k++) kept.push(new SteadyLeak(kept.length));',
      everyMs: 50,
      afterWarmup: 'cache = Array.from({ length: 40 }, (_, i) => new StartupCache(i));',
      iterations: TREND_ITERATIONS,
    },
    { env },
  );
}
