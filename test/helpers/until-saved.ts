// For programs monitored from outside (`memalot run`, `--import memalot/register`), which have no
// monitor to ask how far it has got: they work until the reports saved so far show what the test
// looks for, however slowly a busy machine makes the iterations come, instead of for a fixed
// number of seconds (which, on a loaded machine, can end before the first report that matters).

/**
 * JavaScript that defines `untilSaved(ready, then)` in a program under test. Every 100 ms it
 * reads the iterations saved in `reportDirectory` (default: $MEMALOT_REPORT_DIR) and, once
 * `ready(iterations)` holds (iterations as saved, in any order), or after 120 s (the test's own
 * assertions then say what is missing), calls `then()` once. Works in ES modules, CommonJS and
 * eval'd worker code (no import statement).
 */
export function untilSavedSource(reportDirectory?: string): string {
  const directory = reportDirectory === undefined ? 'process.env.MEMALOT_REPORT_DIR' : JSON.stringify(reportDirectory);
  return `
function untilSaved(ready, then) {
  const fs = process.getBuiltinModule('node:fs');
  const path = process.getBuiltinModule('node:path');
  const directory = ${directory};
  const deadline = Date.now() + 120_000;
  const saved = () => {
    const iterations = [];
    for (const report of fs.existsSync(directory) ? fs.readdirSync(directory) : []) {
      if (!report.startsWith('memalot_report_')) continue;
      for (const file of fs.readdirSync(path.join(directory, report))) {
        // Written atomically (renamed into place): a file that is there is whole.
        if (/^iteration_report_\\d+\\.json$/.test(file)) iterations.push(JSON.parse(fs.readFileSync(path.join(directory, report, file), 'utf8')));
      }
    }
    return iterations;
  };
  const poll = setInterval(() => {
    if (!ready(saved()) && Date.now() < deadline) return;
    clearInterval(poll);
    then();
  }, 100);
}
`;
}

/** JavaScript for `ready`: some iteration after the warm-up has a type containing `match`, at least `minCount` of it. */
export function reportedSource(match: string, minCount = 1): string {
  return `(iterations) => iterations.some((it) => it.kind === 'leaks' && it.leakSummary.typeSummaries.some((s) => s.objectType.toLowerCase().includes(${JSON.stringify(match.toLowerCase())}) && s.count >= ${minCount}))`;
}

/** JavaScript for `ready`: at least `count` iterations after the warm-up. */
export function iterationsSource(count: number): string {
  return `(iterations) => iterations.filter((it) => it.kind === 'leaks').length >= ${count}`;
}

/**
 * JavaScript for the end of a program that holds its monitor in `monitor` and its work in
 * `timer`: once the monitor has written `iterations` iterations (or after 120 s, when the test's
 * assertions say what is missing), the work stops and the monitor is stopped.
 */
export function stopAfterIterationsSource(iterations: number): string {
  return `
const deadline = Date.now() + 120_000;
const poll = setInterval(async () => {
  if (monitor.iterations < ${iterations} && Date.now() < deadline) return;
  clearInterval(poll);
  clearInterval(timer);
  await monitor.stop();
}, 50);
`;
}
