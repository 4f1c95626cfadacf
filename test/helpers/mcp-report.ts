// The report the MCP tests read: saved by a real monitored program with three kinds of leak.
//   OrphanedSubscription: 20 more every 100 ms, for the whole run (a growing leak);
//   StartupCache: 50 kept once, right after the warm-up (a one-off);
//   Widget0..Widget39: one more of each of 40 classes every 100 ms (many summary rows, so that
//   a small result budget has something to cut).
import { runIterationProgram, type IterationProgram } from './iteration-program.js';

export const ITERATIONS = 5;
export const WIDGET_CLASSES = 40;

// Declared one by one: a class is named after its declaration (a class expression under a
// computed key is not, to the type names).
const widgetNames = Array.from({ length: WIDGET_CLASSES }, (_, i) => `Widget${i}`);

const program: IterationProgram = {
  prelude: `
class OrphanedSubscription { constructor(i) { this.i = i; this.topic = 'topic-' + i; } }
class StartupCache { constructor(i) { this.key = 'cache-' + i; } }
${widgetNames.map((name) => `class ${name} { constructor(n) { this.n = n; } }`).join('\n')}
const widgetClasses = [${widgetNames.join(', ')}];
const subscriptions = [];
const widgets = [];
let cache = null;
let n = 0;`,
  options: '{ maxObjectLifetime: 1, warmupPeriod: 1 }',
  tick: `
  for (let k = 0; k < 20; k++) subscriptions.push(new OrphanedSubscription(n++));
  for (const Widget of widgetClasses) widgets.push(new Widget(n));`,
  everyMs: 100,
  afterWarmup: 'cache = Array.from({ length: 50 }, (_, i) => new StartupCache(i));',
  iterations: ITERATIONS,
};

export interface McpTestReport {
  readonly reportDirectory: string;
  readonly reportId: string;
  readonly programDirectory: string;
}

export async function makeMcpTestReport(): Promise<McpTestReport> {
  const { reportDirectory, reportId, programDirectory } = await runIterationProgram(program, { args: ['--port', '8080'] });
  return { reportDirectory, reportId, programDirectory };
}
