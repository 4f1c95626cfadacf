// captureAllocationSites: real programs whose leaked objects are all made by one line of one
// function; the console report and the saved JSON must name that file and line, with the line's
// text. Sampling is statistical, so the programs leak thousands of objects a tick with a small
// sample interval: a site that every one of some 100 samples per tick names cannot be missed.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makeProjectDir, runProgram } from './helpers/child.js';
import { runCli } from './helpers/cli.js';
import { connectToServer, textOf } from './helpers/mcp-server.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { basename } from 'node:path';
import { readSavedReports } from './helpers/reports.js';
import { reportedSource, untilSavedSource } from './helpers/until-saved.js';
import type { AllocationSite, IterationReport } from '../lib/storage/schema.js';

/** The leak: every AuditEntry is made on one line of recordAudit. */
const LEAK = `
class AuditEntry { constructor(user, action) { this.user = user; this.action = action; this.at = 0; } }
const audit = [];
function recordAudit(user, action) {
  const entry = new AuditEntry(user, action);
  audit.push(entry);
}
`;
const ALLOCATING_LINE = 'const entry = new AuditEntry(user, action);';

/** The 1-based line of `ALLOCATING_LINE` in `source`. */
function lineOf(source: string): number {
  return source.split('\n').findIndex((line) => line.trim() === ALLOCATING_LINE) + 1;
}

/** The AuditEntry sites of the leak iterations, the saved JSON's. */
function auditSites(iterations: readonly IterationReport[]): AllocationSite[] {
  return iterations
    .filter((it) => it.kind === 'leaks')
    .flatMap((it) => it.leakSummary.typeSummaries.filter((s) => s.objectType.endsWith('AuditEntry')))
    .flatMap((s) => s.allocationSites ?? []);
}

