// A report with the two trends the verdict must tell apart, saved by a real monitored program:
//   SteadyLeak: 5 more every 50 ms for the whole run (grows in every iteration);
//   StartupCache: 40 kept once, right after the warm-up, and never again (a one-off).
// Their values carry markup, so that a page that did not escape them would show it.
import { readdirSync } from 'node:fs';
import { runProgram } from './child.js';

/** Iterations after which the program stops: the one-off has at least two quiet ones after it. */
export const TREND_ITERATIONS = 6;
/** In every StartupCache's value: an HTML page that shows it as text escaped it. */
export const HOSTILE_VALUE = '</script><!--<b id="injected">x</b>';

const source = `
import { startLeakMonitoring } from 'memalot';
class SteadyLeak { constructor(i) { this.i = i; } }
class StartupCache { constructor(i) { this.key = ${JSON.stringify(HOSTILE_VALUE)} + i; } }
const kept = [];
let cache = null;
const monitor = startLeakMonitoring({ maxObjectLifetime: 0.5, warmupPeriod: 0.5 });
const timer = setInterval(() => { for (let k = 0; k < 5; k++) kept.push(new SteadyLeak(kept.length)); }, 50);
const deadline = Date.now() + 120_000;
const poll = setInterval(async () => {
  if (cache === null && monitor.iterations >= 1) cache = Array.from({ length: 40 }, (_, i) => new StartupCache(i));
  if (monitor.iterations < ${TREND_ITERATIONS} && Date.now() < deadline) return;
  clearInterval(poll);
  clearInterval(timer);
  await monitor.stop();
}, 20);
`;

export interface TrendReport {
  readonly reportDirectory: string;
  readonly reportId: string;
  /** What the program printed: the live console reports. */
  readonly stdout: string;
}

export async function makeTrendReport(env: Record<string, string> = {}): Promise<TrendReport> {
  const run = await runProgram(source, { env });
  if (run.code !== 0) throw new Error(`the monitored program failed (${run.code}): ${run.stderr}`);
  const [name] = readdirSync(run.reportDirectory);
  const reportId = name?.replace(/^memalot_report_/, '');
  if (reportId === undefined) throw new Error(`no report saved in ${run.reportDirectory}`);
  return { reportDirectory: run.reportDirectory, reportId, stdout: run.stdout };
}
