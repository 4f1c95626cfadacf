// A monitored program that does its work on a timer until the monitor has written a number of
// iterations, then stops: the reports it saves are what a test reads. Its own deadline ends it
// first on a machine too busy to get there, so the test's assertions say what was missing.
import { readdirSync } from 'node:fs';
import { runProgram, type ChildOptions } from './child.js';

export interface IterationProgram {
  /** Classes and state, at the top of the module. */
  readonly prelude: string;
  /** The options of startLeakMonitoring, as JavaScript. */
  readonly options: string;
  /** Run every `everyMs` for the whole run. */
  readonly tick: string;
  readonly everyMs: number;
  /** Run once, right after the warm-up iteration is written. */
  readonly afterWarmup: string;
  readonly iterations: number;
}

export function iterationProgramSource(p: IterationProgram): string {
  return `
import { startLeakMonitoring } from 'memalot';
${p.prelude}
const monitor = startLeakMonitoring(${p.options});
const timer = setInterval(() => { ${p.tick} }, ${p.everyMs});
let warmedUp = false;
const deadline = Date.now() + 120_000;
const poll = setInterval(async () => {
  if (!warmedUp && monitor.iterations >= 1) { warmedUp = true; ${p.afterWarmup} }
  if (monitor.iterations < ${p.iterations} && Date.now() < deadline) return;
  clearInterval(poll);
  clearInterval(timer);
  await monitor.stop();
}, 20);
`;
}

export interface SavedRun {
  readonly reportDirectory: string;
  readonly reportId: string;
  readonly programDirectory: string;
  /** What the program printed: the live console reports. */
  readonly stdout: string;
}

/** Runs the program and returns the one report it saved. */
export async function runIterationProgram(p: IterationProgram, options: ChildOptions = {}): Promise<SavedRun> {
  const run = await runProgram(iterationProgramSource(p), options);
  if (run.code !== 0) throw new Error(`the monitored program failed (${run.code}): ${run.stderr}`);
  const [name] = readdirSync(run.reportDirectory);
  const reportId = name?.replace(/^memalot_report_/, '');
  if (reportId === undefined) throw new Error(`no report saved in ${run.reportDirectory}`);
  return { reportDirectory: run.reportDirectory, reportId, programDirectory: run.dir, stdout: run.stdout };
}
