// A real report, saved by a real monitored program, for the tests that read reports back (the
// reader, the CLI). Made once per test file and copied into fresh directories, where tests may
// damage it as they like.
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from './child.js';
import { stopAfterIterationsSource } from './until-saved.js';

export interface MonitoredReport {
  /** The directory that holds the report (as MEMALOT_REPORT_DIR did). */
  readonly reportDirectory: string;
  readonly reportId: string;
  /** What the program printed: the live console report. */
  readonly stdout: string;
  /** The program's directory (its entrypoint is program.mjs there). */
  readonly programDirectory: string;
}

/**
 * A program that leaks `Leaky` objects (and strings) and keeps `Temp` ones briefly, monitored
 * with a 1 s lifetime until `iterations` iterations are written.
 */
export function leakyProgramSource(iterations: number): string {
  return `
import { startLeakMonitoring } from 'memalot';
class Leaky { constructor(i) { this.i = i; this.tag = 'leaky-' + i; } }
class Temp { constructor(i) { this.i = i; } }
const kept = [];
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, warmupPeriod: 1, maxObjectDetails: 3 });
let n = 0;
const timer = setInterval(() => {
  for (let k = 0; k < 20; k++) kept.push(new Leaky(n++));
  const garbage = Array.from({ length: 50 }, (_, i) => new Temp(i));
  if (garbage.length !== 50) throw new Error('unreachable');
}, 100);
${stopAfterIterationsSource(iterations)}`;
}

/** Runs the leaky program (with `args` for the report's arguments) and returns its report. */
export async function makeMonitoredReport(iterations = 3, args: readonly string[] = ['--port', '8080']): Promise<MonitoredReport> {
  const run = await runProgram(leakyProgramSource(iterations), { args });
  if (run.code !== 0) throw new Error(`the monitored program failed (${run.code}): ${run.stderr}`);
  const [name] = readdirSync(run.reportDirectory);
  const reportId = name?.replace(/^memalot_report_/, '');
  if (reportId === undefined) throw new Error(`no report saved in ${run.reportDirectory}`);
  return { reportDirectory: run.reportDirectory, reportId, stdout: run.stdout, programDirectory: run.dir };
}

/** A fresh copy of a report directory, to damage. */
export function copyReports(reportDirectory: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'memalot-reports-')), 'reports');
  cpSync(reportDirectory, copy, { recursive: true });
  return copy;
}

/** The directory of one report inside a reports directory. */
export function reportPath(reportDirectory: string, reportId: string, file?: string): string {
  const dir = join(reportDirectory, `memalot_report_${reportId}`);
  return file === undefined ? dir : join(dir, file);
}