function assertNamesTheLine(stdout: string, iterations: readonly IterationReport[], file: string, line: number): void {
  const sites = auditSites(iterations);
  assert.ok(sites.length > 0, `no AuditEntry allocation sites saved; stdout:\n${stdout}`);
  const top = sites[0]!;
  assert.equal(top.frames[0]?.file, file);
  assert.deepEqual(top.source, { line, text: ALLOCATING_LINE });
  assert.ok(top.estimatedObjects > 0 && top.samples > 0);
  // The leaks hold AuditEntry objects: each leak names the site as well.
  const leakSites = iterations.flatMap((it) => it.leakSummary.leaks ?? []).flatMap((l) => l.allocationSites ?? []);
  assert.ok(leakSites.some((s) => s.source?.line === line), 'no leak names the allocating line');
  assert.match(stdout, /Allocated at \(sampled/);
  assert.ok(stdout.includes(`${file}:${line}  ${ALLOCATING_LINE}`), `the console report does not show ${file}:${line}:\n${stdout}`);
}

const TIME_BASED = (capture: boolean) => `
import { startLeakMonitoring } from 'memalot';
${LEAK}
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, warmupPeriod: 0.5, maxObjectDetails: 2, captureAllocationSites: ${capture}, allocationSampleInterval: 1024 });
let n = 0;
const timer = setInterval(() => { for (let k = 0; k < 2000; k++) recordAudit('u' + (n++ % 7), 'login'); }, 100);
${untilSavedSource()}
untilSaved(${reportedSource('AuditEntry', 2000)}, async () => { clearInterval(timer); await monitor.stop(); });
`;

describe('captureAllocationSites', { concurrency: true }, () => {
  test('time-based: the report and the saved JSON name the line that makes the leaked objects', async () => {
    const source = TIME_BASED(true);
    const run = await runProgram(source);
    assert.equal(run.code, 0, run.stderr);
    const [report] = readSavedReports(run.reportDirectory);
    assert.ok(report !== undefined, 'no report saved');
    const line = lineOf(source);
    assertNamesTheLine(run.stdout, report.iterations, 'program.mjs', line);
    assert.equal(report.summary.options['captureAllocationSites'], true);
    // memalot print and the MCP server show them from the saved report.
    const reportId = basename(report.directory).replace(/^memalot_report_/, '');
    const print = await runCli(['print', reportId, '--report-directory', run.reportDirectory], { env: { COLUMNS: '120' } });
    assert.equal(print.code, 0, print.stderr);
    assert.ok(print.stdout.includes(`program.mjs:${line}  ${ALLOCATING_LINE}`), `memalot print does not show the line:\n${print.stdout}`);
    const server = await connectToServer(['--report-directory', run.reportDirectory]);
    try {
      const result = (await server.client.callTool({ name: 'get_leak_report', arguments: { report_id: reportId } })) as CallToolResult;
      assert.ok(textOf(result).includes(`program.mjs:${line}  ${ALLOCATING_LINE}`), `get_leak_report does not show the line:\n${textOf(result)}`);
    } finally {
      await server.close();
    }
  });

  test('off (the default): no sites are captured or shown', async () => {
    const run = await runProgram(TIME_BASED(false).replace('captureAllocationSites: false, ', ''));
    assert.equal(run.code, 0, run.stderr);
    const [report] = readSavedReports(run.reportDirectory);
    assert.ok(report !== undefined && report.iterations.some((it) => it.kind === 'leaks'));
    assert.deepEqual(auditSites(report.iterations), []);
    assert.doesNotMatch(run.stdout, /Allocated at/);
  });

  test('function-based: the sites of what a monitored call leaves behind', async () => {
    const source = `
import { createLeakMonitor } from 'memalot';
${LEAK}
const monitor = createLeakMonitor({ warmupCalls: 1, maxObjectDetails: 2, captureAllocationSites: true, allocationSampleInterval: 1024 });
for (let c = 0; c < 3; c++) monitor.run(() => { for (let k = 0; k < 5000; k++) recordAudit('u' + (k % 7), 'login'); });
await monitor.stop?.();
`;
    const run = await runProgram(source);
    assert.equal(run.code, 0, run.stderr);
    const [report] = readSavedReports(run.reportDirectory);
    assert.ok(report !== undefined, 'no report saved');
    assertNamesTheLine(run.stdout, report.iterations, 'program.mjs', lineOf(source));
  });

  test("closures and timers in traces show their code, and a timer's captured objects their site", async () => {
    const source = `
import { startLeakMonitoring } from 'memalot';
class Job { constructor(i) { this.i = i; } }
function schedule(i) {
  const job = new Job(i);
  setInterval(function poll() { return job.i; }, 60_000).unref();
}
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, warmupPeriod: 0.5, maxObjectDetails: 3, captureAllocationSites: true, allocationSampleInterval: 1024 });
let n = 0;
const timer = setInterval(() => { for (let k = 0; k < 500; k++) schedule(n++); }, 100);
${untilSavedSource()}
untilSaved(${reportedSource('Job', 500)}, async () => { clearInterval(timer); await monitor.stop(); });
`;
    const run = await runProgram(source);
    assert.equal(run.code, 0, run.stderr);
    const [report] = readSavedReports(run.reportDirectory);
    assert.ok(report !== undefined, 'no report saved');
    const lines = source.split('\n');
    const pollLine = lines.findIndex((l) => l.includes('function poll()')) + 1;
    const jobLine = lines.findIndex((l) => l.trim() === 'const job = new Job(i);') + 1;
    const names = report.iterations.flatMap((it) => it.objectDetails).flatMap((d) => d.referrerGraph?.nodes ?? []).map((n) => n.name);
    assert.ok(
      names.some((name) => name.includes(`at program.mjs:${pollLine} (setInterval(function poll() { return job.i; }`)),
      `no trace step shows the closure's code:\n${names.join('\n')}`,
    );
    const sites = report.iterations.flatMap((it) => it.leakSummary.typeSummaries.filter((s) => s.objectType.endsWith(':Job'))).flatMap((s) => s.allocationSites ?? []);
    // Job's size is shared with Node's own objects (made in initAsyncResource): the site whose
    // line makes a Job comes first all the same.
    assert.deepEqual(sites[0]?.source, { line: jobLine, text: 'const job = new Job(i);' });
  });

  test('a bad option value is refused, naming the option', async () => {
    const run = await runProgram(`
import { startLeakMonitoring } from 'memalot';
try { startLeakMonitoring({ maxObjectLifetime: 1, captureAllocationSites: 'yes' }); } catch (e) { console.log(e.message); }
try { startLeakMonitoring({ maxObjectLifetime: 1, allocationSampleInterval: 0 }); } catch (e) { console.log(e.message); }
`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /option "captureAllocationSites" must be true or false; got "yes"/);
    assert.match(run.stdout, /option "allocationSampleInterval" must be an integer at least 1/);
  });

  /** The program for memalot run and --import: no monitoring code of its own. */
  const UNMONITORED = `
${LEAK}
let n = 0;
const timer = setInterval(() => { for (let k = 0; k < 2000; k++) recordAudit('u' + (n++ % 7), 'login'); }, 100);
${untilSavedSource()}
untilSaved(${reportedSource('AuditEntry', 2000)}, () => clearInterval(timer));
`;

  test('memalot run --capture-allocation-sites', async () => {
    const dir = makeProjectDir();
    writeFileSync(join(dir, 'jobs.mjs'), UNMONITORED);
    const reports = join(dir, 'reports');
    const run = await runCli(
      ['run', '--max-object-lifetime', '1', '--warmup-period', '0.5', '--capture-allocation-sites', '--allocation-sample-interval', '1024', '-d', reports, 'jobs.mjs'],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const [report] = readSavedReports(reports);
    assert.ok(report !== undefined, 'no report saved');
    assertNamesTheLine(run.stdout, report.iterations, 'jobs.mjs', lineOf(UNMONITORED));
  });

  test('--import memalot/register with MEMALOT_CAPTURE_ALLOCATION_SITES=1', async () => {
    const run = await runProgram(UNMONITORED, {
      fileName: 'jobs.mjs',
      nodeArgs: ['--import', 'memalot/register'],
      env: {
        MEMALOT_MAX_OBJECT_LIFETIME: '1',
        MEMALOT_WARMUP_PERIOD: '0.5',
        MEMALOT_CAPTURE_ALLOCATION_SITES: '1',
        MEMALOT_ALLOCATION_SAMPLE_INTERVAL: '1024',
      },
    });
    assert.equal(run.code, 0, run.stderr);
    const [report] = readSavedReports(run.reportDirectory);
    assert.ok(report !== undefined, 'no report saved');
    assertNamesTheLine(run.stdout, report.iterations, 'jobs.mjs', lineOf(UNMONITORED));
  });
});
