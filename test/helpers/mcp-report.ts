// The report the MCP tests read: saved by a real monitored program with three kinds of leak.
//   OrphanedSubscription: 20 more every 100 ms, for the whole run (a growing leak);
//   StartupCache: 50 kept once, right after the warm-up (a one-off);
//   Widget0..Widget39: one more of each of 40 classes every 100 ms (many summary rows, so that
//   a small result budget has something to cut).
import { readdirSync } from 'node:fs';
import { runProgram } from './child.js';

export const ITERATIONS = 5;
export const WIDGET_CLASSES = 40;

// Declared one by one: a class is named after its declaration (a class expression under a
// computed key is not, to the type names).
const widgetNames = Array.from({ length: WIDGET_CLASSES }, (_, i) => `Widget${i}`);

const source = `
import { startLeakMonitoring } from 'memalot';
class OrphanedSubscription { constructor(i) { this.i = i; this.topic = 'topic-' + i; } }
class StartupCache { constructor(i) { this.key = 'cache-' + i; } }
${widgetNames.map((name) => `class ${name} { constructor(n) { this.n = n; } }`).join('\n')}
const widgetClasses = [${widgetNames.join(', ')}];
const subscriptions = [];
const widgets = [];
let cache = null;
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, warmupPeriod: 1 });
let n = 0;
const timer = setInterval(() => {
  for (let k = 0; k < 20; k++) subscriptions.push(new OrphanedSubscription(n++));
  for (const Widget of widgetClasses) widgets.push(new Widget(n));
}, 100);
const deadline = Date.now() + 120_000;
const poll = setInterval(async () => {
  if (cache === null && monitor.iterations >= 1) cache = Array.from({ length: 50 }, (_, i) => new StartupCache(i));
  if (monitor.iterations < ${ITERATIONS} && Date.now() < deadline) return;
  clearInterval(poll);
  clearInterval(timer);
  await monitor.stop();
}, 50);
`;

export interface McpTestReport {
  readonly reportDirectory: string;
  readonly reportId: string;
  readonly programDirectory: string;
}

export async function makeMcpTestReport(): Promise<McpTestReport> {
  const run = await runProgram(source, { args: ['--port', '8080'] });
  if (run.code !== 0) throw new Error(`the monitored program failed (${run.code}): ${run.stderr}`);
  const [name] = readdirSync(run.reportDirectory);
  const reportId = name?.replace(/^memalot_report_/, '');
  if (reportId === undefined) throw new Error(`no report saved in ${run.reportDirectory}`);
  return { reportDirectory: run.reportDirectory, reportId, programDirectory: run.dir };
}
